/*
** bf_parse.h — program text to unoptimized IR.
*/
#ifndef BF_PARSE_H
#define BF_PARSE_H

#include "bfjit.h"
#include "bf_ir.h"
#include "bf_srcmap.h"

/* Parses 'len' bytes into 'ir' (empty, with 'cell_bits' set): one op per command,
** '+'/'-' as ADD of +1/-1, '<'/'>' as MOVE of -1/+1, and a final HALT; loops
** linked. Fills 'map' (bf_srcmap_make), by which its errors are placed.
** Returns 0, or -1 with 'err' set (BFJIT_ERR_PARSE at the bracket at fault,
** BFJIT_ERR_NOMEM, BFJIT_ERR_ARG for text over 4 GiB). */
int bf_parse(const uint8_t *src, size_t len, bf_ir *ir, bf_srcmap *map,
             bfjit_error *err);

/* As bf_parse, with +- and <> runs folded as they are read, exactly as the
** fold pass folds them: what 'bf_parse' then BFJIT_PASS_FOLD would give, in a
** fraction of the memory (a big program's unfolded IR is most of what it
** ever needs). For when the fold pass is on. */
int bf_parse_folded(const uint8_t *src, size_t len, bf_ir *ir, bf_srcmap *map,
                    bfjit_error *err);

#endif
