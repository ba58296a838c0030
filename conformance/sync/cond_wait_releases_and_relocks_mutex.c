// gort_cond_wait releases the mutex while it waits and holds it again when
// it returns: with the waiter parked, main can lock the mutex; a signal made
// while main keeps holding the mutex does not let the waiter return (it is
// still inside the wait 50 ms later); once main unlocks, the waiter returns
// holding the mutex (main's trylock fails until the waiter unlocks).
#include "check.h"

static gort_mutex m;
static gort_cond c;
static gort_chan *running, *returned, *poke;
static _Atomic int back;

static void waiter(void *arg)
{
    (void)arg;
    gort_mutex_lock(&m);
    gort_chan_send(running, NULL);
    gort_cond_wait(&c, &m);
    atomic_store(&back, 1);
    gort_chan_send(returned, NULL);
    gort_chan_recv(poke, NULL);            /* holds m meanwhile */
    gort_mutex_unlock(&m);
    gort_chan_send(returned, NULL);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    running = gort_chan_make(0, 0);
    returned = gort_chan_make(0, 0);
    poke = gort_chan_make(0, 0);
    go(waiter, NULL);
    gort_chan_recv(running, NULL);
    gort_sleep(MS(10));
    CHECK_MSG(gort_mutex_trylock(&m), "the mutex is still locked while its holder waits on the cond");
    gort_cond_signal(&c);
    gort_sleep(MS(50));
    CHECK_MSG(atomic_load(&back) == 0, "gort_cond_wait returned while another goroutine held the mutex");
    gort_mutex_unlock(&m);
    gort_chan_recv(returned, NULL);
    CHECK_MSG(!gort_mutex_trylock(&m), "gort_cond_wait returned without the mutex");
    gort_chan_send(poke, NULL);
    gort_chan_recv(returned, NULL);
    CHECK(gort_mutex_trylock(&m));
    gort_mutex_unlock(&m);
    gort_chan_unref(running);
    gort_chan_unref(returned);
    gort_chan_unref(poke);
    return 0;
}

GORT_MAIN(main_fn)
