/*
** bf_worker.c — the background compile thread and its two queues: jobs in
** (a ring), results out (a list of regions), one lock. A job carries the
** record its result goes in, allocated when it is queued: the thread itself
** never allocates, so a job it took always comes back, and an allocation
** that fails fails the submit, whose caller then compiles in place.
*/
#include <pthread.h>
#include <stdlib.h>

#include "bf_param.h"
#include "bf_tier.h"
#include "bf_worker.h"

/* One job, from the submit that queues it to the take that hands it back. */
typedef struct job {
  struct job *next;             /* in the list of finished jobs */
  uint32_t first, end;          /* the ops to compile */
  bf_region *r;                 /* the outcome: a region, or NULL and 'why' */
  bf_abort why;
  double seconds;
} job;

struct bf_worker {
  const bfjit_program *prog;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;          /* a job came, or 'stop' */
  job *ring[BF_P_jobs];
  unsigned head, count;         /* the ring of waiting jobs */
  job *done;                    /* finished, not yet taken */
  int stop;
};

/* Jobs come from here: 'bf_worker_test_alloc' when a test defines it. */
static job *job_alloc(void)
{
  return bf_worker_test_alloc ? bf_worker_test_alloc(sizeof(job)) : malloc(sizeof(job));
}

static void *run(void *arg)
{
  bf_worker *w = arg;
  pthread_mutex_lock(&w->lock);
  for (;;) {
    while (!w->count && !w->stop)
      pthread_cond_wait(&w->wake, &w->lock);
    if (w->stop)
      break;
    job *j = w->ring[w->head];
    w->head = (w->head + 1) % BF_P_jobs;
    w->count--;
    pthread_mutex_unlock(&w->lock);
    /* The compile itself runs unlocked: it reads only immutable IR. */
    double t0 = bf_clock();
    j->r = NULL;
    j->why = bf_jit_compile(w->prog, j->first, j->end, 0, &j->r);
    j->seconds = bf_clock() - t0;
    pthread_mutex_lock(&w->lock);
    j->next = w->done;
    w->done = j;
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
  job *j = job_alloc();
  if (!j)
    return -1;  /* the caller compiles in place */
  *j = (job){ .first = first, .end = end };
  int queued = 0;
  pthread_mutex_lock(&w->lock);
  if (w->count < BF_P_jobs) {
    w->ring[(w->head + w->count) % BF_P_jobs] = j;
    w->count++;
    queued = 1;
    pthread_cond_signal(&w->wake);
  }
  pthread_mutex_unlock(&w->lock);
  if (!queued)
    free(j);
  return queued ? 0 : -1;
}

int bf_worker_take(bf_worker *w, uint32_t *first, bf_region **r, bf_abort *why,
                   double *seconds)
{
  pthread_mutex_lock(&w->lock);
  job *j = w->done;
  if (j)
    w->done = j->next;
  pthread_mutex_unlock(&w->lock);
  if (!j)
    return 0;
  *first = j->first;
  *r = j->r;
  *why = j->why;
  *seconds = j->seconds;
  free(j);
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
    job *j = w->done;
    w->done = j->next;
    bf_region_free(j->r);
    free(j);
  }
  for (; w->count; w->count--, w->head = (w->head + 1) % BF_P_jobs)
    free(w->ring[w->head]);  /* never started */
  pthread_cond_destroy(&w->wake);
  pthread_mutex_destroy(&w->lock);
  free(w);
}
