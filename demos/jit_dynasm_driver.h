/*
** jit_dynasm_driver.h — the DynASM glue of the jit_dynasm demo: set up an
** assembler state, turn it into callable code, free that code.
*/
#ifndef JIT_DYNASM_DRIVER_H
#define JIT_DYNASM_DRIVER_H

#include "dasm_proto.h"

/* Start a DynASM state '*state' with the action list of the .dasc file. */
void initjit(dasm_State **state, const void *actionlist);

/* Link and encode '*state' into fresh read-execute memory and free the state.
** Return the code (release it with 'free_jitcode'), or NULL after printing why. */
void *jitcode(dasm_State **state);

/* Unmap code returned by 'jitcode'. Return 0, or -1 after printing why. */
int free_jitcode(void *code);

#endif
