// The Go lesson's "concurrent map writes": several workers count words into
// one shared table with no lock.  In C the map is a fixed-size open-addressed
// hash table (word -> count); each worker looks a word up, claims an empty
// slot or bumps the count, with plain loads and stores.  The workers' writes
// to the same slots have no happens-before edge between them, so the
// ThreadSanitizer build reports a data race with both goroutines' stacks.
// Left at the default GOMAXPROCS (the counter test runs with 1).
// The fixes: map_array_mutex_clean.c, map_array_channel_clean.c.
#include "races/race_run.h"

#define TABLE_SIZE 64          /* power of two, much larger than the words */
#define WORKERS 4

typedef struct entry {
    const char *word;          /* NULL: empty slot */
    long count;
} entry;

static entry table[TABLE_SIZE];
static gort_waitgroup wg;

static const char *const text[] = {
    "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog",
    "the", "fox", "and", "the", "dog",
};
#define NWORDS (sizeof text / sizeof text[0])

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;              /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* table[word]++ with linear probing: the racy "map" write. */
static void count_word(const char *w)
{
    for (unsigned i = hash(w) & (TABLE_SIZE - 1);; i = (i + 1) & (TABLE_SIZE - 1)) {
        if (table[i].word == NULL) {
            table[i].word = w;
            table[i].count = 1;
            return;
        }
        if (strcmp(table[i].word, w) == 0) {
            table[i].count++;
            return;
        }
    }
}

static void worker(void *arg)
{
    (void)arg;
    /* every worker counts the whole text, as if each had its own copy of
     * the same document: they all write the same slots */
    for (size_t i = 0; i < NWORDS; i++) {
        count_word(text[i]);
        if (i % 4 == 0) gort_yield();
    }
    gort_wg_done(&wg);
}

static int racy(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, WORKERS);
    for (int i = 0; i < WORKERS; i++) go(worker, NULL);
    gort_wg_wait(&wg);
    return 0;
}

int main(void)
{
    CHECK_MSG(race_run(racy), "the unlocked hash table was not reported; stderr:\n%s", race_stderr);
    CHECK_MSG(race_status == RACE_REPORTED_STATUS, "the racy program ended with status %d, not TSan's %d "
              "after a report:\n%s", race_status, RACE_REPORTED_STATUS, race_stderr);
    CHECK_MSG(strstr(race_stderr, "Previous write") || strstr(race_stderr, "Previous read"),
              "the report lacks the other goroutine's access:\n%s", race_stderr);
    CHECK_STR_CONTAINS(race_stderr, "map_array_workers_reported.c");
    CHECK_STR_CONTAINS(race_stderr, "count_word");
    return 0;
}
