// The word-count hash table of map_array_workers_reported.c with every
// lookup-and-update under one gort_mutex (Go: a sync.Mutex around the map),
// and main reading the table only after the WaitGroup: ThreadSanitizer
// reports nothing (Unlock -> Lock and Done -> Wait are happens-before
// edges), and the counts are exact.
// gort-test: env=GOMAXPROCS=2
#include "races/race_run.h"

#define TABLE_SIZE 64
#define WORKERS 4

typedef struct entry {
    const char *word;
    long count;
} entry;

static entry table[TABLE_SIZE];
static gort_mutex mu;
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

static void count_word(const char *w)
{
    gort_mutex_lock(&mu);
    entry *e = lookup(w);
    if (e->word == NULL) e->word = w;
    e->count++;
    gort_mutex_unlock(&mu);
}

static void worker(void *arg)
{
    (void)arg;
    for (size_t i = 0; i < NWORDS; i++) {
        count_word(text[i]);
        if (i % 4 == 0) gort_yield();
    }
    gort_wg_done(&wg);
}

static int fixed(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, WORKERS);
    for (int i = 0; i < WORKERS; i++) go(worker, NULL);
    gort_wg_wait(&wg);
    /* no lock needed here: Wait returned after every worker's Done */
    if (lookup("the")->count != 4 * WORKERS) return 2;
    if (lookup("fox")->count != 2 * WORKERS) return 3;
    if (lookup("quick")->count != WORKERS) return 4;
    return 0;
}

int main(void)
{
    CHECK_MSG(!race_run(fixed), "a race was reported in the Mutex-guarded hash table:\n%s", race_stderr);
    CHECK_MSG(race_status == 0, "the program failed (status %d):\n%s", race_status, race_stderr);
    return 0;
}
