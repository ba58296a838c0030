// The classic concurrent prime sieve: a generator goroutine sends 2, 3, 4, ...
// into a chain of filter goroutines, one per prime found, each dropping the
// multiples of its prime (unbuffered channels throughout).  The first 1000
// primes come out in order and equal a simple sieve of Eratosthenes.
#include "check.h"

#define NPRIMES 1000
#define LIMIT 8000          /* the 1000th prime is 7919 */

typedef struct { gort_chan *in, *out; int64_t p; } filter_args;
static filter_args fargs[NPRIMES];

static void generate(void *arg)
{
    gort_chan *ch = (gort_chan *)arg;
    for (int64_t i = 2;; i++) gort_chan_send(ch, &i);
}

static void filter(void *arg)
{
    filter_args *a = (filter_args *)arg;
    for (;;) {
        int64_t i;
        CHECK(gort_chan_recv(a->in, &i));
        if (i % a->p != 0) gort_chan_send(a->out, &i);
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    static bool composite[LIMIT];
    static int64_t want[NPRIMES];
    int n = 0;
    for (int i = 2; i < LIMIT && n < NPRIMES; i++) {
        if (composite[i]) continue;
        want[n++] = i;
        for (int j = i * 2; j < LIMIT; j += i) composite[j] = true;
    }
    CHECK_EQ_INT(n, NPRIMES);
    CHECK_EQ_INT(want[NPRIMES - 1], 7919);

    gort_chan *ch = gort_chan_make(sizeof(int64_t), 0);
    go(generate, ch);
    for (int i = 0; i < NPRIMES; i++) {
        int64_t prime;
        CHECK(gort_chan_recv(ch, &prime));
        CHECK_MSG(prime == want[i], "prime #%d is %lld, want %lld", i + 1, (long long)prime,
                  (long long)want[i]);
        gort_chan *ch1 = gort_chan_make(sizeof(int64_t), 0);
        fargs[i] = (filter_args){ch, ch1, prime};
        go(filter, &fargs[i]);
        ch = ch1;
    }
    /* the chain's goroutines stay blocked; main's return ends the program */
    return 0;
}

GORT_MAIN(main_fn)
