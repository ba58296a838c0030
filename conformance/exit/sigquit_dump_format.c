// SIGQUIT dumps every goroutine to stderr and exits with status 2, as Go
// does.  A forked child parks goroutines in known states — a channel
// receive, a sleep, a sync.Mutex.Lock, a sync.WaitGroup.Wait — keeps one
// busy, and main sleeps; when the child says it is ready the parent sends it
// SIGQUIT (from outside, as a terminal's ^\ would: the kernel picks the
// thread).  Then: the child exits with status 2 (not killed by the signal);
// its stderr starts with `SIGQUIT: quit`; main is listed as
// `goroutine 1 [sleep]:`; each parked goroutine as `goroutine N [REASON]:`
// with its own id and Go's wait reason, followed in its block by `created by
// .../sigquit_dump_format.c:LINE` naming the line of its gort_go; the busy
// one is listed too; and every goroutine appears exactly once.
#include "exit/run_child.h"

enum { RECV, SLEEP, MUTEX, WG, BUSY, NG };

static const char *const reason[NG] = {
    [RECV] = "chan receive",
    [SLEEP] = "sleep",
    [MUTEX] = "sync.Mutex.Lock",
    [WG] = "sync.WaitGroup.Wait",
    [BUSY] = NULL,                      /* running or runnable */
};

struct shared {
    uint64_t id[NG];
    int line[NG];
    _Atomic int ready;
};
static struct shared *sh;

static gort_chan *never_ch;
static gort_mutex mu;
static gort_waitgroup never_wg;
static _Atomic int started;

static void g_recv(void *arg) { (void)arg; atomic_fetch_add(&started, 1); (void)gort_chan_recv(never_ch, NULL); }
static void g_sleep(void *arg) { (void)arg; atomic_fetch_add(&started, 1); gort_sleep(MS(60000)); }
static void g_mutex(void *arg) { (void)arg; atomic_fetch_add(&started, 1); gort_mutex_lock(&mu); }
static void g_wg(void *arg) { (void)arg; atomic_fetch_add(&started, 1); gort_wg_wait(&never_wg); }
static void g_busy(void *arg)
{
    (void)arg;
    atomic_fetch_add(&started, 1);
    for (;;) {
        spin_ns(US(20));
        gort_yield();
    }
}

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    never_ch = gort_chan_make(0, 0);
    gort_mutex_lock(&mu);
    gort_wg_add(&never_wg, 1);
    sh->id[RECV] = go(g_recv, NULL); sh->line[RECV] = __LINE__;
    sh->id[SLEEP] = go(g_sleep, NULL); sh->line[SLEEP] = __LINE__;
    sh->id[MUTEX] = go(g_mutex, NULL); sh->line[MUTEX] = __LINE__;
    sh->id[WG] = go(g_wg, NULL); sh->line[WG] = __LINE__;
    sh->id[BUSY] = go(g_busy, NULL); sh->line[BUSY] = __LINE__;
    int64_t deadline = now_ns() + MS(5000);
    while (atomic_load(&started) < NG && now_ns() < deadline) gort_sleep(US(200));
    gort_sleep(MS(20));                 /* all parked */
    atomic_store(&sh->ready, 1);
    gort_sleep(MS(20000));
    check_fdprintf(2, "child: no SIGQUIT came\n");
    return 0;
}

/* The block of `goroutine ID [` (to the next header) in a fresh buffer. */
static char *block_of(const char *dump, uint64_t id)
{
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [", (unsigned long long)id);
    const char *p = dump;
    while ((p = strstr(p, head)) != NULL && p != dump && p[-1] != '\n') p++;
    if (!p) return NULL;
    const char *end = next_header(p + 1);
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *b = malloc(n + 1);
    CHECK(b != NULL);
    memcpy(b, p, n);
    b[n] = 0;
    return b;
}

int main(void)
{
    sh = shared_mem(sizeof *sh);
    signal(SIGQUIT, SIG_DFL);           /* the child must not inherit an ignored SIGQUIT */
    int pe[2];
    CHECK_EQ_INT(pipe(pe), 0);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(pe[0]);
        dup2(pe[1], 2);
        close(pe[1]);
        static char *argv[] = { (char *)"sigquit-child", NULL };
        gort_main(child_main, 1, argv);
        _exit(99);
    }
    close(pe[1]);
    int64_t deadline = now_ns() + MS(10000);
    while (!atomic_load(&sh->ready) && now_ns() < deadline) usleep(1000);
    bool was_ready = atomic_load(&sh->ready);
    kill(pid, was_ready ? SIGQUIT : SIGKILL);
    static char err[1 << 20];
    size_t n = 0;
    ssize_t r;
    while (n < sizeof err - 1 && (r = read(pe[0], err + n, sizeof err - 1 - n)) != 0) {
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        n += (size_t)r;
    }
    err[n] = 0;
    close(pe[0]);
    child_out co;
    memset(&co, 0, sizeof co);
    co.out = (char *)"";
    co.err = err;
    co.err_len = n;
    CHECK_EQ_INT(waitpid(pid, &co.status, 0), pid);

    if (!was_ready) CHILD_FAIL(&co, "the child never got its goroutines parked");
    if (child_exit_status(&co) != 2) CHILD_FAIL(&co, "want exit status 2 after SIGQUIT");
    if (strncmp(err, "SIGQUIT: quit", 13) != 0) CHILD_FAIL(&co, "stderr does not start with \"SIGQUIT: quit\"");

    char *b = block_of(err, 1);
    if (!b || strncmp(b, "goroutine 1 [sleep]:", 20) != 0) CHILD_FAIL(&co, "main not listed as \"goroutine 1 [sleep]:\"");
    free(b);
    for (int k = 0; k < NG; k++) {
        b = block_of(err, sh->id[k]);
        if (!b) CHILD_FAIL(&co, "goroutine %llu not listed", (unsigned long long)sh->id[k]);
        if (reason[k]) {
            char head[96];
            snprintf(head, sizeof head, "goroutine %llu [%s]:", (unsigned long long)sh->id[k], reason[k]);
            if (strncmp(b, head, strlen(head)) != 0) CHILD_FAIL(&co, "want a block starting \"%s\"", head);
        } else if (!strstr(b, "[running]:") && !strstr(b, "[runnable]:")) {
            CHILD_FAIL(&co, "busy goroutine %llu neither running nor runnable", (unsigned long long)sh->id[k]);
        }
        const char *cb = strstr(b, "created by ");
        if (!cb || !has_site(cb, "sigquit_dump_format.c", sh->line[k]))
            CHILD_FAIL(&co, "goroutine %llu: no \"created by ...sigquit_dump_format.c:%d\"",
                       (unsigned long long)sh->id[k], sh->line[k]);
        char head[64];
        snprintf(head, sizeof head, "goroutine %llu [", (unsigned long long)sh->id[k]);
        int times = 0;
        for (const char *p = err; (p = strstr(p, head)) != NULL; p++)
            if (p == err || p[-1] == '\n') times++;
        if (times != 1) CHILD_FAIL(&co, "goroutine %llu listed %d times", (unsigned long long)sh->id[k], times);
        free(b);
    }
    CHILD_CHECK(&co, strstr(err, "no SIGQUIT came") == NULL);
    return 0;
}
