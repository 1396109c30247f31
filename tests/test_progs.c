/*
** test_progs.c — the golden corpus: runs every tests/progs/NAME.b through the
** bfjit command in every enabled mode and compares stdout, exit code and stderr.
** JIT and tiered rows also read --stats, so a back end that compiles nothing
** cannot pass them by falling back to the interpreter.
*/
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define CASE_TIMEOUT_MS 10000 /* a hang fails its case instead of hanging CI */
#define MAX_ARGS        32    /* bfjit + mode options + .args words + FILE */
#define MAX_CAPTURE     (64u << 20) /* a runaway printer is killed past this many bytes */
#define EXIT_PARSE      3     /* bfjit's parse error: nothing ran, so no stats */

/* -- Modes ---------------------------------------------------------------- */

/* What a row's --stats must show beyond what every row with --stats must:
** no failed compile, and no side exit in a run that ends with exit code 0. */
enum {
  NEED_WHOLE = 1, /* --jit: the program was compiled and its code entered */
  NEED_HOT = 2,   /* --hot=1: a loop that repeats when interpreted got code, entered */
  NEED_EVAL = 4,  /* --jit with evaluation: nothing compiled when it ran the whole
                     program, else the program compiled (entered only where the
                     run meets a loop) */
};

/* Every configuration a program runs in. The interpreter rows always run (it
** is the reference); another row runs when its 'family' is listed in
** $BFJIT_MODES (default "interp,jit,tiered,background"; list fewer to narrow
** a run: `make test-tsan` runs "background", the rows with a second thread). */
typedef struct mode {
  const char *family;
  const char *label;
  const char *opts[5]; /* NULL-terminated */
  unsigned need;
} mode;

static const mode modes[] = {
  { "interp", "interp -O0",          { "--interp", "-O0", NULL }, 0 },
  { "interp", "interp -O2",          { "--interp", "-O2", NULL }, 0 },
  { "jit",    "jit -O0",             { "--jit", "-O0", "--stats", NULL }, NEED_WHOLE },
  { "jit",    "jit -O2 no eval",     { "--jit", "-O2", "--no-pass=eval", "--stats", NULL }, NEED_WHOLE },
  { "jit",    "jit -O2",             { "--jit", "-O2", "--stats", NULL }, NEED_EVAL },
  { "tiered", "tiered --hot=1 -O2",  { "--tiered", "--hot=1", "-O2", "--stats", NULL }, NEED_HOT },
  { "tiered", "tiered -O2",          { "--tiered", "-O2", "--stats", NULL }, 0 },
  { "tiered", "tiered --hot=7 -O1",  { "--tiered", "--hot=7", "-O1", "--stats", NULL }, 0 },
  { "tiered", "tiered --hot=huge",   { "--tiered", "--hot=1000000000000", "-O2", "--stats", NULL }, 0 },
  { "background", "tiered --background", { "--background", "--hot=2", "-O2", "--stats", NULL }, 0 },
};

/* Programs the JIT rightly refuses, and the reason --stats must give wherever
** code is needed of them and wherever one of their compiles failed. Any other
** program must get code wherever it is needed, and no compile of it may fail. */
static const struct { const char *name, *why; } refused[] = {
  { "code_max_one_byte", "the region alone is over the code memory limit" },
};

/* The reason the JIT must refuse program 'name' for, or NULL. */
static const char *refusal(const char *name)
{
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
    if (strcmp(refused[i].name, name) == 0) return refused[i].why;
  return NULL;
}

/* True when the row runs with --stats, so its stderr ends in the stats block. */
static int has_stats(const mode *m)
{
  for (const char *const *o = m->opts; *o; o++)
    if (strcmp(*o, "--stats") == 0) return 1;
  return 0;
}

/* True when 'family' is a word of the comma/space separated list 'list'. */
static int family_enabled(const char *list, const char *family)
{
  size_t n = strlen(family);
  for (const char *p = list; *p; ) {
    p += strspn(p, ", \t");
    size_t w = strcspn(p, ", \t");
    if (w == n && strncmp(p, family, n) == 0) return 1;
    p += w;
  }
  return 0;
}

/* -- Files ---------------------------------------------------------------- */

typedef struct buf {
  char *data;
  size_t len;
} buf;

static void buf_add(buf *b, const char *p, size_t n)
{
  b->data = realloc(b->data, b->len + n + 1); /* +1 keeps it NUL-terminated for strstr */
  if (!b->data) { perror("realloc"); abort(); }
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
}

/* Reads a whole file into 'out'; returns 0 when it does not exist. */
static int read_file(const char *path, buf *out)
{
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  char chunk[65536];
  size_t n;
  buf_add(out, "", 0);
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(out, chunk, n);
  fclose(f);
  return 1;
}

/* -- One case ------------------------------------------------------------- */

typedef struct prog_case {
  char *base;       /* ".../tests/progs/NAME", the extensions are added */
  const char *name; /* NAME, within 'base' */
  const mode *m;
  char *title;      /* "NAME [interp -O0]", the cmocka test name */
} prog_case;

typedef struct result {
  buf out, err;
  int status;       /* exit code, or 128+signal, or -1 on timeout */
} result;

/* Runs 'argv' with stdin from 'in_path', collecting stdout and stderr until
** both close. A child still running after CASE_TIMEOUT_MS is killed. */
static void run(char **argv, const char *in_path, result *r)
{
  int po[2], pe[2];
  if (pipe(po) || pipe(pe)) fail_msg("pipe: %s", strerror(errno));
  pid_t pid = fork();
  if (pid < 0) fail_msg("fork: %s", strerror(errno));
  if (pid == 0) {
    int in = open(in_path, O_RDONLY);
    if (in < 0 || dup2(in, 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0) _exit(126);
    close(po[0]); close(pe[0]);
    execv(argv[0], argv);
    dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(po[1]); close(pe[1]);

  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
  buf *dst[2] = { &r->out, &r->err };
  int open_fds = 2, timed_out = 0;
  buf_add(&r->out, "", 0);
  buf_add(&r->err, "", 0);
  while (open_fds > 0) {
    clock_gettime(CLOCK_MONOTONIC, &t);
    long left = CASE_TIMEOUT_MS - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
    if (left <= 0 || r->out.len + r->err.len > MAX_CAPTURE) { timed_out = 1; kill(pid, SIGKILL); break; }
    int k = poll(fds, 2, (int)left);
    if (k < 0 && errno != EINTR) fail_msg("poll: %s", strerror(errno));
    for (int i = 0; i < 2 && k > 0; i++) {
      if (fds[i].fd < 0 || !fds[i].revents) continue;
      char chunk[65536];
      ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
      if (n > 0) {
        buf_add(dst[i], chunk, (size_t)n);
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1; /* poll ignores negative descriptors */
        open_fds--;
      }
    }
  }
  for (int i = 0; i < 2; i++)
    if (fds[i].fd >= 0) close(fds[i].fd);
  int st;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
  r->status = timed_out ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Splits the first line of 'text' into words appended to 'argv' at '*argc'. */
static void add_words(char *text, char **argv, int *argc)
{
  text[strcspn(text, "\n")] = '\0';
  for (char *w = strtok(text, " \t\r"); w; w = strtok(NULL, " \t\r")) {
    if (*argc >= MAX_ARGS - 2) fail_msg(".args has too many words");
    argv[(*argc)++] = w;
  }
}

/* Shows a byte for a mismatch message: printable as itself, else as \xNN. */
static const char *show_byte(const buf *b, size_t i, char tmp[8])
{
  if (i >= b->len) return "(end)";
  unsigned char c = (unsigned char)b->data[i];
  if (c >= 32 && c < 127) snprintf(tmp, 8, "'%c'", c);
  else snprintf(tmp, 8, "\\x%02x", c);
  return tmp;
}

/* -- Stats ---------------------------------------------------------------- */

/* The counters of a --stats block (as tools/bfjit.c prints it) that say
** whether compiled code ran, and why the last failed compile failed. */
typedef struct stats {
  unsigned long long regions, osr, side_exits, failed;
  char why[128]; /* "" when no compile failed */
  char eval[32]; /* what evaluation stopped before ("end": it ran it all) */
} stats;

/* Parses the --stats block that ends 'err' into 's' and cuts it off, so what
** is left compares as without --stats. Returns 0 when there is no such block. */
static int take_stats(buf *err, stats *s)
{
  char *at = strstr(err->data, "bfjit: stats: ");
  if (!at || (at != err->data && at[-1] != '\n')) return 0;
  char *line = strchr(at, '\n');
  int n = -1;
  if (!line || sscanf(line + 1, "  regions compiled %llu, checked versions %*u, loops with code %*u, code %*u bytes,"
                      " OSR entries %llu, side exits %llu, evictions %*u, failed compiles %llu%n",
                      &s->regions, &s->osr, &s->side_exits, &s->failed, &n) != 4 || n < 0)
    return 0;
  char *why = line + 1 + n;
  size_t len = 0;
  if (strncmp(why, ": ", 2) == 0) {
    why += 2;
    len = strcspn(why, "\n");
  }
  if (len >= sizeof s->why || strncmp(why + len, "\n  cache: ", 10) != 0) return 0;
  memcpy(s->why, why, len);
  s->why[len] = '\0';
  char *eval = strchr(why + len + 1, '\n');
  if (!eval || strncmp(eval, "\n  eval: ", 9) != 0) return 0;
  eval += 9;
  if (strncmp(eval, "stopped at ", 11) == 0) eval += 11;
  size_t elen = strcspn(eval, ",\n");
  if (elen >= sizeof s->eval) return 0;
  memcpy(s->eval, eval, elen);
  s->eval[elen] = '\0';
  char *end = strchr(eval, '\n');
  if (!end || end[1] != '\0') return 0;
  *at = '\0';
  err->len = (size_t)(at - err->data);
  return 1;
}

/* Whether some loop of the case takes a back edge when interpreted: its
** command ('argc' words, the program last) runs again with --interp (the last
** mode option wins) and --profile, which lists only loops that took one.
** Returns -1 when no profile came out. */
static int loop_repeats(char **argv, int argc, const char *in_path)
{
  char *ref[MAX_ARGS + 2];
  memcpy(ref, argv, (size_t)(argc - 1) * sizeof *ref);
  ref[argc - 1] = (char *)"--interp";
  ref[argc] = (char *)"--profile";
  ref[argc + 1] = argv[argc - 1];
  ref[argc + 2] = NULL;
  result r = { { 0 }, { 0 }, 0 };
  run(ref, in_path, &r);
  const char *p = strstr(r.err.data, "bfjit: profile: ");
  int repeats = -1;
  if (p && (p = strchr(p, '\n')))
    repeats = strncmp(p + 1, "  ", 2) == 0; /* a loop's line, not the stats */
  free(r.out.data); free(r.err.data);
  return repeats;
}

/* Checks a run's stats against what its row and program need; prints every
** miss and returns 1 when there was one. */
static int check_stats(const prog_case *pc, const stats *st, int want_code,
                       char **argv, int argc, const char *in_path)
{
  const char *why = refusal(pc->name);
  int bad = 0, need = (pc->m->need & NEED_WHOLE) != 0;
  if (pc->m->need & NEED_HOT) {
    int repeats = loop_repeats(argv, argc, in_path);
    if (repeats < 0) {
      print_error("%s: the same run with --interp --profile printed no profile\n", pc->title);
      bad = 1;
    }
    need = repeats > 0;
  }
  if (want_code == 0 && st->side_exits) {
    print_error("%s: %llu side exits in a run that ends well, expected none\n",
                pc->title, st->side_exits);
    bad = 1;
  }
  if (why) {
    if (st->failed && strcmp(st->why, why) != 0) {
      print_error("%s: a compile failed with \"%s\", expected \"%s\"\n", pc->title, st->why, why);
      bad = 1;
    }
    if (need && !st->failed) {
      print_error("%s: no compile failed, expected a refusal: \"%s\"\n", pc->title, why);
      bad = 1;
    }
    return bad;
  }
  if (st->failed) {
    print_error("%s: %llu failed compiles (last: \"%s\"), expected none\n", pc->title, st->failed, st->why);
    bad = 1;
  }
  if (pc->m->need & NEED_EVAL) {
    int all = strcmp(st->eval, "end") == 0;
    if (all ? st->regions != 0 : st->regions == 0) {
      print_error("%s: evaluation stopped at \"%s\", but %llu regions compiled\n",
                  pc->title, st->eval, st->regions);
      bad = 1;
    }
  }
  if (need && (st->regions == 0 || st->osr == 0)) {
    print_error("%s: %s, but %llu regions compiled, %llu OSR entries: no compiled code ran\n",
                pc->title, pc->m->need & NEED_WHOLE ? "--jit" : "a loop repeats", st->regions, st->osr);
    bad = 1;
  }
  return bad;
}

/* -- Checking one case --------------------------------------------------- */

static void test_prog(void **state)
{
  const prog_case *pc = *state;
  const char *bfjit = getenv("BFJIT") ? getenv("BFJIT") : "build/bfjit";
  if (access(bfjit, X_OK) != 0)
    fail_msg("the bfjit binary '%s' is missing or not executable: %s", bfjit, strerror(errno));

  char path[4096];
  buf want_out = { 0 }, args = { 0 }, errspec = { 0 };
  snprintf(path, sizeof path, "%s.out", pc->base);
  if (!read_file(path, &want_out)) fail_msg("%s: missing (every program needs one)", path);
  snprintf(path, sizeof path, "%s.args", pc->base);
  read_file(path, &args);

  /* .err: line 1 the exit code, line 2 a substring of stderr */
  int want_code = 0;
  const char *want_sub = NULL;
  snprintf(path, sizeof path, "%s.err", pc->base);
  if (read_file(path, &errspec)) {
    char *nl = strchr(errspec.data, '\n');
    if (!nl) fail_msg("%s: needs two lines (exit code, stderr substring)", path);
    *nl = '\0';
    want_code = atoi(errspec.data);
    want_sub = nl + 1;
    nl[1 + strcspn(nl + 1, "\n")] = '\0';
  }

  char prog_path[4096], in_path[4096];
  snprintf(prog_path, sizeof prog_path, "%s.b", pc->base);
  snprintf(in_path, sizeof in_path, "%s.in", pc->base);
  if (access(in_path, R_OK) != 0) snprintf(in_path, sizeof in_path, "/dev/null");

  char *argv[MAX_ARGS];
  int argc = 0;
  argv[argc++] = (char *)bfjit;
  for (const char *const *o = pc->m->opts; *o; o++) argv[argc++] = (char *)*o;
  if (args.data) add_words(args.data, argv, &argc);
  argv[argc++] = prog_path;
  argv[argc] = NULL;

  result r = { { 0 }, { 0 }, 0 };
  run(argv, in_path, &r);
  stats st;
  int got_stats = has_stats(pc->m) && take_stats(&r.err, &st);

  /* Collect every mismatch so one run tells the whole story. */
  int bad = 0;
  if (r.status == -1) {
    print_error("%s: killed after %d ms or %u bytes of output\n", pc->title, CASE_TIMEOUT_MS, MAX_CAPTURE);
    bad = 1;
  } else if (r.status != want_code) {
    print_error("%s: exit code %d, expected %d\n", pc->title, r.status, want_code);
    bad = 1;
  }
  if (r.out.len != want_out.len || memcmp(r.out.data, want_out.data, want_out.len) != 0) {
    size_t i = 0;
    while (i < r.out.len && i < want_out.len && r.out.data[i] == want_out.data[i]) i++;
    char a[8], b[8];
    print_error("%s: stdout differs at byte %zu: expected %s, got %s (lengths: expected %zu, got %zu)\n",
                pc->title, i, show_byte(&want_out, i, a), show_byte(&r.out, i, b), want_out.len, r.out.len);
    bad = 1;
  }
  if (want_sub) {
    char *nl = strchr(r.err.data, '\n');
    if (!strstr(r.err.data, want_sub)) {
      print_error("%s: stderr lacks \"%s\"\n", pc->title, want_sub);
      bad = 1;
    }
    if (!nl || nl[1] != '\0') {
      print_error("%s: stderr must be exactly one line ending in a newline\n", pc->title);
      bad = 1;
    }
  } else if (r.err.len != 0) {
    print_error("%s: stderr should be empty\n", pc->title);
    bad = 1;
  }
  if (has_stats(pc->m) && want_code != EXIT_PARSE) {
    if (!got_stats) {
      print_error("%s: stderr does not end in a --stats block\n", pc->title);
      bad = 1;
    } else if (check_stats(pc, &st, want_code, argv, argc, in_path)) {
      bad = 1;
    }
  }
  if (bad) {
    if (r.err.len) print_error("  stderr was: %.*s%s", (int)r.err.len, r.err.data,
                               r.err.data[r.err.len - 1] == '\n' ? "" : "\n");
    print_error("  command:");
    for (int i = 0; argv[i]; i++) print_error(" %s", argv[i]);
    print_error(" < %s\n", in_path);
  }
  free(want_out.data); free(args.data); free(errspec.data);
  free(r.out.data); free(r.err.data);
  if (bad) fail();
}

/* -- Discovery ------------------------------------------------------------ */

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists NAME for every NAME.b in 'dir', sorted; returns the count. */
static size_t find_progs(const char *dir, char ***names)
{
  DIR *d = opendir(dir);
  size_t n = 0, cap = 0;
  *names = NULL;
  if (!d) return 0;
  for (struct dirent *e; (e = readdir(d)); ) {
    size_t len = strlen(e->d_name);
    if (len < 3 || strcmp(e->d_name + len - 2, ".b") != 0) continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 256;
      *names = realloc(*names, cap * sizeof **names);
      if (!*names) { perror("realloc"); exit(1); }
    }
    (*names)[n++] = strndup(e->d_name, len - 2);
  }
  closedir(d);
  qsort(*names, n, sizeof **names, by_name);
  return n;
}

static void no_programs(void **state)
{
  fail_msg("no programs found in %s", (const char *)*state);
}

/* A refusal listed for a program that is gone would check nothing. */
static void stale_refusal(void **state)
{
  fail_msg("refused[] lists '%s', which is not in the corpus", (const char *)*state);
}

int main(void)
{
  const char *src = getenv("BFJIT_SRC") ? getenv("BFJIT_SRC") : ".";
  const char *enabled = getenv("BFJIT_MODES") ? getenv("BFJIT_MODES") : "interp,jit,tiered,background";
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/progs", src);

  char **names;
  size_t nprogs = find_progs(dir, &names);
  size_t nmodes = sizeof modes / sizeof modes[0];
  size_t nrefused = sizeof refused / sizeof refused[0];
  struct CMUnitTest *tests = calloc(nprogs * nmodes + nrefused + 1, sizeof *tests);
  prog_case *cases = calloc(nprogs * nmodes + 1, sizeof *cases);
  if (!tests || !cases) { perror("calloc"); return 1; }
  size_t n = 0;
  for (size_t i = 0; i < nprogs; i++) {
    for (size_t k = 0; k < nmodes; k++) {
      if (strcmp(modes[k].family, "interp") != 0 && !family_enabled(enabled, modes[k].family)) continue;
      prog_case *pc = &cases[n];
      if (asprintf(&pc->base, "%s/%s", dir, names[i]) < 0 ||
          asprintf(&pc->title, "%s [%s]", names[i], modes[k].label) < 0) { perror("asprintf"); return 1; }
      pc->name = pc->base + strlen(dir) + 1;
      pc->m = &modes[k];
      struct CMUnitTest t = cmocka_unit_test_prestate(test_prog, pc);
      t.name = pc->title;
      tests[n++] = t;
    }
  }
  if (n == 0) { /* a corpus that cannot be found must not pass */
    struct CMUnitTest t = cmocka_unit_test_prestate(no_programs, dir);
    t.name = "discover programs";
    tests[n++] = t;
  }
  for (size_t i = 0; i < nrefused; i++) {
    if (bsearch(&refused[i].name, names, nprogs, sizeof *names, by_name)) continue;
    struct CMUnitTest t = cmocka_unit_test_prestate(stale_refusal, (void *)refused[i].name);
    t.name = "refused programs exist";
    tests[n++] = t;
  }
  for (size_t i = 0; i < nprogs; i++) free(names[i]); /* the cases hold copies */
  free(names);
  return _cmocka_run_group_tests("progs", tests, n, NULL, NULL);
}
