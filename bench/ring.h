/*
 * ring.h — the pthread baselines' bounded queue (bench/SUITE.md: pool and
 * chan_throughput): a ring of int64_t under one mutex, with condvars
 * not-empty and not-full, closable like a channel.  A condvar is signalled
 * only when a thread waits on it, as a careful C programmer would write it.
 * Header-only (static functions), shared by pool.c and chan.c.
 */
#ifndef GORT_BENCH_RING_H
#define GORT_BENCH_RING_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

enum { RING_MAX_CAP = 256 };

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t  not_empty, not_full;
    int             cap;                    /* a power of two, <= RING_MAX_CAP */
    int             head, len;              /* the items are buf[head .. head+len) mod cap */
    int             waiting_get, waiting_put;   /* threads waiting on each condvar */
    bool            closed;
    int64_t         buf[RING_MAX_CAP];
} ring;

/* cap must be a power of two no larger than RING_MAX_CAP. */
static inline void ring_init(ring *r, int cap)
{
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->not_empty, NULL);
    pthread_cond_init(&r->not_full, NULL);
    r->cap = cap;
    r->head = r->len = 0;
    r->waiting_get = r->waiting_put = 0;
    r->closed = false;
}

static inline void ring_destroy(ring *r)
{
    pthread_cond_destroy(&r->not_full);
    pthread_cond_destroy(&r->not_empty);
    pthread_mutex_destroy(&r->mu);
}

static inline void ring_put(ring *r, int64_t x)
{
    pthread_mutex_lock(&r->mu);
    while (r->len == r->cap) {
        r->waiting_put++;
        pthread_cond_wait(&r->not_full, &r->mu);
        r->waiting_put--;
    }
    r->buf[(r->head + r->len) & (r->cap - 1)] = x;
    r->len++;
    if (r->waiting_get)
        pthread_cond_signal(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
}

/* false: closed and drained. */
static inline bool ring_get(ring *r, int64_t *x)
{
    pthread_mutex_lock(&r->mu);
    while (r->len == 0 && !r->closed) {
        r->waiting_get++;
        pthread_cond_wait(&r->not_empty, &r->mu);
        r->waiting_get--;
    }
    bool ok = r->len > 0;
    if (ok) {
        *x = r->buf[r->head];
        r->head = (r->head + 1) & (r->cap - 1);
        r->len--;
        if (r->waiting_put)
            pthread_cond_signal(&r->not_full);
    }
    pthread_mutex_unlock(&r->mu);
    return ok;
}

static inline void ring_close(ring *r)
{
    pthread_mutex_lock(&r->mu);
    r->closed = true;
    pthread_cond_broadcast(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
}

#endif
