/*
** bf_cache.h — what the rest of the library needs of the profile cache
** (its public half is in bfjit.h).
*/
#ifndef BF_CACHE_H
#define BF_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* A 64-bit hash of 'len' bytes with seed 'seed'; a file's checksum is
** bf_hash(everything before it, size, 2). */
uint64_t bf_hash(const void *data, size_t len, uint64_t seed);

/* The hash of a program's text that keys its cache file. */
uint64_t bf_cache_hash_text(const void *src, size_t len);

#endif
