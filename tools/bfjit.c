/*
** bfjit.c — the command-line tool: a thin client of bfjit.h, and the only
** part of bfjit that prints or exits.
*/
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfjit.h"

/* Exit codes, one per kind of failure (documented in --help and README). */
#define EXIT_OK 0
#define EXIT_TAPE 1
#define EXIT_USAGE 2
#define EXIT_PARSE 3
#define EXIT_STEPS 4
#define EXIT_IO 5
#define EXIT_NOMEM 6
#define EXIT_BUILD 7

static const char *progname = "bfjit";

static const char usage_text[] =
  "usage: bfjit [options] FILE      run a Brainfuck program ('-' reads it from stdin)\n"
  "       bfjit [options] -e CODE   run CODE\n"
  "       bfjit [options] -c FILE [-o PROG]   compile FILE to a native executable\n"
  "\n"
  "The program's input is stdin and its output stdout.\n"
  "\n"
  "Semantics:\n"
  "  --cell-bits=8|16|32   cell width; cells wrap (default 8)\n"
  "  --eof=keep|0|-1       what ',' stores at end of input (default keep)\n"
  "  --tape-max=CELLS      tape limit in cells, at least 30000 (default 67108864)\n"
  "Execution:\n"
  "  --tiered              interpret, compile hot loops, enter them mid-run (default)\n"
  "  --interp              interpret only\n"
  "  --jit                 compile the whole program before it runs\n"
  "  --hot=N               tiered: loop iterations before a loop is compiled\n"
  "  --background          tiered: compile on a second thread meanwhile\n"
  "  --max-steps=N         stop after N loop iterations (exit 4)\n"
  "  -O0, -O1, -O2         optimization level (default -O2)\n"
  "  --no-pass=NAME        switch one pass off: fold, offset, clear, linear, scan,\n"
  "                        dead, known, sink, eval (the run starts where the\n"
  "                        program's input-free part, evaluated once, stopped)\n"
  "  --code-max=BYTES      machine code kept at once; the oldest is evicted\n"
  "  --cache[=DIR]         keep the hot-loop profile in DIR (default\n"
  "                        $XDG_CACHE_HOME/bfjit): a rerun compiles them at once\n"
  "Reports (on stderr, at exit):\n"
  "  --profile             the hottest loops with line:column and iterations\n"
  "  --stats               time per tier, loops compiled, code bytes, OSR entries\n"
  "  --dump-code           compile the whole program and print its machine code\n"
  "                        (on stdout, instead of running it)\n"
  "  --dump-ir             print the optimized IR, one op a line under its\n"
  "                        line:column (on stdout, instead of running it)\n"
  "  --perf-map            write /tmp/perf-PID.map so perf names compiled loops\n"
  "Ahead of time (the semantics options above are compiled in):\n"
  "  --emit-c              print the program as standalone C instead of running it\n"
  "  -c                    compile to an executable with $CC (default cc) -O2 and\n"
  "                        $BFJIT_CFLAGS; it runs as bfjit would, no bfjit needed\n"
  "  -o FILE               where --emit-c (default stdout) or -c (default a.out) writes\n"
  "  -h, --help            this text\n"
  "  -V, --version         the version\n"
  "\n"
  "Exit status: 0 done, 1 tape error, 2 usage error, 3 parse error,\n"
  "4 step limit, 5 I/O error, 6 out of memory, 7 the C compiler failed (-c).\n";

/* One line on stderr and the usage exit status. */
static void __attribute__((format(printf, 1, 2), noreturn)) die_usage(const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "%s: ", progname);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, " (try '%s --help')\n", progname);
  exit(EXIT_USAGE);
}

/* Parses a whole decimal number in [lo, hi] or exits with a usage error. */
static unsigned long long number(const char *s, const char *what,
                                 unsigned long long lo, unsigned long long hi)
{
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (*s == '\0' || *s == '-' || *end != '\0' || errno || v < lo || v > hi) {
    fprintf(stderr, "%s: bad value '%s' for %s (a whole number from %llu to %llu)\n",
            progname, s, what, lo, hi);
    exit(EXIT_USAGE);
  }
  return v;
}

/* Reads a whole stream; returns a malloc'd buffer or NULL (errno set). */
static char *slurp(FILE *f, size_t *len)
{
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  if (!buf)
    return NULL;
  for (;;) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap)
      break;
    char *b = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
    if (!b) {
      free(buf);
      errno = ENOMEM;
      return NULL;
    }
    buf = b;
    cap *= 2;
  }
  if (ferror(f)) {
    int e = errno;
    free(buf);
    errno = e ? e : EIO;
    return NULL;
  }
  *len = n;
  return buf;
}

static int exit_code(bfjit_status s)
{
  switch (s) {
  case BFJIT_OK: return EXIT_OK;
  case BFJIT_ERR_TAPE: return EXIT_TAPE;
  case BFJIT_ERR_PARSE: return EXIT_PARSE;
  case BFJIT_ERR_STEPS: return EXIT_STEPS;
  case BFJIT_ERR_IO: return EXIT_IO;
  case BFJIT_ERR_NOMEM: return EXIT_NOMEM;
  case BFJIT_ERR_BUILD: return EXIT_BUILD;
  default: return EXIT_USAGE;
  }
}

static void print_error(const char *name, const bfjit_error *e)
{
  if (e->line)
    fprintf(stderr, "%s: %s:%u:%u: %s\n", progname, name, e->line, e->column,
            e->message);
  else
    fprintf(stderr, "%s: %s\n", progname, e->message);
}

static int by_iterations(const void *a, const void *b)
{
  const bfjit_loop_info *x = a, *y = b;
  return x->iterations < y->iterations ? 1 : x->iterations > y->iterations ? -1 : 0;
}

/* --profile: the ten hottest loops. */
static void print_profile(const bfjit_program *p, const char *name)
{
  size_t n = bfjit_loop_count(p);
  bfjit_loop_info *l = calloc(n ? n : 1, sizeof *l);
  if (!l)
    return;
  for (size_t i = 0; i < n; i++)
    bfjit_loop_get(p, i, &l[i]);
  qsort(l, n, sizeof *l, by_iterations);
  fprintf(stderr, "%s: profile: %zu loops; hottest first\n", progname, n);
  for (size_t i = 0; i < n && i < 10 && l[i].iterations; i++)
    fprintf(stderr, "  %s:%u:%u  %llu iterations%s\n", name, l[i].line,
            l[i].column, (unsigned long long)l[i].iterations,
            l[i].compiled ? " (compiled)" : "");
  free(l);
}

/* --stats: what each tier did. */
static void print_stats(const bfjit_program *p)
{
  bfjit_stats st;
  bfjit_get_stats(p, &st);
  fprintf(stderr,
          "%s: stats: parse %.6f s, interpret %.6f s, compile %.6f s, native %.6f s\n"
          "  regions compiled %llu, checked versions %llu, loops with code %llu, code %llu bytes,"
          " OSR entries %llu, side exits %llu, evictions %llu, failed compiles %llu%s%s\n",
          progname, st.parse_seconds, st.interp_seconds, st.compile_seconds,
          st.native_seconds, (unsigned long long)st.regions,
          (unsigned long long)st.checked_versions, (unsigned long long)st.loops_compiled, (unsigned long long)st.code_bytes,
          (unsigned long long)st.osr_entries, (unsigned long long)st.side_exits,
          (unsigned long long)st.evictions, (unsigned long long)st.compile_failures,
          st.last_abort ? ": " : "", st.last_abort ? st.last_abort : "");
  fprintf(stderr, "  cache: %s, %llu hot loops compiled before the run\n",
          st.cache_state, (unsigned long long)st.cache_loops);
  if (strcmp(st.eval_stop, "off") == 0)
    fputs("  eval: off\n", stderr);
  else
    fprintf(stderr, "  eval: stopped at %s, %llu loop iterations, %llu bytes of output, %.6f s\n",
            st.eval_stop, (unsigned long long)st.eval_steps,
            (unsigned long long)st.eval_output, st.eval_seconds);
}

/* --cache without a directory: $XDG_CACHE_HOME/bfjit, else ~/.cache/bfjit. */
static const char *default_cache_dir(void)
{
  static char buf[4096];
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  if (xdg && *xdg)
    snprintf(buf, sizeof buf, "%s/bfjit", xdg);
  else if (home && *home)
    snprintf(buf, sizeof buf, "%s/.cache/bfjit", home);
  else
    return NULL;
  return buf;
}

static void warn(const bfjit_error *e)
{
  fprintf(stderr, "%s: warning: %s\n", progname, e->message);
}

enum { OPT_CELL = 256, OPT_EOF, OPT_TAPE, OPT_TIERED, OPT_INTERP, OPT_JIT,
       OPT_HOT, OPT_STEPS, OPT_NOPASS, OPT_PROFILE, OPT_STATS, OPT_DUMP,
       OPT_PERFMAP, OPT_CODEMAX, OPT_EMITC, OPT_CACHE, OPT_BACKGROUND, OPT_DUMPIR };

int main(int argc, char **argv)
{
  static const struct option longopts[] = {
    { "cell-bits", required_argument, NULL, OPT_CELL },
    { "eof", required_argument, NULL, OPT_EOF },
    { "tape-max", required_argument, NULL, OPT_TAPE },
    { "tiered", no_argument, NULL, OPT_TIERED },
    { "interp", no_argument, NULL, OPT_INTERP },
    { "jit", no_argument, NULL, OPT_JIT },
    { "hot", required_argument, NULL, OPT_HOT },
    { "max-steps", required_argument, NULL, OPT_STEPS },
    { "no-pass", required_argument, NULL, OPT_NOPASS },
    { "profile", no_argument, NULL, OPT_PROFILE },
    { "stats", no_argument, NULL, OPT_STATS },
    { "dump-code", no_argument, NULL, OPT_DUMP },
    { "dump-ir", no_argument, NULL, OPT_DUMPIR },
    { "perf-map", no_argument, NULL, OPT_PERFMAP },
    { "code-max", required_argument, NULL, OPT_CODEMAX },
    { "cache", optional_argument, NULL, OPT_CACHE },
    { "background", no_argument, NULL, OPT_BACKGROUND },
    { "emit-c", no_argument, NULL, OPT_EMITC },
    { "expr", required_argument, NULL, 'e' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
  };
  static const struct { const char *name; unsigned bit; } passes[] = {
    { "fold", BFJIT_PASS_FOLD }, { "offset", BFJIT_PASS_OFFSET },
    { "clear", BFJIT_PASS_CLEAR }, { "linear", BFJIT_PASS_LINEAR },
    { "scan", BFJIT_PASS_SCAN }, { "dead", BFJIT_PASS_DEAD },
    { "known", BFJIT_PASS_KNOWN }, { "eval", BFJIT_PASS_EVAL },
    { "sink", BFJIT_PASS_SINK },
  };
  bfjit_options opt;
  const char *code = NULL;
  const char *cache_dir = NULL;
  int profile = 0, stats = 0, dump = 0, dump_ir = 0, emit_c = 0, build = 0, c;
  const char *out_name = NULL;
  unsigned nopass = 0;
  bfjit_options_init(&opt);
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":e:hVO:co:", longopts, NULL)) != -1) {
    switch (c) {
    case 'e': code = optarg; break;
    case 'h': fputs(usage_text, stdout); return EXIT_OK;
    case 'V': printf("bfjit %s\n", BFJIT_VERSION); return EXIT_OK;
    case 'O':
      opt.passes = bfjit_passes_for_level((int)number(optarg, "-O", 0, 2));
      break;
    case OPT_CELL:
      opt.cell_bits = (unsigned)number(optarg, "--cell-bits", 8, 32);
      if (opt.cell_bits != 8 && opt.cell_bits != 16 && opt.cell_bits != 32)
        die_usage("bad value '%s' for --cell-bits (8, 16 or 32)", optarg);
      break;
    case OPT_EOF:
      if (!strcmp(optarg, "keep"))
        opt.eof = BFJIT_EOF_KEEP;
      else if (!strcmp(optarg, "0"))
        opt.eof = BFJIT_EOF_ZERO;
      else if (!strcmp(optarg, "-1"))
        opt.eof = BFJIT_EOF_MINUS_ONE;
      else
        die_usage("bad value '%s' for --eof (keep, 0 or -1)", optarg);
      break;
    case OPT_TAPE:
      opt.tape_cells = (size_t)number(optarg, "--tape-max", 30000, (size_t)1 << 40);
      break;
    case OPT_TIERED: opt.mode = BFJIT_MODE_TIERED; break;
    case OPT_INTERP: opt.mode = BFJIT_MODE_INTERP; break;
    case OPT_JIT: opt.mode = BFJIT_MODE_JIT; break;
    case OPT_HOT: opt.hot_threshold = number(optarg, "--hot", 1, UINT64_MAX); break;
    case OPT_STEPS: opt.max_steps = number(optarg, "--max-steps", 1, UINT64_MAX); break;
    case OPT_NOPASS: {
      size_t i;
      for (i = 0; i < sizeof passes / sizeof passes[0]; i++)
        if (!strcmp(optarg, passes[i].name))
          break;
      if (i == sizeof passes / sizeof passes[0])
        die_usage("unknown pass '%s' for --no-pass", optarg);
      nopass |= passes[i].bit;
      break;
    }
    case OPT_PROFILE: profile = 1; break;
    case OPT_STATS: stats = opt.timing = 1; break;
    case OPT_DUMP: dump = 1; break;
    case OPT_DUMPIR: dump_ir = 1; break;
    case OPT_EMITC: emit_c = 1; break;
    case 'c': build = 1; break;
    case 'o': out_name = optarg; break;
    case OPT_PERFMAP: opt.perf_map = 1; break;
    case OPT_BACKGROUND: opt.background = 1; break;
    case OPT_CACHE:
      cache_dir = optarg ? optarg : default_cache_dir();
      if (!cache_dir || !*cache_dir)
        die_usage("--cache needs a directory: neither XDG_CACHE_HOME nor HOME is set");
      break;
    case OPT_CODEMAX: opt.code_max = (size_t)number(optarg, "--code-max", 1, SIZE_MAX); break;
    case ':': die_usage("option '%s' needs a value", argv[optind - 1]); break;
    default: die_usage("unknown option '%s'", argv[optind - 1]); break;
    }
  }
  opt.passes &= ~nopass;
  if (out_name && !emit_c && !build)
    die_usage("-o needs --emit-c or -c");

  const char *name;
  char *text = NULL;
  size_t len;
  if (code) {
    if (optind != argc)
      die_usage("unexpected argument '%s' after -e", argv[optind]);
    name = "-e";
    len = strlen(code);
  } else {
    if (optind != argc - 1)
      die_usage(optind == argc ? "no program file given" : "more than one program file given");
    name = argv[optind];
    FILE *f = strcmp(name, "-") ? fopen(name, "rb") : stdin;
    if (!f || !(text = slurp(f, &len))) {
      fprintf(stderr, "%s: cannot read '%s': %s\n", progname, name, strerror(errno));
      return EXIT_USAGE;
    }
    if (f != stdin)
      fclose(f);
    code = text;
  }

  /* A closed output pipe or a file over its size limit must become an I/O
  ** error with a message, not a silent death by SIGPIPE or SIGXFSZ. */
  signal(SIGPIPE, SIG_IGN);
  signal(SIGXFSZ, SIG_IGN);
  bfjit_error err;
  bfjit_program *p = bfjit_compile(code, len, &opt, &err);
  free(text);
  if (!p) {
    print_error(name, &err);
    return exit_code(err.status);
  }
  bfjit_status s;
  if (build) {
    s = bfjit_build_executable(p, name, out_name ? out_name : "a.out", getenv("CC"),
                               getenv("BFJIT_CFLAGS"), &err);
  } else if (dump_ir) {
    s = bfjit_dump_ir(p, stdout, &err);
  } else if (emit_c) {
    FILE *f = out_name ? fopen(out_name, "w") : stdout;
    if (!f) {
      fprintf(stderr, "%s: cannot write '%s': %s\n", progname, out_name, strerror(errno));
      bfjit_free(p);
      return EXIT_USAGE;
    }
    s = bfjit_emit_c(p, name, f, &err);
    if (f != stdout && fclose(f) && s == BFJIT_OK) {
      fprintf(stderr, "%s: cannot write '%s': %s\n", progname, out_name, strerror(errno));
      bfjit_free(p);
      return EXIT_IO;
    }
  } else {
    /* A cache that cannot be used is a warning: the run goes on. */
    if (cache_dir && !dump && bfjit_cache_load(p, cache_dir, &err) != BFJIT_OK)
      warn(&err);
    s = dump ? bfjit_dump_code(p, stdout, &err) : bfjit_run_stdio(p, stdin, stdout, &err);
    bfjit_error cerr;
    if (cache_dir && !dump && bfjit_cache_save(p, cache_dir, &cerr) != BFJIT_OK)
      warn(&cerr);
  }
  if (s != BFJIT_OK)
    print_error(name, &err);
  if (profile)
    print_profile(p, name);
  if (stats)
    print_stats(p);
  bfjit_free(p);
  return exit_code(s);
}
