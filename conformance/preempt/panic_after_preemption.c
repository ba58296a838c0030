// A goroutine that asynchronous preemption interrupted (and resumed on its
// thread) panics as any other: in a forked child with GOMAXPROCS=1, each
// goroutine loops without calling anything until main has woken from 5
// sleeps during which the loop ran, then panics straight out of the loop:
//   1. with a deferred call that recovers: gort_recover() in it returns the
//      message, it runs in the panicking goroutine, the goroutine ends
//      normally and the program goes on (20 new goroutines run);
//   2. without: the process exits with status 2 and Go's report, `panic:
//      unrecovered after preemption` and `goroutine N [running]:` with the
//      panicking goroutine's id, after what the program printed before.
// gort-test: timeout=30
#include "pre.h"
#include "exit/run_child.h"

static _Atomic int stop;
static _Atomic long progress;
static gort_waitgroup done;
static char recovered[128];
static _Atomic uint64_t recovered_in;
static volatile int yes = 1;

static void rec(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    snprintf(recovered, sizeof recovered, "%s", m ? m : "(null)");
    atomic_store(&recovered_in, gort_id());
    gort_wg_done(&done);
}

static void spin_then_panic(void *arg)
{
    bool recover = arg != NULL;
    if (recover) gort_defer(rec, NULL);
    pre_spin_until(&stop, &progress);
    if (yes) {
        if (recover) gort_panic("after preemption %d", 7);
        gort_panic("unrecovered after preemption");
    }
}

/* Waits until main has woken from 5 sleeps during which the loop ran. */
static void let_it_be_preempted(void)
{
    int preempted = 0;
    for (int i = 0; i < 200 && preempted < 5; i++) {
        long before = LD(progress);
        gort_sleep(MS(2));
        if (LD(progress) > before) preempted++;
    }
    CHECK_MSG(preempted == 5, "the loop ran during only %d of 200 sleeps", preempted);
}

static void nop(void *arg) { gort_wg_done(arg); }

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    /* 1 */
    gort_wg_add(&done, 1);
    uint64_t id = go(spin_then_panic, (void *)1);
    let_it_be_preempted();
    ST(stop, 1);
    gort_wg_wait(&done);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(2000)), 1);
    CHECK_MSG(strcmp(recovered, "after preemption 7") == 0, "recovered \"%s\"", recovered);
    CHECK_EQ_U64(atomic_load(&recovered_in), id);
    gort_waitgroup wg = {0};
    gort_wg_add(&wg, 20);
    for (int i = 0; i < 20; i++) go(nop, &wg);
    gort_wg_wait(&wg);
    printf("recovered: %s\n", recovered);
    /* 2 */
    ST(stop, 0);
    ST(progress, 0);
    id = go(spin_then_panic, NULL);
    printf("unrecovered in goroutine %llu\n", (unsigned long long)id);
    fflush(stdout);
    let_it_be_preempted();
    ST(stop, 1);
    gort_sleep(MS(5000));
    printf("still alive\n");
    return 0;
}

int main(void)
{
    PRE_SKIP_UNLESS_ASYNC();
    setenv("GOMAXPROCS", "1", 1);
    child_out co = run_child(child_main, CHILD_MERGE, MS(20000));
    if (child_exit_status(&co) != 2) CHILD_FAIL(&co, "want exit 2 from the unrecovered panic");
    CHILD_CHECK(&co, strstr(co.out, "recovered: after preemption 7\n") != NULL);
    const char *u = strstr(co.out, "unrecovered in goroutine ");
    CHILD_CHECK(&co, u != NULL);
    unsigned long long id = strtoull(u + strlen("unrecovered in goroutine "), NULL, 10);
    const char *p = strstr(u, "panic: unrecovered after preemption\n");
    CHILD_CHECK(&co, p != NULL);
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [running]:", id);
    CHILD_CHECK(&co, strstr(p, head) != NULL);
    CHILD_CHECK(&co, strstr(co.out, "still alive") == NULL);
    free(co.out);
    free(co.err);
    return 0;
}
