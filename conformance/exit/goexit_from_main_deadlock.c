// gort_exit from main ends main (its deferred calls run) but not the program:
// the worker finishes its ~100 ms of work, then the runtime declares
// `fatal error: no goroutines (main called runtime.Goexit) - deadlock!`, exit 2.
// gort-test: exit=2
// gort-test: stdout=main deferred ran
// gort-test: stdout=worker done
// gort-test: stderr=fatal error: no goroutines \(main called runtime\.Goexit\) - deadlock!
#include "check.h"

static void say(const char *s) { check_write_all_(1, s, strlen(s)); }

static void worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 10; i++) gort_sleep(MS(10));
    say("worker done\n");
}

static void main_deferred(void *arg) { (void)arg; say("main deferred ran\n"); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_defer(main_deferred, NULL);
    go(worker, NULL);
    gort_exit();
}

GORT_MAIN(main_fn)
