/*
** bf_aot.c — native executables: the C translation (bf_emit_c.c) handed to
** the system's C compiler. C rather than our own ELF: every architecture
** gcc targets, and gcc's optimizer, for the price of one process.
*/
#define _GNU_SOURCE  /* mkstemps */
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bf_error.h"
#include "bf_program.h"

extern char **environ;

#define MAX_WORDS 64  /* compiler command + flags, after splitting at spaces */

/* Appends the space-separated words of 's' (modified in place) to 'argv'. */
static int split(char *s, char **argv, int *argc)
{
  for (char *w = strtok(s, " \t\n"); w; w = strtok(NULL, " \t\n")) {
    if (*argc >= MAX_WORDS - 5)  /* room for -o EXE FILE NULL */
      return -1;
    argv[(*argc)++] = w;
  }
  return 0;
}

/* Runs argv[0..] and waits. Returns its exit status, or -1 with errno when it
** could not be started, or 128 + signal. */
static int run_compiler(char **argv)
{
  pid_t pid;
  int e = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
  if (e) {
    errno = e;
    return -1;
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

bfjit_status bfjit_build_executable(const bfjit_program *p, const char *name,
                                    const char *exe, const char *cc,
                                    const char *cflags, bfjit_error *err)
{
  if (!p || !exe) {
    bf_error_set(err, BFJIT_ERR_ARG, BF_EM_BUILD_ARGS);
    return BFJIT_ERR_ARG;
  }
  const char *dir = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/bfjit-XXXXXX.c", dir && *dir ? dir : "/tmp");
  int fd = mkstemps(path, 2);
  FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
  if (!f) {
    bf_error_set(err, BFJIT_ERR_BUILD, BF_EM_BUILD_TEMP,
                 dir && *dir ? dir : "/tmp", strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(path);
    }
    return BFJIT_ERR_BUILD;
  }
  bfjit_status s = bfjit_emit_c(p, name, f, err);
  if (fclose(f) && s == BFJIT_OK) {
    bf_error_set(err, BFJIT_ERR_IO, BF_EM_BUILD_WRITE, path, strerror(errno));
    s = BFJIT_ERR_IO;
  }
  if (s != BFJIT_OK) {
    unlink(path);
    return s;
  }

  char *words = NULL, *argv[MAX_WORDS];
  int argc = 0;
  cc = cc && *cc ? cc : "cc";
  if (asprintf(&words, "%s -O2 %s", cc, cflags ? cflags : "") < 0) {
    unlink(path);
    bf_error_set(err, BFJIT_ERR_NOMEM, BF_EM_NOMEM);
    return BFJIT_ERR_NOMEM;
  }
  if (split(words, argv, &argc) || argc == 0) {
    s = BFJIT_ERR_BUILD;
    bf_error_set(err, s, BF_EM_CC_WORDS, cc);
  } else {
    argv[argc++] = (char *)"-o";
    argv[argc++] = (char *)exe;
    argv[argc++] = path;
    argv[argc] = NULL;
    int r = run_compiler(argv);
    if (r < 0) {
      s = BFJIT_ERR_BUILD;
      bf_error_set(err, s, BF_EM_CC_RUN, argv[0], strerror(errno));
    } else if (r != 0) {
      s = BFJIT_ERR_BUILD;
      bf_error_set(err, s, BF_EM_CC_FAILED, argv[0], r);
    }
  }
  free(words);
  unlink(path);
  if (s == BFJIT_OK && err)
    *err = (bfjit_error){ .status = BFJIT_OK };
  return s;
}
