/*
** bf_srcmap.c — the source map: the offsets where lines start, found once
** in the program text, and a binary search from an offset to line:column.
*/
#include <stdlib.h>
#include <string.h>

#include "bf_srcmap.h"

/* The offset of the first '\n' at or after 'i' in 'src', or 'len'. */
static size_t next_newline(const uint8_t *src, size_t len, size_t i)
{
  const uint8_t *q = i < len ? memchr(src + i, '\n', len - i) : NULL;
  return q ? (size_t)(q - src) : len;
}

int bf_srcmap_make(bf_srcmap *map, const uint8_t *src, size_t len)
{
  /* Two passes, count then fill: one allocation of the exact size. */
  size_t n = 1;
  for (size_t i = next_newline(src, len, 0); i < len; i = next_newline(src, len, i + 1))
    n++;
  *map = (bf_srcmap){ malloc(n * sizeof *map->line_start), n };
  if (!map->line_start) {
    map->nlines = 0;
    return -1;
  }
  map->line_start[0] = 0;
  n = 1;
  for (size_t i = next_newline(src, len, 0); i < len; i = next_newline(src, len, i + 1))
    map->line_start[n++] = (uint32_t)i + 1;
  return 0;
}

void bf_srcmap_pos(const bf_srcmap *map, uint32_t off, unsigned *line,
                   unsigned *column)
{
  /* The last line that starts at or before 'off'. */
  size_t lo = 0, hi = map->nlines;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (map->line_start[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  *line = (unsigned)lo + 1;
  *column = off - (map->nlines ? map->line_start[lo] : 0) + 1;
}

void bf_srcmap_free(bf_srcmap *map)
{
  free(map->line_start);
  *map = (bf_srcmap){ 0 };
}
