"""gunicorn's settings for the web service: `scripts/serve` uses them, and so do bench/load.py
and bench/faults.py. BIND, WORKERS and THREADS (environment) change where and how it listens.

Threads: the requests are a mix of quick ones (an autosave is a few milliseconds, most of it
waiting on the database) and slow ones (a sign-in's Argon2 check, the bureau's aggregates, a
report's plan). With one request per worker process, an autosave waits in line behind a slow
page; with two threads per worker it runs beside it. Four processes of two threads rather than
two of four: Python runs one thread of a process at a time, so an autosave sharing a process
with a slow page still waits for it, and it does so less often with more processes (on the
shared two-core machine of bench/RESULTS-load.md, 4 x 2 kept every client served where 2 x 4
collapsed). Preloading imports the application once, before the workers are
forked: a worker that dies is replaced at once instead of after a fresh import, and each worker
still opens its own database connections (storage/db.py makes the engine on first use).

Deadlines: gunicorn's `timeout` is not one for requests. A threaded worker's main loop tells the
arbiter it is alive while its threads serve, so only a process frozen for `timeout` seconds is
killed and replaced (every request it held is lost). What bounds a slow request under load is
the application's: on PostgreSQL each statement of a web request is cancelled after
DATABASE_STATEMENT_TIMEOUT seconds (default 10) and answered 503 with Retry-After (storage/db.py,
web/errors.py). `graceful_timeout` is longer than that, so a restart lets the requests in flight
finish. BACKLOG bounds the connections waiting for a worker to accept them: gunicorn's default of
2048 lets a burst wait far longer than any visitor does.
"""
import os

wsgi_app = "app:serve_app()"
bind = os.environ.get("BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WORKERS", "4"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "2"))
preload_app = True
timeout = 30  # a worker process frozen this long is killed and replaced
graceful_timeout = 20  # on a restart, requests in flight get this long (> DATABASE_STATEMENT_TIMEOUT)
backlog = int(os.environ.get("BACKLOG", "256"))
keepalive = 5
# The application logs one line per request itself (route pattern, status, time, request id);
# gunicorn's access log would repeat it with full paths, reset tokens included.
accesslog = None
errorlog = "-"
