"""Fault benchmark: four faults injected while SMEs autosave, and what the clients lost.

    .venv/bin/python bench/faults.py [--smes 100] [--workers N] [--threads N] [--pg-port N]
        [--redis-port N] [--port N] [--report-wait 300]

Runs the service as bench/load.py does, but on a PostgreSQL cluster of its own (initdb in a
temporary folder, run as the `postgres` user, so that restarting it disturbs no other
database), a private redis-server, gunicorn (gunicorn.conf.py) and one report worker (worker.py). Locust's `Sme` clients
(bench/locustfile.py) autosave throughout; each sets the numerator of one rate question to
1, 2, 3, ... in turn and notes the last number the server acknowledged (200, `saved: true`).
After the warm-up, at fixed moments:

  (a) kill -9 one gunicorn worker (the master starts another);
  (b) restart PostgreSQL (`pg_ctl restart -m fast`: every connection is cut);
  (c) stop Redis for 10 s, then start it again (empty, as it runs without persistence);
  (d) kill -9 the report worker (and its work horse) while it renders a report one owner
      asked for, then start a new worker, as a supervisor would; the owner's page keeps
      refreshing until the PDF comes or the page says the report failed.

Afterwards the database is compared with what the clients were told: an acknowledged answer is
lost when the stored counter of its draft is below it. Prints, per fault, the autosave errors
the clients saw (503, 500, connection cut, other) and the time to recover (from the injection
to the end of the last failed or slower-than-1-s autosave before the next fault; for (d) to
the report's outcome), and ends with

    faults: 4 injected, acknowledged answers lost N, recovery max X s

Targets: nothing acknowledged is lost, no 500, every report job ends served or failed.
"""
import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.autosave import Client  # noqa: E402
from bench.load import SETTLE_SECONDS, SIGN_IN_LIMIT, SPAWN_RATE, machine  # noqa: E402
from bench.load_data import PASSWORD, prepare, stored_counters  # noqa: E402
from bench.stack import (HOST, VENV_BIN, Gunicorn, Worker, free_port, postgres_cluster,  # noqa: E402
                         redis_server, server_env)

GAP = 20.0  # seconds between faults: each has time to show and to recover
REDIS_DOWN = 10.0
SLOW = 1.0  # an autosave slower than this counts as not recovered yet


async def _signed_in(port, email):
    client = Client(port)
    status, html = await client.request("GET", "/auth/login")
    from bench.autosave import CSRF_RE

    token = CSRF_RE.search(html)
    status, _ = await client.request("POST", "/auth/login", {
        "email": email, "password": PASSWORD, "csrf_token": token.group(1) if token else ""})
    if status != 302:
        raise RuntimeError(f"report owner could not sign in: HTTP {status}")
    return client


def kill_report_worker_mid_job(env, worker, port, owner, wait):
    """(d): ask for a report, kill the worker once the job has started, start a new worker,
    and follow the owner's page. Returns (outcome, seconds from the kill to the outcome)."""
    from redis import Redis
    from rq.registry import StartedJobRegistry

    client = asyncio.run(_signed_in(port, owner["email"]))
    url = f"/reports/{owner['submitted']}.pdf?lang=en"
    status, _ = asyncio.run(client.request("GET", url))
    if status != 202:
        return f"not queued (HTTP {status})", 0.0
    started = StartedJobRegistry("reports", connection=Redis.from_url(env["REDIS_URL"]))
    deadline = time.monotonic() + 60
    while not started.get_job_ids(cleanup=False):
        if time.monotonic() > deadline:
            return "never started", 0.0
        time.sleep(0.05)
    time.sleep(0.3)  # into the rendering
    os.killpg(worker.proc.pid, signal.SIGKILL)
    worker.proc.wait()
    killed = time.monotonic()
    worker.start()
    while time.monotonic() - killed < wait:
        status, body = asyncio.run(client.request("GET", url, timeout=60))
        if status == 200:
            return "retried and served", time.monotonic() - killed
        if status == 503 and "retry=1" in body:
            return "failed, retry offered", time.monotonic() - killed
        if status != 202:
            return f"HTTP {status}", time.monotonic() - killed
        time.sleep(3)
    return f"still preparing after {wait:.0f} s", time.monotonic() - killed


def error_kinds(events):
    kinds = Counter()
    for e in events:
        if not e["saved"]:
            status = e["status"]
            kinds["503" if status == 503 else "500" if status == 500 else
                  "cut" if status == 0 else f"HTTP {status}"] += 1
    return kinds


def recovery(events, at, until):
    """Seconds from `at` to the end of the last failed or slow autosave started before `until`."""
    bad = [e["end"] for e in events if at <= e["start"] < until
           and (not e["saved"] or e["end"] - e["start"] > SLOW)]
    return max(bad) - at if bad else 0.0


def lost_answers(events, acknowledged, stored):
    """Acknowledged saves whose number is above what the database kept for their draft."""
    lost = 0
    for e in events:
        if e["saved"]:
            kept = stored.get(e["draft"])
            if kept is None or int(kept) < e["n"]:
                lost += 1
    behind = sum(1 for draft, n in acknowledged.items()
                 if stored.get(int(draft)) is None or int(stored[int(draft)]) < n)
    return lost, behind


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smes", type=int, default=100)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="threads per gunicorn worker (default: the file's)")
    parser.add_argument("--pg-port", type=int, default=0, help="default: a free port")
    parser.add_argument("--redis-port", type=int, default=0, help="default: a free port")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port; default: a free one")
    parser.add_argument("--report-wait", type=float, default=300.0,
                        help="how long the owner keeps refreshing the report page (%(default)s s)")
    args = parser.parse_args(argv)

    print(f"machine: {machine()}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    events_file, plan_file = workdir / "events.jsonl", workdir / "plan.json"
    faults = []  # (name, monotonic time injected)
    try:
        with postgres_cluster(args.pg_port or free_port()) as pg, \
                redis_server(args.redis_port or free_port()) as redis:
            plan = prepare(pg.url, args.smes, consultants=0, analysts=0)
            plan_file.write_text(json.dumps(plan), encoding="utf-8")
            env = server_env(pg.url, redis.url)
            web, worker = Gunicorn(args.port or free_port(), env, args.workers, args.threads), Worker(env)
            locust = None
            try:
                web.start()
                worker.start()
                ready = workdir / "ready"
                locust = subprocess.Popen(
                    [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
                     "--headless", "--users", str(args.smes), "--spawn-rate", str(SPAWN_RATE),
                     "--host", f"http://{HOST}:{web.port}", "--only-summary",
                     "--loglevel", "WARNING", "Sme"],
                    cwd=ROOT, env={**os.environ, "BENCH_PLAN": str(plan_file),
                                   "BENCH_EVENTS": str(events_file), "BENCH_READY": str(ready),
                                   "BENCH_EXPECTED": str(args.smes)},
                    stdout=open(workdir / "locust.log", "w"), stderr=subprocess.STDOUT)
                wall = time.time() - time.monotonic()  # events carry wall-clock times
                deadline = time.monotonic() + SIGN_IN_LIMIT
                while not ready.exists():
                    if time.monotonic() > deadline or locust.poll() is not None:
                        raise RuntimeError(
                            f"not every client signed in within {SIGN_IN_LIMIT} s:\n"
                            + (workdir / "locust.log").read_text()[-2000:])
                    time.sleep(0.5)
                time.sleep(SETTLE_SECONDS)

                faults.append(("kill -9 a gunicorn worker", time.monotonic()))
                os.kill(web.worker_pids()[0], signal.SIGKILL)
                time.sleep(GAP)

                faults.append(("restart PostgreSQL", time.monotonic()))
                pg.restart()
                time.sleep(GAP)

                faults.append(("stop Redis for 10 s", time.monotonic()))
                redis.stop()
                time.sleep(REDIS_DOWN)
                redis.start()
                time.sleep(GAP - REDIS_DOWN)

                faults.append(("kill the report worker mid-job", time.monotonic()))
                outcome, report_seconds = kill_report_worker_mid_job(
                    env, worker, web.port, plan["smes"][-1], args.report_wait)
                time.sleep(max(0.0, GAP - report_seconds))
                end = time.monotonic()
                locust.terminate()  # Locust writes the clients' events as it quits
                locust.wait(timeout=60)
            finally:
                if locust is not None and locust.poll() is None:
                    locust.kill()
                worker.stop()
                web.stop()
            lines = events_file.read_text(encoding="utf-8").splitlines()
            events = [json.loads(line) for line in lines[:-1]]
            acknowledged = json.loads(lines[-1])["acknowledged"]
            stored = stored_counters(pg.url, [s["draft"] for s in plan["smes"]])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    for e in events:  # onto the same clock as the faults
        e["start"] -= wall
        e["end"] -= wall
    print(f"{'fault':<34} {'autosaves':>9} {'503':>5} {'500':>5} {'cut':>5} {'other':>5} "
          f"{'recovery s':>10}")
    recoveries = []
    for i, (name, at) in enumerate(faults):
        until = faults[i + 1][1] if i + 1 < len(faults) else end
        window = [e for e in events if at <= e["start"] < until]
        kinds = error_kinds(window)
        seconds = report_seconds if i == 3 else recovery(events, at, until)
        recoveries.append(seconds)
        other = sum(v for k, v in kinds.items() if k not in ("503", "500", "cut"))
        print(f"{name:<34} {len(window):>9} {kinds['503']:>5} {kinds['500']:>5} {kinds['cut']:>5} "
              f"{other:>5} {seconds:>10.1f}")
    every = error_kinds(events)
    lost, behind = lost_answers(events, acknowledged, stored)
    print(f"report job killed mid-render: {outcome} ({report_seconds:.1f} s after the kill)")
    print(f"autosaves: {len(events)} sent, {sum(e['saved'] for e in events)} acknowledged, "
          f"errors {dict(every) or 0}; drafts behind their last acknowledgement: {behind}")
    print(f"machine after: {machine()}")
    print(f"faults: {len(faults)} injected, acknowledged answers lost {lost}, "
          f"recovery max {max(recoveries):.1f} s")


if __name__ == "__main__":
    main()
