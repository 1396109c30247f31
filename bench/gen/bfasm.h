/*
** bfasm.h — a tiny Brainfuck macro assembler for the benchmark generators.
**
** Cells are named by integer offsets from a "frame"; the assembler tracks
** where the pointer is and emits the shortest run of '<' '>' to reach a cell.
** Walking a data structure shifts the frame, so the same cell names apply to
** the next slot. Every loop closes at the cell it opened on, so loop bodies are
** pointer-balanced by construction (the optimizer's favourite shape).
*/
#ifndef BFASM_H
#define BFASM_H

/* -- Emitting --------------------------------------------------------------- */

void bfa_comment(const char *text);    /* a line of text; command chars dropped */
void bfa_finish(void);                 /* flush the last line */

void bfa_at(int cell);                 /* move the pointer to 'cell' */
void bfa_add(int cell, int n);         /* cell += n (mod 256) */
void bfa_clear(int cell);              /* [-] */
void bfa_set(int cell, int n);         /* clear, then add */
void bfa_out(int cell);                /* . */

/* Loops: 'bfa_while' opens at 'cell', 'bfa_end' closes at the same cell name.
** Calls nest; the closing cell is remembered. */
void bfa_while(int cell);
void bfa_end(void);

/* Shift the frame by 'slots' cells: the pointer moves, cell names stay. */
void bfa_shift(int cells);
/* [>>>] style scan on 'cell' with stride 'step' (negative: leftwards); the
** frame ends wherever the zero was found. */
void bfa_scan(int cell, int step);

/* -- Macros (all leave their temporaries at zero) ---------------------------- */

void bfa_move(int src, int dst, int k);          /* dst += k*src; src = 0 */
void bfa_move2(int src, int d1, int k1, int d2, int k2);
void bfa_copy(int src, int dst, int tmp);        /* dst += src, via tmp */
void bfa_bool(int src, int dst);                 /* dst += (src != 0); src = 0 */
void bfa_print(int tmp, const char *s);          /* print a string via 'tmp' */

/* "if (flag)": the body runs once when 'flag' != 0; 'flag' is consumed (it
** must be 0 or 1 on entry, as produced by bfa_bool). */
void bfa_if(int flag);
void bfa_endif(void);

#endif
