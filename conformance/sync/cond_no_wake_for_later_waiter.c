// Neither gort_cond_signal nor gort_cond_broadcast wakes a goroutine that
// starts waiting after the call (a signal is not saved for later, unlike a
// semaphore): a signal and a broadcast with nobody waiting, then a waiter
// A — still asleep 50 ms later; a signal wakes A; another signal with
// nobody waiting, then waiter B — still asleep 50 ms later; a broadcast
// wakes B, then waiter C starts — still asleep 50 ms later; one signal
// wakes C, the only one waiting.
#include "check.h"

static gort_mutex m;
static gort_cond c;
static gort_chan *running, *awake;

static void waiter(void *arg)
{
    int id = (int)(intptr_t)arg;
    gort_mutex_lock(&m);
    gort_chan_send(running, NULL);
    gort_cond_wait(&c, &m);
    gort_chan_send(awake, &id);
    gort_mutex_unlock(&m);
}

/* Starts waiter id and returns once it is inside gort_cond_wait. */
static void start_waiter(int id)
{
    go(waiter, (void *)(intptr_t)id);
    gort_chan_recv(running, NULL);
    gort_mutex_lock(&m);
    gort_mutex_unlock(&m);
}

static void check_asleep(const char *who)
{
    gort_sleep(MS(50));
    bool ok = false;
    int id = -1;
    CHECK_MSG(!gort_chan_try_recv(awake, &id, &ok), "%s: waiter %d was woken by a call made before it waited",
              who, id);
}

static void wake_one(int want)
{
    int id = -1;
    CHECK(gort_chan_recv(awake, &id));
    CHECK_EQ_INT(id, want);
}

static void signal_one(void) { gort_mutex_lock(&m); gort_cond_signal(&c); gort_mutex_unlock(&m); }
static void broadcast(void) { gort_mutex_lock(&m); gort_cond_broadcast(&c); gort_mutex_unlock(&m); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    running = gort_chan_make(0, 0);
    awake = gort_chan_make(sizeof(int), 4);

    signal_one();
    broadcast();
    start_waiter(1);
    check_asleep("signal and broadcast with nobody waiting");
    signal_one();
    wake_one(1);

    signal_one();                               /* nobody waits now */
    start_waiter(2);
    check_asleep("signal after the last waiter woke");
    broadcast();
    wake_one(2);
    start_waiter(3);
    check_asleep("broadcast");
    signal_one();
    wake_one(3);

    gort_chan_unref(running);
    gort_chan_unref(awake);
    return 0;
}

GORT_MAIN(main_fn)
