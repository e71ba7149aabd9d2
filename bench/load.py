"""Load benchmark: a mixed workload on the whole service, with Locust, on loopback.

    .venv/bin/python bench/load.py [--seconds 60] [--smes 100] [--consultants 10] [--analysts 5]
        [--readers 5] [--workers N] [--threads N] [--postgres URL | --own-cluster]
        [--database bench_load] [--redis-port N]

Starts what a deployment runs: PostgreSQL (a fresh database `--database` on the server of
`--postgres`, dropped afterwards; with `--own-cluster` a cluster of its own in a temporary
folder, as bench/faults.py runs, so that other databases' writes on a shared server do not
hold up its commits), a private redis-server, gunicorn with the project's
gunicorn.conf.py (as scripts/serve; `--workers`, `--threads` change it) and one report worker
(worker.py, at lower CPU priority). Makes `--smes` enterprises (each with a draft and a
submitted assessment), a centre with `--consultants` consultants and a
bureau with `--analysts` analysts (bench/load_data.py). Then Locust, headless, runs for
`--seconds` after every client has signed in (bench/locustfile.py):
- each SME autosaves one changed answer every 1-3 s (and reopens its page now and then);
- consultants read their client list and consented clients' pages every 2-5 s;
- analysts read the bureau dashboard (aggregates of their district) or its CSV export every
  2-5 s;
- `--readers` owners download their PDF report (zh or en) every 5-10 s, refreshing the
  "preparing" answer every 3 s while the worker renders it.
- a health probe asks /healthz once a second: the same-run baseline, what the server answers
  when the application does nothing (the ratio autosave p95 / healthz p95 is printed).
Signing in and the first pages are not measured: the statistics start 5 s after the last
client opened its first page. Prints per request type the count, errors, p50 and p95, then the
machine and its load, and ends

    load: N req/s, autosave p95 X ms, errors N

Targets: 0 errors, autosave p95 < 100 ms. Needs redis-server and a PostgreSQL server.
"""
import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load_data import prepare  # noqa: E402
from bench.stack import (HOST, VENV_BIN, Gunicorn, Worker, free_port, postgres_cluster,  # noqa: E402
                         postgres_database, redis_server, server_env)

SPAWN_RATE = 4  # clients started per second: each signs in, an Argon2 check by design
SETTLE_SECONDS = 5  # after the last client opened its first page, before measuring
SIGN_IN_LIMIT = 300  # the run ends anyway this long after the measured time


def machine():
    """One line: when, on what, under which load (the figures move with it)."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPU {cpu}; "
            f"Linux {platform.release()}; Python {platform.python_version()}; load {load}")


def run_locust(plan, port, seconds, classes, workdir):
    """Run Locust headless against the server; return its stats rows and failures rows."""
    plan_file = workdir / "plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    users = len(plan["smes"]) if classes == ["Sme"] else (
        len(plan["smes"]) + len(plan["consultants"]) + len(plan["analysts"])
        + plan.get("report_readers", 0) + 1)  # + the health probe
    ready = workdir / "ready"
    env = {**os.environ, "BENCH_PLAN": str(plan_file), "BENCH_EXPECTED": str(users),
           "BENCH_SETTLE": str(SETTLE_SECONDS), "BENCH_SECONDS": str(seconds),
           "BENCH_READY": str(ready)}
    prefix = workdir / "locust"
    with open(workdir / "locust.log", "w") as log:
        done = subprocess.run(
            [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
             "--headless", "--users", str(users), "--spawn-rate", str(SPAWN_RATE),
             "--run-time", f"{int(seconds + SETTLE_SECONDS + SIGN_IN_LIMIT)}s",
             "--stop-timeout", "10",
             "--host", f"http://{HOST}:{port}", "--csv", str(prefix), "--only-summary",
             "--loglevel", "WARNING", *classes],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    if not Path(f"{prefix}_stats.csv").exists():
        sys.exit(f"locust wrote no statistics (exit {done.returncode}):\n"
                 + (workdir / "locust.log").read_text()[-2000:])
    if not ready.exists():
        print(f"warning: not every client signed in within {SIGN_IN_LIMIT} s; "
              "the figures include the sign-ins", flush=True)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        stats = list(csv.DictReader(f))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
        failures = list(csv.DictReader(f))
    return stats, failures


@contextmanager
def _database(args):
    """The URL of the benchmark's database: on its own cluster, or made on `--postgres`."""
    if args.own_cluster:
        with postgres_cluster(free_port()) as cluster:
            yield cluster.url
    else:
        with postgres_database(args.postgres, args.database) as url:
            yield url


def print_table(stats, failures):
    print(f"{'request':<22} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7}")
    for row in stats:
        if row["Request Count"] == "0":  # signing in, before the statistics started
            continue
        print(f"{row['Name']:<22} {row['Request Count']:>7} {row['Failure Count']:>6} "
              f"{row['50%']:>7} {row['95%']:>7} {float(row['Requests/s']):>7.1f}")
    for row in failures[:10]:
        print(f"  error: {row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error']}")


def row(stats, name):
    return next((r for r in stats if r["Name"] == name), None)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--smes", type=int, default=100)
    parser.add_argument("--consultants", type=int, default=10)
    parser.add_argument("--analysts", type=int, default=5)
    parser.add_argument("--readers", type=int, default=5)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="threads per gunicorn worker (default: the file's)")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="a database URL on the PostgreSQL server to use (%(default)s)")
    parser.add_argument("--database", default="bench_load",
                        help="name of the database made and dropped there (%(default)s)")
    parser.add_argument("--own-cluster", action="store_true",
                        help="run a PostgreSQL cluster of its own instead of using --postgres")
    parser.add_argument("--redis-port", type=int, default=0, help="default: a free port")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port; default: a free one")
    args = parser.parse_args(argv)
    args.readers = min(max(args.readers, 0), args.smes)

    print(f"machine: {machine()}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        with _database(args) as database_url, redis_server(args.redis_port or free_port()) as redis:
            started = time.monotonic()
            plan = prepare(database_url, args.smes, args.consultants, args.analysts)
            plan["report_readers"] = args.readers
            print(f"prepared {args.smes} enterprises, {args.consultants} consultants, "
                  f"{args.analysts} analysts in {time.monotonic() - started:.0f} s", flush=True)
            env = server_env(database_url, redis.url)
            web = Gunicorn(args.port or free_port(), env, args.workers, args.threads)
            worker = Worker(env)
            try:
                web.start()
                worker.start()
                stats, failures = run_locust(plan, web.port, args.seconds,
                                             ["Sme", "Consultant", "Analyst", "ReportReader", "Probe"],
                                             workdir)
            finally:
                worker.stop()
                web.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print_table(stats, failures)
    print(f"machine after: {machine()}")
    total, autosave = row(stats, "Aggregated"), row(stats, "autosave")
    probe = row(stats, "healthz (baseline)")
    if autosave and probe and probe["95%"] not in ("N/A", "0"):
        print(f"baseline: healthz p95 {probe['95%']} ms in the same run; autosave p95 / healthz "
              f"p95 = {float(autosave['95%']) / float(probe['95%']):.1f}")
    print(f"load: {float(total['Requests/s']):.0f} req/s, "
          f"autosave p95 {autosave['95%'] if autosave else 'n/a'} ms, "
          f"errors {total['Failure Count']}")


if __name__ == "__main__":
    main()
