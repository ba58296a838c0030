// Running out of memory while spawning (here: address space capped with
// RLIMIT_AS at 1.5 GiB, so stack arenas cannot be reserved) ends the program
// with a clear `fatal error: ... out of memory ...` and exit status 2, never
// a segmentation fault or a silent hang.
// gort-test: exit=2
// gort-test: stderr=fatal error: .*out of memory
#include "check.h"

#include <sys/resource.h>

static gort_waitgroup never;

static void park_forever(void *arg)
{
    (void)arg;
    gort_wg_wait(&never);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_SANITIZERS();
    SKIP_UNDER_VALGRIND("RLIMIT_AS would cap Valgrind's own memory and shadow memory too");
    struct rlimit rl = { (rlim_t)3 << 29, (rlim_t)3 << 29 };
    CHECK_EQ_INT(setrlimit(RLIMIT_AS, &rl), 0);
    gort_wg_add(&never, 1);
    for (long i = 0; i < 10000000; i++)
        go(park_forever, NULL);
    check_fdprintf(2, "spawned 10,000,000 goroutines in 1.5 GiB of address space?\n");
    return 0;
}

GORT_MAIN(main_fn)
