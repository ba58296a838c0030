// Code in a library loaded with dlopen() after the runtime started is the
// program's code too: a goroutine looping in it (calling nothing) is
// preempted like one looping in the executable.  The runtime's map of the
// loaded objects, which tells the program's code from libc's and the
// loader's (where it must not interrupt), is refreshed when objects are
// loaded later.  At GOMAXPROCS=1, main dlopen()s the module (built next to
// this test), starts a goroutine in its loop, and sleeps 10 ms 20 times:
// main wakes each time within the usual bounds only if the loop is
// preempted.  Without the refresh, the module's code is not in the map,
// the loop is never interrupted and main never runs again (the watchdog
// says so).
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=20
#include "pre.h"

#include <dlfcn.h>

#define SLEEPS 20

typedef void (*loop_fn)(_Atomic int *stop, _Atomic long *progress);

static _Atomic int stop;
static _Atomic long progress;
static gort_waitgroup wg;
static loop_fn module_loop;

static void spinner(void *arg)
{
    (void)arg;
    module_loop(&stop, &progress);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    gort_sleep(MS(20));   /* the runtime's first map is made and in use */
    void *h = dlopen(SPIN_MODULE, RTLD_NOW | RTLD_LOCAL);
    CHECK_MSG(h != NULL, "dlopen(%s): %s", SPIN_MODULE, dlerror());
    module_loop = (loop_fn)dlsym(h, "spin_module_loop");
    CHECK_MSG(module_loop != NULL, "dlsym: %s", dlerror());

    pre_watchdog_start(MS(5000), "main asleep 10 ms while a goroutine loops in a dlopen'ed module");
    gort_wg_add(&wg, 1);
    go(spinner, NULL);
    int64_t late[SLEEPS];
    long last = 0;
    int ran = 0;
    for (int i = 0; i < SLEEPS; i++) {
        int64_t t0 = now_ns();
        gort_sleep(MS(10));
        late[i] = now_ns() - t0 - MS(10);
        long now = LD(progress);
        ran += now > last;
        last = now;
    }
    CHECK_MSG(ran >= SLEEPS / 2, "the module's loop ran during only %d of %d sleeps", ran, SLEEPS);
    ST(stop, 1);
    gort_wg_wait(&wg);
    pre_watchdog_stop();
    pre_check_lateness(late, SLEEPS, "10 ms sleeps next to a loop in a dlopen'ed module at GOMAXPROCS=1");
    return 0;
}

GORT_MAIN(main_fn)
