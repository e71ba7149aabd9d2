"""gunicorn's settings for the web service: `scripts/serve` uses them, and so do bench/load.py
and bench/faults.py. BIND, WORKERS and THREADS (environment) change where and how it listens.

Threads: the requests are a mix of quick ones (an autosave is a few milliseconds, most of it
waiting on the database) and slow ones (a sign-in's Argon2 check, the bureau's aggregates). With
one request per worker process, an autosave waits in line behind a slow page; with a few threads
per worker it runs beside it. Preloading imports the application once, before the workers are
forked: a worker that dies is replaced at once instead of after a fresh import, and each worker
still opens its own database connections (storage/db.py makes the engine on first use).
"""
import os

wsgi_app = "app:serve_app()"
bind = os.environ.get("BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "4"))
preload_app = True
timeout = 30  # a worker silent this long is killed and replaced
graceful_timeout = 20
keepalive = 5
# The application logs one line per request itself (route pattern, status, time, request id);
# gunicorn's access log would repeat it with full paths, reset tokens included.
accesslog = None
errorlog = "-"
