/*
** bf_arch.h — the one place that asks which machine this is. Nothing else
** in bfjit tests __x86_64__ or __aarch64__.
*/
#ifndef BF_ARCH_H
#define BF_ARCH_H

#if defined(__x86_64__)
#define BF_ARCH_NAME "x86-64"
#define BF_HAVE_JIT 1
#define BF_CS_ARCH CS_ARCH_X86  /* Capstone's name for it */
#define BF_CS_MODE CS_MODE_64
#elif defined(__aarch64__)
#define BF_ARCH_NAME "arm64"
#define BF_CS_ARCH CS_ARCH_ARM64
#define BF_CS_MODE CS_MODE_ARM
#define BF_HAVE_JIT 1
#else
#define BF_ARCH_NAME "unknown"
#define BF_HAVE_JIT 0
#endif

#endif
