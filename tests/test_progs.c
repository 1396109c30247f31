/*
** test_progs.c — the golden corpus: runs every tests/progs/NAME.b through the
** bfjit command in every enabled mode and compares stdout, exit code and stderr.
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

/* -- Modes ---------------------------------------------------------------- */

/* Every configuration a program runs in. The interpreter rows always run (it
** is the reference); another row runs when its 'family' is listed in
** $BFJIT_MODES (default "interp,jit,tiered"; list fewer to narrow a run). */
typedef struct mode {
  const char *family;
  const char *label;
  const char *opts[4]; /* NULL-terminated */
} mode;

static const mode modes[] = {
  { "interp", "interp -O0",          { "--interp", "-O0", NULL } },
  { "interp", "interp -O2",          { "--interp", "-O2", NULL } },
  { "jit",    "jit -O0",             { "--jit", "-O0", NULL } },
  { "jit",    "jit -O2",             { "--jit", "-O2", NULL } },
  { "tiered", "tiered --hot=1 -O2",  { "--tiered", "--hot=1", "-O2", NULL } },
  { "tiered", "tiered -O2",          { "--tiered", "-O2", NULL } },
  { "tiered", "tiered --hot=7 -O1",  { "--tiered", "--hot=7", "-O1", NULL } },
  { "tiered", "tiered --hot=huge",   { "--tiered", "--hot=1000000000000", "-O2", NULL } },
  { "tiered", "tiered --background", { "--background", "--hot=2", "-O2", NULL } },
};

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

int main(void)
{
  const char *src = getenv("BFJIT_SRC") ? getenv("BFJIT_SRC") : ".";
  const char *enabled = getenv("BFJIT_MODES") ? getenv("BFJIT_MODES") : "interp,jit,tiered";
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/progs", src);

  char **names;
  size_t nprogs = find_progs(dir, &names);
  size_t nmodes = sizeof modes / sizeof modes[0];
  struct CMUnitTest *tests = calloc(nprogs * nmodes + 1, sizeof *tests);
  prog_case *cases = calloc(nprogs * nmodes + 1, sizeof *cases);
  if (!tests || !cases) { perror("calloc"); return 1; }
  size_t n = 0;
  for (size_t i = 0; i < nprogs; i++) {
    for (size_t k = 0; k < nmodes; k++) {
      if (strcmp(modes[k].family, "interp") != 0 && !family_enabled(enabled, modes[k].family)) continue;
      prog_case *pc = &cases[n];
      if (asprintf(&pc->base, "%s/%s", dir, names[i]) < 0 ||
          asprintf(&pc->title, "%s [%s]", names[i], modes[k].label) < 0) { perror("asprintf"); return 1; }
      pc->m = &modes[k];
      struct CMUnitTest t = cmocka_unit_test_prestate(test_prog, pc);
      t.name = pc->title;
      tests[n++] = t;
    }
  }
  for (size_t i = 0; i < nprogs; i++) free(names[i]); /* the cases hold copies */
  free(names);
  if (n == 0) { /* a corpus that cannot be found must not pass */
    struct CMUnitTest t = cmocka_unit_test_prestate(no_programs, dir);
    t.name = "discover programs";
    tests[n++] = t;
  }
  return _cmocka_run_group_tests("progs", tests, n, NULL, NULL);
}
