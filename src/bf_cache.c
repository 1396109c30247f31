/*
** bf_cache.c — the persistent profile: which loops were hot, kept on disk
** so a restart compiles them before it runs. The file holds loop numbers
** only, behind a key that must match exactly and a checksum; anything else
** in it is rejected, so reading it is as safe as reading any untrusted input
** (docs/en/6-cache.md: storing machine code would be a loaded gun).
**
** The format: MAGIC, the key, the entry count, one 8-byte loop number per
** entry (the heads of the live loop regions, in op order), the checksum;
** numbers little-endian. Version 1 stored each loop's count too, which no
** load ever read: a loop stored is one that got compiled, and its count
** stops near the threshold then, so it says nothing the number does not.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bf_arch.h"
#include "bf_error.h"
#include "bf_jit.h"
#include "bf_cache.h"
#include "bf_tier.h"

#define MAGIC "BFJITPF2"          /* file kind and format version */
#define ENTRY 8                   /* bytes per entry: a loop number */
#define MAX_ENTRIES (1u << 20)    /* more hot loops than any file needs */

/* -- Hashing ------------------------------------------------------------- */

/* FNV-1a's constants over 8-byte words, with a final avalanche: to name
** files and catch corruption, not to resist an attacker (nothing in the
** file can do harm). */
uint64_t bf_hash(const void *data, size_t len, uint64_t h)
{
  const uint8_t *b = data;
  h ^= 0xcbf29ce484222325ull ^ len;
  for (; len >= 8; b += 8, len -= 8) {
    uint64_t w;
    memcpy(&w, b, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  for (; len; b++, len--)
    h = (h ^ *b) * 0x100000001b3ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  return h ^ (h >> 33);
}

uint64_t bf_cache_hash_text(const void *src, size_t len)
{
  return bf_hash(src, len, 0);
}

/* -- The key -------------------------------------------------------------- */

/* Everything a profile depends on, as fixed little-endian bytes. */
static size_t key_bytes(const bfjit_program *p, uint8_t *k)
{
  size_t n = 0;
#define PUT64(v) do { uint64_t v_ = (v); for (int i_ = 0; i_ < 8; i_++) k[n++] = (uint8_t)(v_ >> (8 * i_)); } while (0)
  PUT64(p->text_hash);
  PUT64(p->opt.cell_bits);
  PUT64(p->opt.eof);
  PUT64(p->opt.tape_cells);
  PUT64(p->opt.passes);
  PUT64(p->opt.max_steps != 0);  /* step counting changes the code */
  PUT64(p->ir.n);
  PUT64(p->ir.nloops);
#undef PUT64
  static const char ident[32] = "bfjit " BFJIT_VERSION " " BF_ARCH_NAME;
  memcpy(k + n, ident, sizeof ident);
  return n + sizeof ident;
}

#define KEY_MAX 128

static int path_for(const bfjit_program *p, const char *dir, char *buf, size_t size)
{
  uint8_t k[KEY_MAX];
  size_t n = key_bytes(p, k);
  int w = snprintf(buf, size, "%s/%016llx.prof", dir, (unsigned long long)bf_hash(k, n, 1));
  return w > 0 && (size_t)w < size ? 0 : -1;
}

/* -- Loading -------------------------------------------------------------- */

static uint64_t get64(const uint8_t *b)
{
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--)
    v = v << 8 | b[i];
  return v;
}

/* Checks a whole file image; returns NULL when it is good, else why not. */
static const char *validate(const bfjit_program *p, const uint8_t *f, size_t size,
                            uint64_t *nentries)
{
  uint8_t k[KEY_MAX];
  size_t kn = key_bytes(p, k), head = 8 + kn + 8;
  if (size < 8 || memcmp(f, MAGIC, 8))
    return "not a bfjit profile of this format";
  if (size < head + 8)
    return "truncated";
  if (get64(f + size - 8) != bf_hash(f, size - 8, 2))
    return "checksum mismatch (truncated or corrupt)";
  if (memcmp(f + 8, k, kn))
    return "made for another program text, options, version or architecture";
  uint64_t ne = get64(f + 8 + kn);
  if (ne > MAX_ENTRIES || size != head + ne * ENTRY + 8)
    return "bad entry count";
  for (uint64_t i = 0; i < ne; i++)
    if (get64(f + head + ENTRY * i) >= p->ir.nloops)
      return "a loop number out of range";
  *nentries = ne;
  return NULL;
}

bfjit_status bfjit_cache_load(bfjit_program *p, const char *dir, bfjit_error *err)
{
  char path[4096];
  if (err)
    *err = (bfjit_error){ .status = BFJIT_OK };
  if (p->opt.mode != BFJIT_MODE_TIERED)
    return BFJIT_OK;  /* only tiering profiles; the other modes ignore it */
  p->stats.cache_state = "miss";
  if (path_for(p, dir, path, sizeof path))
    return BFJIT_OK;
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return BFJIT_OK;  /* first run */
  uint8_t *f = NULL;
  size_t size = 0, cap = 0;
  const char *why = NULL;
  for (;;) {
    if (size == cap) {
      cap = cap ? cap * 2 : 4096;
      uint8_t *g = cap > (MAX_ENTRIES * ENTRY + 4096) ? NULL : realloc(f, cap);
      if (!g) {
        why = "file too large";
        break;
      }
      f = g;
    }
    size_t got = fread(f + size, 1, cap - size, fp);
    size += got;
    if (got == 0)
      break;
  }
  if (!why && ferror(fp))
    why = "cannot be read";
  fclose(fp);
  uint64_t ne = 0;
  if (!why)
    why = validate(p, f, size, &ne);
  if (why) {
    free(f);
    p->stats.cache_state = why;
    bf_error_set(err, BFJIT_ERR_CACHE, BF_EM_CACHE_IGNORED, path, why);
    return BFJIT_ERR_CACHE;
  }
  /* Compile the hot loops now: outermost first (they come in op order),
  ** so inner ones are covered instead of compiled on their own. */
  uint8_t kb[KEY_MAX];
  size_t head = 8 + key_bytes(p, kb) + 8;
  for (uint64_t i = 0; i < ne; i++) {
    uint32_t id = (uint32_t)get64(f + head + ENTRY * i);
    if (bf_tier_compile_loop(p, id))
      p->stats.cache_loops++;
  }
  free(f);
  p->stats.cache_state = "hit";
  return BFJIT_OK;
}

/* -- Saving --------------------------------------------------------------- */

static void put64(uint8_t *b, uint64_t v)
{
  for (int i = 0; i < 8; i++)
    b[i] = (uint8_t)(v >> (8 * i));
}

/* Creates 'dir' and its parents, like mkdir -p. */
static int make_dirs(const char *dir)
{
  char buf[4096];
  size_t n = strlen(dir);
  if (n == 0 || n >= sizeof buf)
    return -1;
  memcpy(buf, dir, n + 1);
  for (size_t i = 1; i <= n; i++)
    if (buf[i] == '/' || buf[i] == '\0') {
      char c = buf[i];
      buf[i] = '\0';
      if (mkdir(buf, 0700) && errno != EEXIST)
        return -1;
      buf[i] = c;
    }
  return 0;
}

bfjit_status bfjit_cache_save(const bfjit_program *p, const char *dir, bfjit_error *err)
{
  char path[4096], tmp[4200];
  uint8_t k[KEY_MAX];
  size_t kn = key_bytes(p, k);
  uint64_t ne = 0;
  /* The live loop regions are what tiering found hot (inner regions an
  ** outer one took over are gone already). */
  for (const bf_region *r = p->regions; r; r = r->next)
    ne += r != p->whole;
  size_t size = 8 + kn + 8 + ne * ENTRY + 8;
  uint8_t *f = malloc(size);
  if (!f) {
    bf_error_set(err, BFJIT_ERR_NOMEM, BF_EM_NOMEM);
    return BFJIT_ERR_NOMEM;
  }
  memcpy(f, MAGIC, 8);
  memcpy(f + 8, k, kn);
  put64(f + 8 + kn, ne);
  /* In op order, so a load compiles outer loops before inner ones. */
  uint8_t *e = f + 8 + kn + 8;
  for (uint32_t id = 0; id < p->ir.nloops; id++) {
    const bf_region *r = p->entry[id].region;
    if (r && r != p->whole && r->loop0 == id) {
      put64(e, id);
      e += ENTRY;
    }
  }
  size = (size_t)(e - f) + 8;
  put64(f + 8 + kn, (size - 8 - kn - 8 - 8) / ENTRY);
  put64(e, bf_hash(f, size - 8, 2));
  if (make_dirs(dir) || path_for(p, dir, path, sizeof path))
    goto fail;
  /* Unique per process, so two runs never write the same temporary. */
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    goto fail;
  int bad = write(fd, f, size) != (ssize_t)size;
  if (close(fd) || bad) {
    unlink(tmp);
    goto fail;
  }
  if (rename(tmp, path)) {
    unlink(tmp);
    goto fail;
  }
  free(f);
  if (err)
    *err = (bfjit_error){ .status = BFJIT_OK };
  return BFJIT_OK;
fail:
  free(f);
  bf_error_set(err, BFJIT_ERR_CACHE, BF_EM_CACHE_WRITE, dir, strerror(errno));
  return BFJIT_ERR_CACHE;
}
