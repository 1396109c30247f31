/*
** bf_worker.h — the background compiler: a thread that compiles regions
** while the interpreter goes on. It only reads the program's IR and options
** (immutable once compiled) and hands back sealed regions; installing them
** stays with the interpreter's thread, so loop entries and the region list
** are never touched by two threads.
*/
#ifndef BF_WORKER_H
#define BF_WORKER_H

#include "bf_jit.h"

typedef struct bf_worker bf_worker;

/* Starts the thread for 'prog'. Returns NULL when it cannot be started. */
bf_worker *bf_worker_start(const bfjit_program *prog);

/* Queues ops [first, end) for compiling. Returns 0, or -1 when the queue
** is full or the job's record cannot be allocated (the caller compiles by
** itself). A queued job always comes back through 'bf_worker_take' (or is
** freed by 'bf_worker_stop'): the thread allocates nothing. */
int bf_worker_submit(bf_worker *w, uint32_t first, uint32_t end);

/* Takes one finished job without waiting: returns 1 with its op 'first',
** its region (NULL when it failed, 'why' saying why) and the seconds the
** compile took; 0 when none is ready. The region's code is already
** read-execute: the queue's lock orders its writes before this read. */
int bf_worker_take(bf_worker *w, uint32_t *first, bf_region **r, bf_abort *why,
                   double *seconds);

/* Stops the thread, waits for it, and frees whatever was not taken. */
void bf_worker_stop(bf_worker *w);

/* For tests only (tests/test_background.c defines it to fail on demand):
** when a program linked with the static library defines this function, job
** records are allocated with it instead of malloc (what it returns goes to
** free; NULL fails the submit). Weak and hidden: the
** shared library neither exports it nor looks for it, and where no
** definition is linked in it is NULL. */
void *bf_worker_test_alloc(size_t size) __attribute__((weak, visibility("hidden")));

#endif
