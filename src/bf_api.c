/*
** bf_api.c — the public API: options, compiling, running, freeing. This is
** the edge where internal state becomes 'bfjit_status' and 'bfjit_error'.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bf_cache.h"
#include "bf_error.h"
#include "bf_eval.h"
#include "bf_interp.h"
#include "bf_opt.h"
#include "bf_param.h"
#include "bf_parse.h"
#include "bf_program.h"
#include "bf_state.h"
#include "bf_tape.h"
#include "bf_tier.h"

#define DEFAULT_TAPE_CELLS ((size_t)64 << 20)

void bfjit_options_init(bfjit_options *o)
{
  *o = (bfjit_options){
    .cell_bits = 8,
    .eof = BFJIT_EOF_KEEP,
    .tape_cells = DEFAULT_TAPE_CELLS,
    .passes = BFJIT_PASS_ALL,
    .mode = BFJIT_MODE_TIERED,
    .hot_threshold = BF_P_hot,
    .max_steps = 0,
    .code_max = 0,
  };
}

static int check_options(const bfjit_options *o, bfjit_error *err)
{
  if (o->cell_bits != 8 && o->cell_bits != 16 && o->cell_bits != 32)
    return bf_error_set(err, BFJIT_ERR_ARG, BF_EM_CELL_BITS, o->cell_bits);
  if (o->eof > BFJIT_EOF_MINUS_ONE)
    return bf_error_set(err, BFJIT_ERR_ARG, BF_EM_EOF_MODE, (int)o->eof);
  if (o->tape_cells < BF_TAPE_MIN_CELLS)
    return bf_error_set(err, BFJIT_ERR_ARG, BF_EM_TAPE_MIN, BF_TAPE_MIN_CELLS);
  if (o->mode > BFJIT_MODE_JIT)
    return bf_error_set(err, BFJIT_ERR_ARG, BF_EM_MODE, (int)o->mode);
  if (o->passes & ~BFJIT_PASS_ALL)
    return bf_error_set(err, BFJIT_ERR_ARG, BF_EM_PASSES, o->passes);
  return 0;
}

bfjit_program *bfjit_compile(const void *src, size_t len,
                             const bfjit_options *opt, bfjit_error *err)
{
  bfjit_options defaults;
  if (!opt) {
    bfjit_options_init(&defaults);
    opt = &defaults;
  }
  if (check_options(opt, err))
    return NULL;
  bfjit_program *p = calloc(1, sizeof *p);
  if (!p) {
    bf_error_set(err, BFJIT_ERR_NOMEM, BF_EM_NOMEM);
    return NULL;
  }
  double t0 = bf_clock();
  p->opt = *opt;
  p->ir.cell_bits = opt->cell_bits;
  p->text_hash = bf_cache_hash_text(src, len);
  p->stats.cache_state = "off";
  p->stats.eval_stop = "off";
  /* With the fold pass on, runs are folded as they are read: one op a
  ** command is 20 bytes, most of a big program's peak memory. */
  int r = opt->passes & BFJIT_PASS_FOLD ? bf_parse_folded(src, len, &p->ir, &p->map, err)
                                        : bf_parse(src, len, &p->ir, &p->map, err);
  if (r) {
    bfjit_free(p);
    return NULL;
  }
  bf_opt_run(&p->ir, opt->passes);
  bf_ir_shrink(&p->ir);
  p->loops = calloc(p->ir.nloops ? p->ir.nloops : 1, sizeof *p->loops);
  p->entry = calloc(p->ir.nloops ? p->ir.nloops : 1, sizeof *p->entry);
  if (!p->loops || !p->entry) {
    bf_error_set(err, BFJIT_ERR_NOMEM, BF_EM_NOMEM);
    bfjit_free(p);
    return NULL;
  }
  uint32_t open = UINT32_MAX;  /* the innermost loop around op i */
  for (size_t i = 0; i < p->ir.n; i++)
    if (p->ir.ops[i].op == BF_LOOP) {
      bf_loop *l = &p->loops[p->ir.ops[i].val];
      l->head = (uint32_t)i;
      l->parent = open;
      l->trigger = bf_tier_budget(p, p->ir.ops[i].val);
      open = p->ir.ops[i].val;
    } else if (p->ir.ops[i].op == BF_END) {
      open = p->loops[p->ir.ops[i].val].parent;
    }
  if (bf_tier_start(p)) {
    bf_error_set(err, BFJIT_ERR_NOMEM, BF_EM_WORKER);
    bfjit_free(p);
    return NULL;
  }
  p->stats.parse_seconds = bf_clock() - t0;
  if (err)
    *err = (bfjit_error){ .status = BFJIT_OK };
  return p;
}

void bfjit_free(bfjit_program *p)
{
  if (!p)
    return;
  bf_tier_free(p);
  bf_interp_free(p);
  bf_eval_free(p);
  bf_ir_free(&p->ir);
  bf_srcmap_free(&p->map);
  free(p->loops);
  free(p->entry);
  free(p);
}

/* Turns a stopped run's state into the caller's error. */
static bfjit_status report(const bfjit_program *p, const bf_state *st,
                           bfjit_error *err)
{
  switch (st->status) {
  case BFJIT_ERR_TAPE:
    if (st->err_cell < 0)
      bf_error_set(err, BFJIT_ERR_TAPE, BF_EM_TAPE_LEFT, (long long)st->err_cell);
    else
      bf_error_set(err, BFJIT_ERR_TAPE, BF_EM_TAPE_PAST, (long long)st->err_cell,
                   p->opt.tape_cells);
    bf_error_at(err, &p->map, st->err_src);
    break;
  case BFJIT_ERR_STEPS:
    bf_error_set(err, BFJIT_ERR_STEPS, BF_EM_STEPS, (unsigned long long)p->opt.max_steps);
    bf_error_at(err, &p->map, st->err_src);
    break;
  case BFJIT_ERR_IO:
    bf_error_set(err, BFJIT_ERR_IO, BF_EM_IO,
                 bf_error_text(st->err_reading ? BF_EM_IO_READ : BF_EM_IO_WRITE),
                 st->err_errno ? strerror(st->err_errno) : bf_error_text(BF_EM_IO_CALLBACK));
    break;
  default:
    bf_error_set(err, st->status, BF_EM_STATUS, bfjit_status_name(st->status));
    break;
  }
  return st->status;
}

bfjit_status bfjit_run(bfjit_program *p, const bfjit_io *io, bfjit_error *err)
{
  bf_tape tape;
  uint8_t in[BF_P_in_bytes];
  if (!p || !io || !io->read || !io->write) {
    bf_error_set(err, BFJIT_ERR_ARG, BF_EM_RUN_ARGS);
    return BFJIT_ERR_ARG;
  }
  bf_eval_make(p);  /* the first run only */
  if (bf_tape_open(&tape, p->opt.tape_cells, p->opt.cell_bits / 8)) {
    bf_error_set(err, BFJIT_ERR_NOMEM, BF_EM_TAPE_MAP, p->opt.tape_cells, strerror(errno));
    return BFJIT_ERR_NOMEM;
  }
  uint8_t *out = malloc(BF_P_out_bytes);
  if (!out) {
    bf_tape_close(&tape);
    bf_error_set(err, BFJIT_ERR_NOMEM, BF_EM_NOMEM);
    return BFJIT_ERR_NOMEM;
  }
  bf_state st = {
    .p = tape.cells, .tape = tape.cells, .tape_end = tape.cells + tape.bytes,
    .steps = p->opt.max_steps ? p->opt.max_steps : UINT64_MAX,
    .out = out, .out_cap = BF_P_out_bytes, .in = in,
    .eof_mode = p->opt.eof, .cell_mask = bf_cell_mask(p->opt.cell_bits),
    .io = io, .status = BFJIT_OK,
  };
  double t0 = bf_clock(), native0 = p->stats.native_seconds,
         compile0 = p->stats.compile_seconds;
  int r = bf_eval_restore(p, &st);
  if (r == 0)
    r = bf_tier_run(p, &st);
  if (p->opt.timing)
    p->stats.interp_seconds += bf_clock() - t0 - (p->stats.native_seconds - native0) -
                               (p->stats.compile_seconds - compile0);
  /* Output made before an error is still the program's output. */
  int f = st.status == BFJIT_ERR_IO ? 0 : bf_io_flush(&st);
  bf_tape_close(&tape);
  free(out);
  if (r || f)
    return report(p, &st, err);
  if (err)
    *err = (bfjit_error){ .status = BFJIT_OK };
  return BFJIT_OK;
}

/* -- stdio adapters ------------------------------------------------------- */

typedef struct stdio_pair {
  FILE *in, *out;
} stdio_pair;

static long stdio_read(void *ctx, void *buf, size_t n)
{
  /* One byte at a time from stdio's own buffer: never blocks for more input
  ** than the program asked for, which interactive programs need. */
  stdio_pair *s = ctx;
  (void)n;
  int c = getc(s->in);
  if (c == EOF)
    return ferror(s->in) ? -1 : 0;
  *(unsigned char *)buf = (unsigned char)c;
  return 1;
}

static int stdio_write(void *ctx, const void *buf, size_t n)
{
  stdio_pair *s = ctx;
  if (fwrite(buf, 1, n, s->out) != n || fflush(s->out))
    return -1;
  return 0;
}

bfjit_status bfjit_run_stdio(bfjit_program *p, FILE *in, FILE *out,
                             bfjit_error *err)
{
  stdio_pair s = { in, out };
  bfjit_io io = { &s, stdio_read, stdio_write };
  return bfjit_run(p, &io, err);
}

/* -- Introspection -------------------------------------------------------- */

size_t bfjit_loop_count(const bfjit_program *p)
{
  return p->ir.nloops;
}

int bfjit_loop_get(const bfjit_program *p, size_t i, bfjit_loop_info *out)
{
  if (i >= p->ir.nloops)
    return -1;
  const bf_loop *l = &p->loops[i];
  *out = (bfjit_loop_info){ .iterations = l->count, .compiled = p->entry[i].code != NULL };
  bf_srcmap_pos(&p->map, p->ir.ops[l->head].src, &out->line, &out->column);
  return 0;
}

void bfjit_get_stats(const bfjit_program *p, bfjit_stats *out)
{
  *out = p->stats;
  out->loops_compiled = 0;
  for (uint32_t i = 0; i < p->ir.nloops; i++)
    out->loops_compiled += p->entry[i].code != NULL;
}
