/*
** bf_srcmap.h — source positions: an op's byte offset in the program text
** becomes line:column, for errors, --profile, --dump-code, --dump-ir, the
** perf map and the C emitter's comments.
*/
#ifndef BF_SRCMAP_H
#define BF_SRCMAP_H

#include <stddef.h>
#include <stdint.h>

/* Where each line starts. A line ends at '\n'; columns count bytes. */
typedef struct bf_srcmap {
  uint32_t *line_start;  /* byte offset of line i+1's first byte */
  size_t nlines;
} bf_srcmap;

/* Fills 'map' for the 'len' bytes of 'src' (at most UINT32_MAX - 1).
** Returns 0, or -1 when memory runs out ('map' is then empty). */
int bf_srcmap_make(bf_srcmap *map, const uint8_t *src, size_t len);

/* The 1-based line and column of byte offset 'off'. */
void bf_srcmap_pos(const bf_srcmap *map, uint32_t off, unsigned *line,
                   unsigned *column);

void bf_srcmap_free(bf_srcmap *map);

#endif
