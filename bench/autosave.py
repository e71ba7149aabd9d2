"""Autosave benchmark: the answer-saving endpoint under gunicorn, on SQLite and on PostgreSQL.

    .venv/bin/python bench/autosave.py [--seconds 10] [--clients 20] [--workers N] [--threads N]
        [--postgres URL]

For each database: a fresh database migrated to head, one enterprise with a cn-sme-2024 draft per
client, gunicorn with the project's gunicorn.conf.py (as scripts/serve; `--workers`, `--threads`
change it) on a free loopback port. Each client signs in (CSRF token from the
form), then for `--seconds` posts one changed answer at a time to /assess/<id>/autosave/<page>
with the X-CSRFToken header, as static/js/assess.js does (after a 1 s warm-up). In the same run, against the same
server, the clients hit a bare Flask endpoint mounted beside the application. Ends with

    autosave: sqlite N req/s p95 X ms, postgres N req/s p95 X ms, bare N req/s, ratio X

(ratio = best autosave rate / bare rate). Clients are asyncio tasks speaking plain HTTP/1.1, one
connection per request (each asks to close it). Every loop stops at its
deadline; the servers, the temporary SQLite file and the PostgreSQL database are removed at the
end.
The PostgreSQL part needs a server at --postgres (default: postgres@127.0.0.1:5432, a database
`bench_autosave` is created and dropped); without one it reports `postgres n/a`.
"""
import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load_data import migrate  # noqa: E402
from bench.stack import HOST, free_port, postgres_database, wait_for_port  # noqa: E402

PASSWORD = "bench-password-2024"
INSTRUMENT = "cn-sme-2024"
BARE_PREFIX = "/_bench_bare"
# Raised so that every client may sign in from 127.0.0.1 at once; the app is otherwise as served.
SERVER_ENV = {"LOGIN_LIMIT_PER_ADDRESS": "10000 per minute",
              "LOGIN_LIMIT_PER_ACCOUNT": "10000 per minute"}
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def server_app():
    """WSGI app gunicorn serves: the application, plus a bare Flask endpoint beside it."""
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    from app import serve_app

    bare = Flask("bare")
    bare.add_url_rule("/", "ok", lambda: "ok")
    return DispatcherMiddleware(serve_app(), {BARE_PREFIX: bare})


# ---------------------------------------------------------------- data


def prepare(database_url, clients):
    """Migrate `database_url` and make one signed-up enterprise with a draft per client.

    Returns [(email, assessment id)], the page number and the (question id, two option ids)
    each client alternates between."""
    migrate(database_url)
    from stdnum.cn import uscc

    from app import create_app
    from services import accounts, drafts, instrument_registry
    from services.profile import update_profile
    from web.assess.pages import pages

    app = create_app({"DATABASE_URL": database_url})
    instrument = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])[INSTRUMENT]
    question, page_number = None, None
    for pg in pages(instrument):
        for qid in pg.question_ids:
            q = instrument.question(qid)
            if q.kind == "single" and not q.show_if and len(q.options) >= 2:
                question, page_number = q, pg.number
                break
        if question:
            break
    users = []
    with app.app_context():
        for i in range(clients):
            email = f"bench{i}@bench.example"
            user_id = accounts.register(email, PASSWORD, f"Bench {i}", f"基准测试企业{i}", "zh_CN")
            enterprise_id = accounts.load_account(user_id).enterprise_id
            base = f"91370602MA3C{i:04d}K"
            update_profile(enterprise_id, {
                "name": f"基准测试企业{i}", "uscc": base + uscc.calc_check_digit(base),
                "industry_code": "C36", "district": "芝罘区", "employees": 120,
                "annual_revenue": 50_000_000, "total_assets": None,
                "main_products": "汽车零部件", "has_cio": False,
            }, app.config["SIZE_RULES_FILE"])
            users.append((email, drafts.start(enterprise_id, user_id, instrument)))
    app.extensions["storage.engine"].dispose()
    return users, page_number, (question.id, question.options[0].id, question.options[1].id)


# ---------------------------------------------------------------- server


@contextmanager
def gunicorn(database_url, threads=None, workers=None, timeout=60.0):
    """gunicorn serving server_app() on a free loopback port with gunicorn.conf.py (workers and
    threads as given, default the file's); yields the port, then stops it."""
    port = free_port()
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"),
           "--bind", f"{HOST}:{port}", "--log-level", "warning", "--no-control-socket"]
    cmd += ["--workers", str(workers)] if workers else []
    cmd += ["--threads", str(threads)] if threads else []
    cmd.append("bench.autosave:server_app()")
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url}
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    try:
        wait_for_port(port, proc, timeout, "gunicorn")
        yield port
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


# ---------------------------------------------------------------- clients


class Client:
    """One visitor: keeps its cookies, sends one request per connection."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.csrf = None

    async def request(self, method, path, form=None, headers=None, timeout=30.0):
        body = urlencode(form or {}, doseq=True).encode()
        head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", "Connection: close",
                f"Content-Length: {len(body)}", "Accept-Language: zh-CN"]
        if form is not None:
            head.append("Content-Type: application/x-www-form-urlencoded")
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, self.port), timeout)
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
            data = await asyncio.wait_for(reader.read(), timeout)
        finally:
            writer.close()
        raw_head, _, payload = data.partition(b"\r\n\r\n")
        lines = raw_head.decode("latin-1").split("\r\n")
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "set-cookie":
                for morsel in SimpleCookie(value.strip()).values():
                    self.cookies[morsel.key] = morsel.value
        return int(lines[0].split()[1]), payload.decode("utf-8", "replace")

    async def sign_in(self, email, assessment_id, page_number):
        status, html = await self.request("GET", "/auth/login")
        token = CSRF_RE.search(html)
        if status != 200 or not token:
            raise RuntimeError(f"login page: HTTP {status}, csrf token found: {bool(token)}")
        status, html = await self.request("POST", "/auth/login", {
            "email": email, "password": PASSWORD, "csrf_token": token.group(1)})
        if status != 302:
            raise RuntimeError(f"signing in {email}: HTTP {status}")
        status, html = await self.request("GET", f"/assess/{assessment_id}/page/{page_number}")
        token = CSRF_RE.search(html)
        if status != 200 or not token:
            raise RuntimeError(f"questionnaire page: HTTP {status}, csrf token: {bool(token)}")
        self.csrf = token.group(1)


async def hammer(clients, make_request, seconds):
    """Every client repeats make_request(client, n) until the deadline.

    Returns (latencies of 2xx answers in seconds, error texts, elapsed seconds)."""
    latencies, errors = [], []
    deadline = time.monotonic() + seconds

    async def run(client):
        n = 0
        while time.monotonic() < deadline:
            n += 1
            start = time.perf_counter()
            try:
                status, text = await make_request(client, n)
            except (OSError, asyncio.TimeoutError, IndexError, ValueError) as exc:
                errors.append(repr(exc))
                continue
            if 200 <= status < 300:
                latencies.append(time.perf_counter() - start)
            else:
                errors.append(f"HTTP {status}: {text[:160]}")

    started = time.monotonic()
    await asyncio.gather(*(run(c) for c in clients))
    return latencies, errors, time.monotonic() - started


def p95_ms(values):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return 1000 * ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def measure(port, users, page_number, question, seconds, bare):
    clients = [Client(port) for _ in users]
    await asyncio.gather(*(c.sign_in(email, aid, page_number)
                           for c, (email, aid) in zip(clients, users)))
    qid, first, second = question
    ids = {id(c): aid for c, (_, aid) in zip(clients, users)}

    def save(client, n):
        return client.request(
            "POST", f"/assess/{ids[id(client)]}/autosave/{page_number}",
            {qid: first if n % 2 else second, "items": qid}, {"X-CSRFToken": client.csrf})

    def hello(client, n):
        return client.request("GET", BARE_PREFIX + "/")

    # Warm-up, not measured: each worker loads the instruments and opens its connections once.
    await hammer(clients, save, 1.0)
    results = {"autosave": await hammer(clients, save, seconds)}
    if bare:
        results["bare"] = await hammer(clients, hello, seconds)
    return results


def report(name, latencies, errors, elapsed):
    rate = len(latencies) / elapsed
    print(f"{name}: {len(latencies)} ok, {len(errors)} errors in {elapsed:.1f} s: "
          f"{rate:.0f} req/s, p95 {p95_ms(latencies):.1f} ms", flush=True)
    for text in sorted(set(errors))[:5]:
        print(f"  error: {text}", flush=True)
    return rate


def run_database(label, database_url, args, bare):
    users, page_number, question = prepare(database_url, args.clients)
    with gunicorn(database_url, args.threads, args.workers) as port:
        results = asyncio.run(measure(port, users, page_number, question, args.seconds, bare))
    out = {}
    for name, (latencies, errors, elapsed) in results.items():
        rate = report(f"{label} {name}", latencies, errors, elapsed)
        out[name] = (rate, p95_ms(latencies))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int,
                        help="threads per gunicorn worker (default: gunicorn.conf.py's)")
    parser.add_argument("--postgres",
                        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="a database URL on the PostgreSQL server to use (%(default)s)")
    args = parser.parse_args(argv)
    args.seconds = min(max(args.seconds, 1.0), 120.0)
    args.clients = min(max(args.clients, 1), 200)
    args.threads = args.threads and min(max(args.threads, 1), 32)

    workdir = Path(tempfile.mkdtemp(prefix="bench-autosave-"))
    try:
        sqlite = run_database("sqlite", f"sqlite:///{workdir / 'bench.sqlite3'}", args, bare=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    try:
        with postgres_database(args.postgres, "bench_autosave") as url:
            postgres = run_database("postgres", url, args, bare=False)["autosave"]
    except Exception as exc:  # report what ran, and why PostgreSQL did not
        print(f"postgres: not measured: {exc}", file=sys.stderr)
        postgres = None

    bare_rate = sqlite["bare"][0]
    best = max(sqlite["autosave"][0], postgres[0] if postgres else 0.0)
    pg_text = (f"postgres {postgres[0]:.0f} req/s p95 {postgres[1]:.1f} ms" if postgres
               else "postgres n/a")
    print(f"autosave: sqlite {sqlite['autosave'][0]:.0f} req/s p95 {sqlite['autosave'][1]:.1f} ms,"
          f" {pg_text}, bare {bare_rate:.0f} req/s, ratio {best / bare_rate:.2f}")


if __name__ == "__main__":
    main()
