"""The servers the load and fault benchmarks run: Redis, PostgreSQL, gunicorn and an RQ worker.

Each is a context manager that starts a private process on loopback and stops it afterwards;
the fault benchmark also stops, kills and restarts them while clients keep working. Used by
bench/load.py and bench/faults.py; nothing here is imported by the application.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
VENV_BIN = ROOT / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextmanager
def postgres_database(server_url, name):
    """A fresh database `name` on the server of `server_url`, dropped afterwards."""
    import psycopg

    admin = server_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ensure_free(port, what):
    """Refuse a port another program listens on: the clients would measure that program."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a listener refuses, TIME_WAIT not
        try:
            s.bind((HOST, port))
        except OSError:
            raise RuntimeError(f"{what}: {HOST}:{port} is in use by another program") from None


def wait_for_port(port, proc=None, timeout=60.0, what="server"):
    """Wait until something listens on `port` (raise if `proc` exits or time runs out)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not listen on {HOST}:{port} in {timeout} s")
            time.sleep(0.1)


def stop_group(proc, timeout=15):
    """SIGTERM the process group of `proc`, SIGKILL it if it lingers."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            pass


class Redis:
    """A private redis-server without persistence (as a cache and job queue usually runs)."""

    def __init__(self, port):
        self.port = port
        self.url = f"redis://{HOST}:{port}/0"
        self.proc = None

    def start(self):
        ensure_free(self.port, "redis-server")
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "",
             "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, start_new_session=True)
        wait_for_port(self.port, self.proc, what="redis-server")

    def stop(self):
        if self.proc is not None:
            stop_group(self.proc)


@contextmanager
def redis_server(port):
    server = Redis(port)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class PostgresCluster:
    """A throw-away PostgreSQL cluster in a temporary folder, run as the `postgres` user
    (the server refuses root), so that restarting it disturbs nobody else."""

    def __init__(self, port):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.url = f"postgresql+psycopg://postgres@{HOST}:{port}/postgres"

    def _pg(self, *args):
        done = subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True,
                              text=True, cwd="/tmp")
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip()[-500:]}")

    def init(self):
        self._pg(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                 "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")

    def _ctl(self, action, mode="fast"):
        self._pg(str(PG_BIN / "pg_ctl"), action, "-D", str(self.data), "-m", mode, "-w",
                 "-l", str(self.dir / "log"),
                 "-o", f"-p {self.port} -k {self.dir} -c listen_addresses={HOST} "
                       "-c max_connections=200 -c fsync=on")

    def start(self):
        self._ctl("start")

    def restart(self):
        """`pg_ctl restart -m fast`: open connections are cut, in-flight transactions end."""
        self._ctl("restart")

    def stop(self):
        try:
            self._ctl("stop", "immediate")
        except RuntimeError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def postgres_cluster(port):
    ensure_free(port, "PostgreSQL")
    cluster = PostgresCluster(port)
    cluster.init()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


class Gunicorn:
    """gunicorn serving the application on `port` with the project's gunicorn.conf.py, as
    scripts/serve runs it (`workers` and `threads` as given, default those of the file)."""

    def __init__(self, port, env, workers=None, threads=None):
        self.port, self.env, self.workers, self.threads = port, env, workers, threads
        self.proc = None

    def start(self, timeout=90.0):
        ensure_free(self.port, "gunicorn")
        cmd = [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"),
               "--bind", f"{HOST}:{self.port}", "--log-level", "warning", "--no-control-socket"]
        cmd += ["--workers", str(self.workers)] if self.workers else []
        cmd += ["--threads", str(self.threads)] if self.threads else []
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, start_new_session=True)
        wait_for_port(self.port, self.proc, timeout, "gunicorn")

    def worker_pids(self):
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def stop(self):
        if self.proc is not None:
            stop_group(self.proc)


class Worker:
    """One worker on the reports queue, as README's "Running a worker" starts it (worker.py,
    which lowers its own CPU priority)."""

    def __init__(self, env, queues=("reports",)):
        self.env, self.queues = env, queues
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([str(VENV_BIN / "python"), "worker.py", *self.queues],
                                     cwd=ROOT, env=self.env, start_new_session=True)

    def stop(self):
        if self.proc is not None:
            stop_group(self.proc)


def server_env(database_url, redis_url):
    """The environment of the web server and the worker: one database, one Redis, one key."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "SECRET_KEY": "bench-" + os.urandom(16).hex(), "LOG_LEVEL": "WARNING"}
    env.pop("MAIL_SERVER", None)
    return env
