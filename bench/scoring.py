"""Benchmark the scoring engine on random valid cn-sme-2024 assessments.

Batch path: 100,000 assessments, validated and encoded first (timed separately), then scored as
arrays with Compiled.score_batch (the figure excludes I/O and encoding). Single path: 1,000 of the
same assessments through score(), as a web request does, with explanation and next-level analysis.
Ends with one line: `scoring: batch N/s, single N ms median, ratio X`.

Run: .venv/bin/python bench/scoring.py [--batch 100000] [--single 1000] [--seed 1]
"""
import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagnosis import compile_instrument, load_instrument, score, visible_ids  # noqa: E402

PROFILES = [{"industry": "C36", "employees": 120}, {"industry": "I65", "employees": 45}]


def random_answer(rng, q):
    if q.allow_na and rng.random() < 0.1:
        return "n/a"
    if q.kind == "single":
        return rng.choice(q.options).id
    if q.kind == "multiple":
        paying = [o.id for o in q.options if not o.exclusive]
        if rng.random() < 0.1:
            return [o.id for o in q.options if o.exclusive]
        return rng.sample(paying, rng.randint(1, len(paying)))
    if q.kind == "rate":
        d = rng.randint(1, 500)
        return {"numerator": rng.randint(0, d), "denominator": d}
    return rng.randint(q.min, q.max)


def random_assessments(inst, n, rng):
    """n random valid (answers, profile) pairs; visibility is worked out once per profile."""
    shown = [visible_ids(inst, {}, p) for p in PROFILES]
    out = []
    for _ in range(n):
        k = 0 if rng.random() < 0.7 else 1
        answers = {q.id: random_answer(rng, q) for q in inst.questions if q.id in shown[k]}
        out.append((answers, PROFILES[k]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=100_000)
    ap.add_argument("--single", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    inst = load_instrument(ROOT / "questionnaires" / "cn-sme-2024.yaml")
    rng = random.Random(args.seed)
    comp = compile_instrument(inst)
    data = random_assessments(inst, args.batch, rng)

    t = time.perf_counter()
    encoded = comp.encode_many(data)
    encode_s = time.perf_counter() - t
    comp.score_batch(encoded)  # warm-up
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        scores = comp.score_batch(encoded)
        runs.append(time.perf_counter() - t)
    batch_rate = args.batch / min(runs)

    single = data[: args.single]
    for answers, profile in single[:50]:  # warm-up
        score(inst, answers, profile)
    times = []
    for answers, profile in single:
        t = time.perf_counter()
        score(inst, answers, profile)
        times.append(time.perf_counter() - t)
    median_ms = statistics.median(times) * 1000
    ranks = {int(r): int((scores.levels == r).sum()) for r in sorted(set(scores.levels.tolist()))}
    print(f"assessments: {args.batch}, levels {ranks}, mean total {scores.totals.mean():.2f}")
    print(f"encode (validate + arrays): {args.batch / encode_s:,.0f}/s")
    print(f"batch score: best of 5 runs {min(runs) * 1000:.1f} ms")
    print(f"single score(): median {median_ms:.3f} ms, p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.3f} ms")
    ratio = batch_rate / (1000 / median_ms)
    print(f"scoring: batch {batch_rate:.0f}/s, single {median_ms:.3f} ms median, ratio {ratio:.0f}")


if __name__ == "__main__":
    main()
