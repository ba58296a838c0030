// A descriptor number reused after close(2) works: the poller does not
// trust a stale registration.  100 rounds: a socketpair whose ends have the
// same two numbers every round (the kernel hands out the lowest free
// numbers, so normally they are the same; if not, they are moved there
// with dup2 when those numbers are free; at least half the rounds must
// reuse the numbers); a goroutine parks in gort_read on the
// first end, a byte written 2 ms later wakes it; in alternate rounds the
// wait is gort_fd_wait(POLLIN) then read(2).  Then both ends are closed
// with close(2) (never through gort) and the next round's new sockets get
// the same numbers.  Every wait is woken by its own round's byte within
// 2 s (a ctx guards against a hang), reading that round's byte value.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "np.h"

#define ROUNDS 100

static int FD_R = -1, FD_W = -1;     /* the numbers of round 0's socketpair */

static gort_waitgroup in, fin;
static _Atomic int result;

static void waiter(void *arg)
{
    int round = (int)(intptr_t)arg;
    unsigned char c = 0;
    gort_ctx *guard = gort_ctx_with_timeout(gort_ctx_background(), MS(2000));
    gort_wg_done(&in);
    if (round % 2 == 0) {
        ssize_t r = gort_read(FD_R, &c, 1, guard);
        CHECK_MSG(r == 1, "round %d: gort_read on reused descriptor %d returned %zd (%s)", round, FD_R, r,
                  np_strerror(r));
    } else {
        int w = gort_fd_wait(FD_R, POLLIN, guard);
        CHECK_MSG(w == 0, "round %d: gort_fd_wait on reused descriptor %d returned %d", round, FD_R, w);
        CHECK_EQ_INT(read(FD_R, &c, 1), 1);
    }
    CHECK_MSG(c == (unsigned char)round, "round %d read byte %d", round, c);
    gort_ctx_unref(guard);
    atomic_fetch_add(&result, 1);
    gort_wg_done(&fin);
}

static bool fd_free(int fd) { return fcntl(fd, F_GETFD) == -1 && np_errno() == EBADF; }

/* Puts fd on number `want` if that number is free: returns the number used. */
static int move_to(int fd, int want)
{
    if (fd == want || !fd_free(want)) return fd;
    CHECK_EQ_INT(dup2(fd, want), want);
    CHECK_EQ_INT(close(fd), 0);
    return want;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int natural = 0, moved = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int sv[2];
        np_socketpair(sv);
        if (round == 0) {
            FD_R = sv[0];
            FD_W = sv[1];
        } else if (sv[0] == FD_R && sv[1] == FD_W) {
            natural++;
        } else {
            int prev_r = FD_R, prev_w = FD_W;
            /* sv[1] first if it sits on the reader's old number, so nothing is clobbered */
            if (sv[1] == prev_r) {
                FD_W = move_to(sv[1], prev_w);
                FD_R = move_to(sv[0], prev_r);
            } else {
                FD_R = move_to(sv[0], prev_r);
                FD_W = move_to(sv[1], prev_w);
            }
            if (FD_R == prev_r && FD_W == prev_w) moved++;
            else NOTE("round %d: descriptors %d/%d are not free; using %d/%d\n", round, prev_r, prev_w, FD_R, FD_W);
        }
        gort_wg_add(&in, 1);
        gort_wg_add(&fin, 1);
        go(waiter, (void *)(intptr_t)round);
        gort_wg_wait(&in);
        gort_sleep(MS(2));                      /* parked (usually) */
        unsigned char b = (unsigned char)round;
        CHECK_EQ_INT(write(FD_W, &b, 1), 1);
        gort_wg_wait(&fin);
        CHECK_EQ_INT(close(FD_R), 0);
        CHECK_EQ_INT(close(FD_W), 0);
    }
    CHECK_EQ_INT(atomic_load(&result), ROUNDS);
    NOTE("%d rounds: the kernel handed out the previous round's numbers %d times, %d times they were moved "
         "there with dup2\n", ROUNDS, natural, moved);
    CHECK_MSG(natural + moved >= ROUNDS / 2, "descriptor numbers were reused in only %d of %d rounds",
              natural + moved, ROUNDS - 1);
    return 0;
}

GORT_MAIN(main_fn)
