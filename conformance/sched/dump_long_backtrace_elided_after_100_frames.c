// A goroutine's backtrace in the dump shows at most 100 frames, as Go's
// does, and says so when it leaves frames out: a goroutine parked 150 calls
// deep shows exactly 100 frames (`FUNCTION(...)`, each with its location
// line), the first its public call (gort_chan_recv), then the line
// `...additional frames elided...` and its `created by` line.  A backtrace
// that is not cut says nothing of the kind: neither a goroutine parked 3
// calls deep nor the dumping goroutine itself (whose runtime frames above
// gort_dump are left out, as the parked ones' above gort_chan_recv are, and
// are not counted as elided).
#include "check.h"

#define DEEP 150
#define SHOWN 100
#define ELIDED "...additional frames elided...\n"

static gort_chan *never;
static gort_waitgroup started;

/* Not static: the dynamic symbol table names it without libdw too.  Every
 * level is a frame of its own (no inlining, no tail call). */
__attribute__((noinline)) void dump_recurse(int n)
{
    if (n == 0) {
        gort_wg_done(&started);
        gort_chan_recv(never, NULL);
    } else {
        dump_recurse(n - 1);
    }
    __asm__ volatile("");
}

static void deep(void *arg) { (void)arg; dump_recurse(DEEP); }
static void shallow(void *arg) { (void)arg; dump_recurse(2); }

/* The dump's block of goroutine id, NUL-terminated in a copy: from its
 * header to the next header (or the end). */
static char *block_of(const char *dump, uint64_t id, const char *state)
{
    char head[96];
    snprintf(head, sizeof head, "goroutine %llu [%s]:\n", (unsigned long long)id, state);
    const char *b = strstr(dump, head);
    CHECK_MSG(b != NULL, "no \"%s\" in the dump:\n%s", head, dump);
    const char *e = strstr(b + strlen(head), "\ngoroutine ");
    size_t len = e ? (size_t)(e - b) + 1 : strlen(b);
    char *s = malloc(len + 1);
    CHECK(s != NULL);
    memcpy(s, b, len);
    s[len] = 0;
    return s;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    never = gort_chan_make(0, 0);
    gort_wg_add(&started, 2);
    uint64_t d = go(deep, NULL);
    uint64_t s = go(shallow, NULL);
    gort_wg_wait(&started);
    /* both parked (not just about to) before the dump */
    int64_t end = now_ns() + MS(10000);
    while (stats_now().waiting < 2) {
        CHECK_MSG(now_ns() < end, "the two goroutines did not park within 10 s");
        gort_sleep(MS(1));
    }

    char *dump = dump_to_string();
    CHECK(dump != NULL);
    char *db = block_of(dump, d, "chan receive");
    char *sb = block_of(dump, s, "chan receive");
    char *mb = block_of(dump, 1, "running");

    const char *first = strchr(db, '\n') + 1;
    CHECK_MSG(strncmp(first, "gort_chan_recv(...)\n", 20) == 0,
              "the deep goroutine's first frame is not its gort_chan_recv call:\n%s", db);
    int frames = count_substr(db, "(...)\n\t");
    CHECK_MSG(frames == SHOWN, "%d frames shown for a goroutine %d calls deep (want %d):\n%s",
              frames, DEEP, SHOWN, db);
    CHECK_MSG(count_substr(db, "dump_recurse(...)\n") == SHOWN - 1,
              "the deep goroutine's frames are not its gort_chan_recv call and %d of its own:\n%s",
              SHOWN - 1, db);
    const char *note = strstr(db, ELIDED);
    CHECK_MSG(note != NULL, "no \"%.30s\" line after 100 of %d frames:\n%s", ELIDED, DEEP, db);
    CHECK_MSG(strncmp(note + strlen(ELIDED), "created by ", 11) == 0,
              "the elision note is not the backtrace's last line:\n%s", db);

    CHECK_MSG(strstr(sb, ELIDED) == NULL, "a backtrace of a few frames says frames were elided:\n%s", sb);
    CHECK_MSG(count_substr(sb, "dump_recurse(...)\n") == 3, "the shallow goroutine's 3 frames not shown:\n%s", sb);
    CHECK_MSG(strstr(mb, ELIDED) == NULL, "the dumping goroutine's backtrace says frames were elided:\n%s", mb);
    free(db);
    free(sb);
    free(mb);
    free(dump);
    return 0;
}

GORT_MAIN(main_fn)
