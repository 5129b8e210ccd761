#!/usr/bin/env python3
"""Write a random batch-matching instance in the SLMINST1 format (docs/bench-format.md).

    gen_instance.py --workers W --vacancies V --positions P [--degree D] [--seed S] --out FILE

The instance has W workers and V vacancies whose headcounts sum to P (each at least 1,
the rest spread by log-normal weights, so a few vacancies are large and most are small).
Each worker is eligible for about D distinct vacancies (D draws with replacement, the
repeats dropped), listed in ascending order, each with a score drawn uniformly from
0..=1000. The same arguments and seed always give the same bytes.

Needs python3 with numpy (`pip install numpy`).
"""
import argparse
import struct
import sys

import numpy as np

MAGIC = b"SLMINST1"
MAX_SCORE = 1000


def headcounts(rng, vacancies, positions):
    """Every vacancy gets one position; the other P - V go by log-normal weights."""
    weights = rng.lognormal(mean=0.0, sigma=1.0, size=vacancies)
    extra = rng.multinomial(positions - vacancies, weights / weights.sum())
    return (extra + 1).astype(np.uint32)


def eligibility(rng, workers, vacancies, degree):
    """Each worker's eligible vacancies: `degree` uniform draws, sorted, repeats dropped.

    Returns (offsets, vacancy): worker w's edges are offsets[w] .. offsets[w + 1].
    """
    drawn = rng.integers(0, vacancies, size=(workers, degree), dtype=np.int64)
    drawn.sort(axis=1)
    first = np.ones(drawn.shape, dtype=bool)
    first[:, 1:] = drawn[:, 1:] != drawn[:, :-1]
    vacancy = drawn[first].astype(np.uint32)  # row-major: by worker, then ascending vacancy
    offsets = np.zeros(workers + 1, dtype=np.uint64)
    np.cumsum(first.sum(axis=1), out=offsets[1:])
    return offsets, vacancy


def generate(workers, vacancies, positions, degree, seed):
    """The instance's arrays: (capacity, offsets, vacancy, score)."""
    rng = np.random.default_rng(seed)
    capacity = headcounts(rng, vacancies, positions)
    offsets, vacancy = eligibility(rng, workers, vacancies, degree)
    score = rng.integers(0, MAX_SCORE + 1, size=vacancy.size, dtype=np.int64).astype(np.uint32)
    return capacity, offsets, vacancy, score


def write(path, capacity, offsets, vacancy, score):
    """The SLMINST1 layout: magic, W, V, E (u64), then the four arrays, little-endian."""
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<3Q", offsets.size - 1, capacity.size, vacancy.size))
        for array, dtype in ((capacity, "<u4"), (offsets, "<u8"), (vacancy, "<u4"), (score, "<u4")):
            array.astype(dtype, copy=False).tofile(f)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, required=True, help="number of workers W")
    ap.add_argument("--vacancies", type=int, required=True, help="number of vacancies V (at least 1)")
    ap.add_argument("--positions", type=int, required=True, help="total headcount P (at least V)")
    ap.add_argument("--degree", type=int, default=100, help="draws of eligible vacancies per worker (default 100)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", required=True, help="the file to write")
    a = ap.parse_args(argv)
    if a.workers < 0 or a.degree < 0 or a.seed < 0:
        ap.error("--workers, --degree and --seed must not be negative")
    if a.vacancies < 1:
        ap.error("--vacancies must be at least 1")
    if a.positions < a.vacancies:
        ap.error("--positions must be at least --vacancies (every vacancy has headcount >= 1)")
    capacity, offsets, vacancy, score = generate(a.workers, a.vacancies, a.positions, a.degree, a.seed)
    write(a.out, capacity, offsets, vacancy, score)
    print(
        f"workers={a.workers} vacancies={a.vacancies} positions={a.positions} "
        f"edges={vacancy.size} -> {a.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
