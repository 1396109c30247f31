/*
** bf_perfmap.h — telling perf(1) what compiled code is: /tmp/perf-PID.map.
*/
#ifndef BF_PERFMAP_H
#define BF_PERFMAP_H

#include "bfjit.h"

struct bf_region;

/* Appends one symbol per run of ops in the same innermost loop of 'r',
** named by that loop's source position ("bf:L12:5"; "bf:top" outside any
** loop). Failures are ignored: the map is a diagnostic aid. */
void bf_perfmap_write(const bfjit_program *prog, const struct bf_region *r);

/* Appends the checked version 'c' of a segment of 'r', named by the
** position of the segment's first op ("bf:chk:L12:5"). */
struct bf_checked;
void bf_perfmap_write_checked(const bfjit_program *prog, const struct bf_region *r,
                              const struct bf_checked *c);

#endif
