// Two goroutines waiting on the same descriptor in the same direction at
// once is a fatal error (Go's pollDesc "double wait"): a goroutine parks in
// gort_read on descriptor 77 (a socket dup2'd there, nobody writes); 100 ms
// later a second goroutine calls gort_read on descriptor 77 too.  The
// process prints `fatal error: ` with a message containing `double wait` and
// the descriptor number 77, and exits with status 2 (not 0 after main's 2 s
// sleep).
// gort-test: exit=2
// gort-test: stderr=^fatal error: .*double wait
// gort-test: stderr=^fatal error: (.*[^0-9])?77([^0-9].*)?$
// gort-test: timeout=10
#include "np.h"

#define FD 77

static gort_waitgroup first_in;

static void reader(void *arg)
{
    (void)arg;
    char c;
    if (arg == NULL) gort_wg_done(&first_in);
    ssize_t r = gort_read(FD, &c, 1, NULL);
    check_fdprintf(2, "gort_read returned %zd (errno %d)\n", r, np_errno());
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int sv[2];
    np_socketpair(sv);
    CHECK_EQ_INT(dup2(sv[0], FD), FD);
    CHECK_EQ_INT(close(sv[0]), 0);
    gort_wg_add(&first_in, 1);
    go(reader, NULL);
    gort_wg_wait(&first_in);
    gort_sleep(MS(100));                  /* the first reader is parked */
    go(reader, (void *)1);
    gort_sleep(MS(2000));
    check_fdprintf(2, "two goroutines waited on descriptor %d at once without a fatal error\n", FD);
    return 0;
}

GORT_MAIN(main_fn)
