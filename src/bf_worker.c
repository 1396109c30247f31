/*
** bf_worker.c — the background compile thread and its two queues: jobs in
** (a ring of op ranges), results out (a list of regions), one lock.
*/
#include <pthread.h>
#include <stdlib.h>

#include "bf_tier.h"
#include "bf_worker.h"

#define MAX_JOBS 64  /* hot loops waiting at once; more compile in place */

typedef struct result {
  struct result *next;
  uint32_t first;
  bf_region *r;
  bf_abort why;
  double seconds;
} result;

struct bf_worker {
  const bfjit_program *prog;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;          /* a job came, or 'stop' */
  uint32_t job_first[MAX_JOBS], job_end[MAX_JOBS];
  unsigned head, count;         /* the ring of waiting jobs */
  result *done;                 /* finished, not yet taken */
  int stop;
};

static void *run(void *arg)
{
  bf_worker *w = arg;
  pthread_mutex_lock(&w->lock);
  for (;;) {
    while (!w->count && !w->stop)
      pthread_cond_wait(&w->wake, &w->lock);
    if (w->stop)
      break;
    uint32_t first = w->job_first[w->head], end = w->job_end[w->head];
    w->head = (w->head + 1) % MAX_JOBS;
    w->count--;
    pthread_mutex_unlock(&w->lock);
    /* The compile itself runs unlocked: it reads only immutable IR. */
    result *res = malloc(sizeof *res);
    double t0 = bf_clock();
    bf_region *r = NULL;
    bf_abort why = bf_jit_compile(w->prog, first, end, &r);
    pthread_mutex_lock(&w->lock);
    if (!res) {
      bf_region_free(r);
      continue;  /* the loop just stays interpreted */
    }
    *res = (result){ w->done, first, r, why, bf_clock() - t0 };
    w->done = res;
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

bf_worker *bf_worker_start(const bfjit_program *prog)
{
  bf_worker *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->prog = prog;
  if (pthread_mutex_init(&w->lock, NULL)) {
    free(w);
    return NULL;
  }
  if (pthread_cond_init(&w->wake, NULL)) {
    pthread_mutex_destroy(&w->lock);
    free(w);
    return NULL;
  }
  if (pthread_create(&w->thread, NULL, run, w)) {
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
    return NULL;
  }
  return w;
}

int bf_worker_submit(bf_worker *w, uint32_t first, uint32_t end)
{
  int ok = 0;
  pthread_mutex_lock(&w->lock);
  if (w->count < MAX_JOBS) {
    unsigned tail = (w->head + w->count) % MAX_JOBS;
    w->job_first[tail] = first;
    w->job_end[tail] = end;
    w->count++;
    ok = 1;
    pthread_cond_signal(&w->wake);
  }
  pthread_mutex_unlock(&w->lock);
  return ok ? 0 : -1;
}

int bf_worker_take(bf_worker *w, uint32_t *first, bf_region **r, bf_abort *why,
                   double *seconds)
{
  pthread_mutex_lock(&w->lock);
  result *res = w->done;
  if (res)
    w->done = res->next;
  pthread_mutex_unlock(&w->lock);
  if (!res)
    return 0;
  *first = res->first;
  *r = res->r;
  *why = res->why;
  *seconds = res->seconds;
  free(res);
  return 1;
}

void bf_worker_stop(bf_worker *w)
{
  if (!w)
    return;
  pthread_mutex_lock(&w->lock);
  w->stop = 1;
  pthread_cond_signal(&w->wake);
  pthread_mutex_unlock(&w->lock);
  pthread_join(w->thread, NULL);
  while (w->done) {
    result *res = w->done;
    w->done = res->next;
    bf_region_free(res->r);
    free(res);
  }
  pthread_cond_destroy(&w->wake);
  pthread_mutex_destroy(&w->lock);
  free(w);
}
