#!/usr/bin/env python3
# ref.py — the bench programs' algorithms in plain Python, independent of the
# generators: prints the expected output. Usage: ref.py mandel W H MAXIT |
# sieve N R | pow2 N | scan K. `make bench` compares every run with bench/NAME.out.
import math
import sys


def mandel(w, h, maxit):
    # 16-bit two's complement, 12 fraction bits, exactly as bench/gen/mandel.c.
    fb, m = 12, 0xffff
    ramp = " .:-=+*#%"

    def sign(x):
        return x >> 15 & 1

    def mag(x):
        return (-x) & m if sign(x) else x

    dcr, cr0 = 10240 // w, -8192
    dci = 10240 // h
    ci0 = -((dci * (h - 1)) // 2)
    out = []
    ci = ci0 & m
    for _ in range(h):
        cr = cr0 & m
        for _ in range(w):
            zr = zi = 0
            r = maxit
            while True:
                a, b = mag(zr), mag(zi)
                sq1, sq2 = a * a, b * b
                esc = (sq1 >> (fb + 15)) or (sq2 >> (fb + 15))  # a square >= 8.0
                zr2, zi2 = (sq1 >> fb) & m, (sq2 >> fb) & m
                esc = esc or (zr2 + zi2) >> 14                   # |z|^2 >= 4.0
                p = ((a * b) >> (fb - 1)) & m
                if sign(zr) != sign(zi):
                    p = (-p) & m
                zr, zi = (zr2 + cr - zi2) & m, (p + ci) & m
                if esc:
                    break
                r -= 1
                if r == 0:
                    break
            out.append('@' if r == 0 else ramp[min(maxit - r, 8)])
            cr = (cr + dcr) & m
        out.append('\n')
        ci = (ci + dci) & m
    return ''.join(out)


def sieve(n, reps):
    flags = bytearray([1]) * (n + 1)
    flags[0] = flags[1] = 0
    for p in range(2, math.isqrt(n) + 1):
        if flags[p]:
            flags[p * p::p] = bytearray(len(flags[p * p::p]))
    return f"primes up to {n}: {sum(flags)}\n" * reps


def pow2(n):
    sys.set_int_max_str_digits(0)
    return f"2^{n} = {2 ** n}\n"


def scan(k):
    return f"run length {k:05d}\n"


if __name__ == "__main__":
    fn = {"mandel": mandel, "sieve": sieve, "pow2": pow2, "scan": scan}[sys.argv[1]]
    sys.stdout.write(fn(*(int(a) for a in sys.argv[2:])))
