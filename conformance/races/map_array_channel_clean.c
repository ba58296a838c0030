// The word-count hash table of map_array_workers_reported.c with one owner:
// workers only compute (word, count) pairs and send them on a channel; a
// single owner goroutine receives them and is the only one to touch the
// table ("share memory by communicating").  Main reads the table after the
// owner closes a done channel.  ThreadSanitizer reports nothing, and the
// counts are exact.
// gort-test: env=GOMAXPROCS=2
#include "races/race_run.h"

#define TABLE_SIZE 64
#define WORKERS 4

typedef struct entry {
    const char *word;
    long count;
} entry;

typedef struct result {        /* what a worker sends: the key and a value */
    const char *word;
    long n;
} result;

static entry table[TABLE_SIZE];    /* owned by the owner goroutine */
static gort_chan *results, *done;
static gort_waitgroup wg;

static const char *const text[] = {
    "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog",
    "the", "fox", "and", "the", "dog",
};
#define NWORDS (sizeof text / sizeof text[0])

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static entry *lookup(const char *w)
{
    for (unsigned i = hash(w) & (TABLE_SIZE - 1);; i = (i + 1) & (TABLE_SIZE - 1))
        if (table[i].word == NULL || strcmp(table[i].word, w) == 0)
            return &table[i];
}

static void worker(void *arg)
{
    (void)arg;
    for (size_t i = 0; i < NWORDS; i++) {
        result r = { text[i], 1 };
        gort_chan_send(results, &r);
    }
    gort_wg_done(&wg);
}

static void owner(void *arg)
{
    (void)arg;
    result r;
    while (gort_chan_recv(results, &r)) {
        entry *e = lookup(r.word);
        if (e->word == NULL) e->word = r.word;
        e->count += r.n;
    }
    gort_chan_close(done);
}

/* Closes results once every worker has finished sending. */
static void closer(void *arg)
{
    (void)arg;
    gort_wg_wait(&wg);
    gort_chan_close(results);
}

static int fixed(int argc, char **argv)
{
    (void)argc; (void)argv;
    results = gort_chan_make(sizeof(result), 4);
    done = gort_chan_make(0, 0);
    gort_wg_add(&wg, WORKERS);
    go(owner, NULL);
    for (int i = 0; i < WORKERS; i++) go(worker, NULL);
    go(closer, NULL);
    gort_chan_recv(done, NULL);
    if (lookup("the")->count != 4 * WORKERS) return 2;
    if (lookup("fox")->count != 2 * WORKERS) return 3;
    if (lookup("quick")->count != WORKERS) return 4;
    return 0;
}

int main(void)
{
    CHECK_MSG(!race_run(fixed), "a race was reported with a single owner of the table:\n%s", race_stderr);
    CHECK_MSG(race_status == 0, "the program failed (status %d):\n%s", race_status, race_stderr);
    return 0;
}
