"""Benchmark: downloading a report that is already stored, through the real download route.

    .venv/bin/python bench/report_fetch.py [--runs 40] [--database-url URL]

One enterprise (made through the services, as bench/load_data.py makes them) with a submitted
cn-sme-2024 assessment of examples/cn-sme-2024/mixed.json; its report is rendered once, then
`GET /reports/<id>.pdf` is timed `--runs` times (the file is sent from the `reports` table).
Same-run baseline: the plan of that assessment solved alone (services.planning.plan_for_report),
the work a stored download should not need. SQLite in a temporary directory unless
`--database-url` names an empty PostgreSQL database. The last line (medians and p95 of wall
time, CPU median of the download):

    report fetch: stored download p50 X ms, p95 X ms, cpu p50 X ms; plan solve p50 X ms; first render X s
"""
import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_data import INSTRUMENT, PASSWORD, _sme, migrate  # noqa: E402

WARMUP = 3


def timed(fn, runs):
    """Wall and CPU milliseconds of `runs` calls of fn, after WARMUP untimed ones."""
    for _ in range(WARMUP):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        migrate(url)
        from app import create_app
        from services import instrument_registry, planning

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": False, "REDIS_URL": None, "MAIL_SERVER": None,
                          "LOG_LEVEL": "WARNING"})
        instrument = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])[INSTRUMENT]
        answers = json.loads((ROOT / "examples" / INSTRUMENT / "mixed.json").read_text("utf-8"))
        with app.app_context():
            person = _sme(0, instrument, answers, app)
        client = app.test_client()
        signed_in = client.post("/auth/login", data={"email": person["email"], "password": PASSWORD})
        assert signed_in.status_code == 302, "sign-in failed"
        path = f"/reports/{person['submitted']}.pdf?lang=zh"

        start = time.perf_counter()
        first = client.get(path)
        render_s = time.perf_counter() - start
        assert first.status_code == 200 and first.data.startswith(b"%PDF-"), first.status_code

        def download():
            reply = client.get(path)
            assert reply.status_code == 200 and reply.data == first.data

        def solve():
            with app.app_context():
                planning.plan_for_report(person["submitted"], app.config)

        fetch_wall, fetch_cpu = timed(download, args.runs)
        solve_wall, _ = timed(solve, max(5, args.runs // 4))
        app.extensions["storage.engine"].dispose()

    print(f"stored download: {args.runs} runs, min {min(fetch_wall):.1f} ms, "
          f"max {max(fetch_wall):.1f} ms; size {len(first.data) // 1024} KB")
    print(f"report fetch: stored download p50 {statistics.median(fetch_wall):.1f} ms, "
          f"p95 {p95(fetch_wall):.1f} ms, cpu p50 {statistics.median(fetch_cpu):.1f} ms; "
          f"plan solve p50 {statistics.median(solve_wall):.1f} ms; first render {render_s:.2f} s")


if __name__ == "__main__":
    main()
