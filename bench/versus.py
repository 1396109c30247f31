#!/usr/bin/env python3
# versus.py — two engines side by side on a folder of Brainfuck programs (`make bench-vs`).
# Usage: versus.py [-a ENGINE] [-b ENGINE] [-n RUNS] [--bfjit PATH] [--timeout S] DIR [NAME...]
#
# DIR holds NAME.b, with NAME.in (its stdin) and NAME.out (its expected stdout) where
# given, and optionally a LIST file: lines "NAME BITS" ('#' starts a comment) naming the
# programs in order with their cell width (default 8). Without LIST every *.b is run, 8-bit.
#
# ENGINE is a command: "{bits}" becomes the cell width, "{name}" the program's name,
# "{file}" its path; the path of NAME.b is appended unless {name} or {file} appears. Or
# one of bfjit's modes, optionally followed by more bfjit options: "tiered" (bfjit's
# default), "jit", "interp" run BFJIT --cell-bits=BITS [--jit|--interp] ...; "aot" first
# builds the program with `BFJIT --cell-bits=BITS -c` (into a temporary folder, with
# $CC and $BFJIT_CFLAGS as bfjit uses them), then runs the executable. A defaults to
# "tiered"; without B only A runs.
#
# Each engine first runs once untimed (under /usr/bin/time, for its peak memory), then
# timed runs alternate A B A B ..., RUNS times each. Every run's stdout is compared with
# NAME.out and its exit status must be 0. Per program it prints the median wall time of
# each engine, the median of the paired ratios A/B, the peak memory (max RSS) of each,
# and bfjit's side exits from a --stats run (the untimed run of the first engine that is
# a bfjit mode other than aot, else one more run of "tiered"); at the end the geometric
# mean of the ratios. An engine that fails or prints the wrong output is reported and
# stops running on that program, its ratio is not counted, and the exit status is 1. No
# timing is ever asserted.
import argparse
import math
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

TIME = "/usr/bin/time"  # GNU time: %M is the peak memory in KiB
MODES = {"tiered": [], "jit": ["--jit"], "interp": ["--interp"], "aot": None}


def programs(folder, names):
    """[(name, bits)] from FOLDER/LIST in its order, or every *.b at 8 bits."""
    lst = os.path.join(folder, "LIST")
    out = []
    if os.path.exists(lst):
        with open(lst) as f:
            for no, line in enumerate(f, 1):
                w = line.split("#", 1)[0].split()
                if not w:
                    continue
                if len(w) > 2 or (len(w) == 2 and w[1] not in ("8", "16", "32")):
                    sys.exit(f"versus: {lst}:{no}: expected 'NAME BITS' (BITS 8, 16 or 32)")
                out.append((w[0], int(w[1]) if len(w) == 2 else 8))
    else:
        out = [(f[:-2], 8) for f in sorted(os.listdir(folder)) if f.endswith(".b")]
    for n, _ in out:
        if not os.path.exists(os.path.join(folder, n + ".b")):
            sys.exit(f"versus: {folder}: no {n}.b")
    if names:
        known = {n for n, _ in out}
        for n in names:
            if n not in known:
                sys.exit(f"versus: {folder}: no program '{n}'")
        out = [(n, b) for n, b in out if n in names]
    if not out:
        sys.exit(f"versus: {folder}: no programs")
    return out


class Engine:
    """One side: a command template, or a bfjit mode (with 'aot' built first)."""

    def __init__(self, spec, bfjit, tmp):
        self.spec, self.bfjit, self.tmp = spec, bfjit, tmp
        words = shlex.split(spec)
        if not words:
            sys.exit("versus: an empty engine")
        self.mode = words[0] if words[0] in MODES else None
        self.extra = words[1:]
        self.built = {}  # (name, bits) -> executable, or None if the build failed

    def describe(self):
        if self.mode == "aot":
            argv = [self.bfjit, "--cell-bits={bits}"] + self.extra + ["-c"]
            return f"aot ({' '.join(argv)}, then the executable)"
        if self.mode:
            return f"{self.mode} ({' '.join(self.bfjit_argv('{bits}'))})"
        return self.spec

    def bfjit_argv(self, bits):
        return [self.bfjit, f"--cell-bits={bits}"] + MODES[self.mode] + self.extra

    def argv(self, name, bits, file):
        """The command for one run, or None if it could not be built."""
        if self.mode == "aot":
            return [self.built[(name, bits)]] if self.built.get((name, bits)) else None
        if self.mode:
            return self.bfjit_argv(bits) + [file]
        sub = self.spec.replace("{bits}", str(bits)).replace("{name}", name)
        appended = "{name}" not in self.spec and "{file}" not in self.spec
        argv = shlex.split(sub.replace("{file}", shlex.quote(file)))
        return argv + [file] if appended else argv

    def build(self, name, bits, file):
        """aot: compile the program; returns (seconds, error message or None)."""
        if self.mode != "aot" or (name, bits) in self.built:
            return 0.0, None
        exe = os.path.join(self.tmp, f"{name}-{bits}-{len(self.built)}.aot")
        argv = [self.bfjit, f"--cell-bits={bits}"] + self.extra + ["-c", file, "-o", exe]
        t0 = time.monotonic()
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True)
        t = time.monotonic() - t0
        self.built[(name, bits)] = exe if p.returncode == 0 else None
        if p.returncode:
            return t, f"build failed ({p.returncode}): {first_line(p.stderr)}"
        return t, None


def first_line(b):
    s = b.decode(errors="replace").strip().splitlines()
    return s[0][:100] if s else ""


def run(argv, stdin, timeout, out, err, mem=None):
    """One run with stdout to OUT and stderr to ERR (open files): (wall seconds, exit
    status, peak memory in KiB or None). With MEM (a file name) the run goes through
    /usr/bin/time for its peak memory: the child's own rusage would not do, as a child
    forked from Python starts with Python's resident pages counted. A run past TIMEOUT
    is killed (status 'timeout')."""
    if mem:
        argv = [TIME, "-f", "%M", "-o", mem] + argv
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    out.seek(0); out.truncate(); err.seek(0); err.truncate()
    try:
        t0 = time.monotonic()
        try:
            p = subprocess.Popen(argv, stdin=fin, stdout=out, stderr=err, start_new_session=True)
        except OSError as e:
            err.write(str(e).encode()); err.flush()
            return 0.0, "cannot run", None
        killed = []

        def kill():
            killed.append(1)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            status = p.wait()
        except BaseException:
            kill()
            p.wait()
            raise
        finally:
            timer.cancel()
        t = time.monotonic() - t0
        kib = None
        if mem:
            with open(mem) as f:
                lines = f.read().split()
            kib = int(lines[-1]) if lines and lines[-1].isdigit() else None
        return t, "timeout" if killed else status, kib
    finally:
        if fin is not subprocess.DEVNULL:
            fin.close()


def fmt_s(v):
    return "-" if v is None else f"{v:.3f}"


def fmt_mb(kib):
    return "-" if not kib else f"{kib / 1024:.1f}"


def main():
    ap = argparse.ArgumentParser(description="Two Brainfuck engines side by side on a folder "
                                 "of programs (see the comment at the top of this file).")
    ap.add_argument("-a", default="tiered", help="engine A (default: tiered, bfjit's default mode)")
    ap.add_argument("-b", default="", help="engine B (default: none, A runs alone)")
    ap.add_argument("-n", "--runs", type=int, default=5, help="timed runs of each (default 5)")
    ap.add_argument("--bfjit", default="build/bfjit", help="bfjit for the modes (default build/bfjit)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per run (default 600)")
    ap.add_argument("dir", help="the programs' folder")
    ap.add_argument("names", nargs="*", help="programs (default: all, in LIST order)")
    o = ap.parse_args()
    if o.runs < 1:
        sys.exit("versus: -n wants at least 1 run")

    todo = programs(o.dir, o.names)
    tmp = tempfile.mkdtemp(prefix="versus.")
    try:
        return compare(o, todo, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def compare(o, todo, tmp):
    eng = [Engine(o.a, o.bfjit, tmp)] + ([Engine(o.b, o.bfjit, tmp)] if o.b.strip() else [])
    two = len(eng) > 1
    # Side exits come from the first engine that is a bfjit mode run by bfjit itself.
    st = next((e for e in eng if e.mode and e.mode != "aot"), None)
    st_spec = st.spec if st else "tiered"
    out = open(os.path.join(tmp, "out"), "w+b")
    err = open(os.path.join(tmp, "err"), "w+b")
    mem = os.path.join(tmp, "mem") if os.access(TIME, os.X_OK) else None

    print(f"versus: {o.dir}; median wall seconds of {o.runs} timed run(s) each"
          + (", A and B alternating," if two else ","))
    print(f"        after one untimed run of each that measures its peak memory (MB, max RSS).")
    for i, e in enumerate(eng):
        print(f"        {'AB'[i]}: {e.describe()}")
    if not two:
        print("        B: none")
    print(f"        A/B: the median of the paired ratios. exits: side exits in '{st_spec} --stats'.")
    print(f"        Every run's output is checked against NAME.out.")
    if not mem:
        print(f"        (no MB: {TIME} is missing)")
    print()
    row = "%-14s %4s %9s %9s %8s %8s %8s %11s  %s"
    print(row % ("program", "bits", "A s", "B s", "A/B", "A MB", "B MB", "exits", "notes"))
    logs, uncounted, bad = [], [], False
    for name, bits in todo:
        base = os.path.join(o.dir, name)
        file = base + ".b"
        stdin = base + ".in" if os.path.exists(base + ".in") else None
        want = None
        if os.path.exists(base + ".out"):
            with open(base + ".out", "rb") as f:
                want = f.read()
        notes = [] if want is not None else ["no .out: unchecked"]

        def failed(tag, status):
            """Why the last run failed, or None if it did not."""
            if status == "timeout":
                return f"{tag} TIMED OUT after {o.timeout:g} s"
            if status != 0:
                err.seek(0)
                msg = first_line(err.read())
                return f"{tag} FAILED (exit {status})" + (f": {msg}" if msg else "")
            out.seek(0)
            got = out.read()
            if want is not None and got != want:
                at = next((k for k, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))
                return f"{tag} WRONG OUTPUT ({len(got)} bytes, expected {len(want)}, first difference at byte {at})"
            return None

        def side_exits():
            err.seek(0)
            m = re.search(rb"side exits (\d+)", err.read())
            return m.group(1).decode() if m else "-"

        exits = "-"
        if not st:  # a --stats run of its own
            _, status, _ = run([o.bfjit, f"--cell-bits={bits}", "--stats", file],
                               stdin, o.timeout, out, err)
            why = failed("stats run", status)
            if why:
                notes.append(why)
                bad = True
            exits = side_exits()

        # Build (aot), then the untimed run: output check, peak memory, and for the
        # --stats engine its side exits.
        argv, ok, rss = [], [True] * len(eng), [None] * len(eng)
        for i, e in enumerate(eng):
            tag = "AB"[i]
            bt, why = e.build(name, bits, file)
            argv.append(e.argv(name, bits, file))
            if why:
                notes.append(f"{tag} {why}")
                ok[i] = False
                continue
            if e.mode == "aot":
                notes.append(f"{tag} built in {bt:.2f} s")
            stats = ["--stats"] if e is st else []
            first = argv[i][:-1] + stats + argv[i][-1:] if stats else argv[i]
            _, status, rss[i] = run(first, stdin, o.timeout, out, err, mem)
            why = failed(tag, status)
            if why:
                notes.append(why)
                ok[i] = False
            elif e is st:
                exits = side_exits()

        times, ratios = [[] for _ in eng], []
        for _ in range(o.runs):
            t = [None] * len(eng)
            for i in range(len(eng)):
                if not ok[i]:
                    continue
                t[i], status, _ = run(argv[i], stdin, o.timeout, out, err)
                why = failed("AB"[i], status)
                if why:
                    notes.append(why)
                    ok[i] = False
                    continue
                times[i].append(t[i])
            if two and ok[0] and ok[1] and t[1] > 0:
                ratios.append(t[0] / t[1])
        bad = bad or not all(ok)
        med = [statistics.median(ts) if ok[i] else None for i, ts in enumerate(times)]
        r = None
        if two:
            if all(ok) and ratios:
                r = statistics.median(ratios)
                logs.append(math.log(r))
            else:
                uncounted.append(name)
        print((row % (name, bits, fmt_s(med[0]), fmt_s(med[1] if two else None),
                      "-" if r is None else f"{r:.3f}", fmt_mb(rss[0]),
                      fmt_mb(rss[1] if two else None), exits, "; ".join(notes))).rstrip(), flush=True)

    if two:
        print()
        if logs:
            print(f"geomean A/B = {math.exp(sum(logs) / len(logs)):.3f} over {len(logs)} program(s)"
                  + (f"; not counted: {' '.join(uncounted)}" if uncounted else ""))
        else:
            print("geomean A/B: no program counted")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
