// The poll descriptor table grows by doubling as higher descriptors are
// waited on (1024 entries for the first, low, descriptor), and keeps every table it grew out of,
// in order, since readers may still hold one: descriptors 1500, 3000, 6000
// and 12000 (a pipe dup2'ed there) take it to 16384 entries through 4
// grows, 4 old tables kept, and each of them still works (a byte written
// is read back through gort_read).  White-box: netpoll.c's table.
#include "export_test.h"

#include <sys/resource.h>

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    struct rlimit rl;
    CHECK_EQ_INT(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max <= 12001)
        SKIP("RLIMIT_NOFILE's hard limit %llu is too low for descriptor 12000",
             (unsigned long long)rl.rlim_max);
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur <= 12001) {
        rl.rlim_cur = 12002;
        CHECK_EQ_INT(setrlimit(RLIMIT_NOFILE, &rl), 0);
    }
    int p[2];
    CHECK_EQ_INT(pipe(p), 0);
    /* a low descriptor first: the first table, 1024 entries */
    CHECK_EQ_INT(gort_write(p[1], "w", 1, NULL), 1);
    char c0 = 0;
    CHECK_EQ_INT(gort_read(p[0], &c0, 1, NULL), 1);
    int nold0 = -1;
    CHECK_EQ_INT(netpoll_test_table(&nold0), 1024);
    CHECK_EQ_INT(nold0, 0);
    const int fds[4] = { 1500, 3000, 6000, 12000 };
    const int caps[4] = { 2048, 4096, 8192, 16384 };
    for (int i = 0; i < 4; i++) {
        int r = fds[i], w = fds[i] + 1;
        CHECK_EQ_INT(dup2(p[0], r), r);
        CHECK_EQ_INT(dup2(p[1], w), w);
        CHECK_EQ_INT(gort_write(w, "x", 1, NULL), 1);
        char b = 0;
        CHECK_EQ_INT(gort_read(r, &b, 1, NULL), 1);
        CHECK_EQ_INT(b, 'x');
        int nold = -1;
        CHECK_EQ_INT(netpoll_test_table(&nold), caps[i]);
        CHECK_EQ_INT(nold, i + 1);
    }
    for (int i = 0; i < 4; i++) {   /* all still usable */
        CHECK_EQ_INT(gort_write(fds[i] + 1, "y", 1, NULL), 1);
        char b = 0;
        CHECK_EQ_INT(gort_read(fds[i], &b, 1, NULL), 1);
        CHECK_EQ_INT(b, 'y');
    }
    return 0;
}

int main(int argc, char **argv) { return gort_main(main_fn, argc, argv); }
