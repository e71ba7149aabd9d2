"""Rendering reports as RQ jobs on Redis, when REDIS_URL is set.

The job id is derived from the report's cache key, so asking twice for the same report while
it renders queues one job. The job stores the PDF in the report cache; the web page that
asked for it refreshes until the file is there.

Start a worker beside the web server (same settings, same instance folder):

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/rq worker reports --url redis://127.0.0.1:6379/0

(run it from the project folder so it imports this module, with the same DATABASE_URL).
"""
from flask import current_app, has_app_context
from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

QUEUE = "reports"  # REPORT_QUEUE in the app's settings overrides it (tests use their own)
JOB_TIMEOUT = 300
# A job whose worker died (killed, out of memory, machine restarted) is queued once more, then
# failed: the page offers a retry instead of "preparing…" for ever.
RETRIES = 1


def connection(url=None):
    return Redis.from_url(url or current_app.config["REDIS_URL"])


def queue_name():
    return current_app.config.get("REPORT_QUEUE") or QUEUE


def job_id(key):
    return f"report-{key[:40]}"


def render_assessment_report(assessment_id, lang, choices=None):
    """The job: render (or find) the report of a submitted assessment and keep it. `choices`
    are plain plan choices (services.planning.choices_dict), None for the default plan."""
    if has_app_context():
        return _render(assessment_id, lang, choices)
    with _worker_app().app_context():
        return _render(assessment_id, lang, choices)


def _render(assessment_id, lang, choices):
    from services import planning, reports

    return reports.report_for_assessment(assessment_id, lang,
                                         planning.choices_from(choices)).report_id


_APP = None


def _worker_app():
    """One application per worker process, configured from the environment like the web."""
    global _APP
    if _APP is None:
        from app import create_app
        _APP = create_app()
    return _APP


def status(key, conn=None):
    """"queued", "started", "finished", "failed" or None (no such job) for a cache key.

    A job still marked started after its worker stopped beating (RQ's heartbeat, at most 90 s
    with the default settings) is found here, not only at a worker's next maintenance ten
    minutes later: queued again while it has retries left, else failed."""
    conn = conn or connection()
    StartedJobRegistry(queue_name(), connection=conn).cleanup()
    try:
        job = Job.fetch(job_id(key), connection=conn)
    except NoSuchJobError:
        return None
    state = job.get_status(refresh=True)
    return state.value if isinstance(state, JobStatus) else state


def enqueue(key, assessment_id, lang, conn=None, choices=None):
    """Queue the rendering unless a job for this key is waiting or running already."""
    conn = conn or connection()
    if status(key, conn) in ("queued", "started", "deferred", "scheduled"):
        return
    Queue(queue_name(), connection=conn).enqueue(
        render_assessment_report, assessment_id, lang, choices, job_id=job_id(key),
        job_timeout=JOB_TIMEOUT, result_ttl=600, failure_ttl=3600, retry=Retry(max=RETRIES))
