"""Rendering reports as RQ jobs on Redis, when REDIS_URL is set.

The job id is derived from the report's lookup key (services.reports.lookup: known before the
plan is made, so the web process queues a job without making it), so asking twice for the same
report while it renders queues one job. The job (`worker.render_report`, run by `python worker.py`) stores
the PDF in the report cache; the web page that asked for it refreshes until the file is there.
`settings` is a mapping such as the application's config (REDIS_URL, REPORT_QUEUE).
"""
from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

QUEUE = "reports"  # REPORT_QUEUE in the settings overrides it (tests use their own)
JOB = "worker.render_report"  # by name: the worker imports it, the web process never does
JOB_TIMEOUT = 300
# A job whose worker died (killed, out of memory, machine restarted) is queued once more, then
# failed: the page offers a retry instead of "preparing…" for ever.
RETRIES = 1
WAITING = ("queued", "started", "deferred", "scheduled")


def connection(settings) -> Redis:
    return Redis.from_url(settings["REDIS_URL"])


def queue_name(settings) -> str:
    return settings.get("REPORT_QUEUE") or QUEUE


def job_id(key: str, settings) -> str:
    # the queue's name is part of the id: two services sharing one Redis (each with its own
    # REPORT_QUEUE) never take each other's job for the same report key
    return f"report-{queue_name(settings)}-{key[:40]}"


def status(key: str, settings, conn=None) -> str | None:
    """"queued", "started", "finished", "failed" or None (no such job) for a lookup key.

    A job still marked started after its worker stopped beating (RQ's heartbeat, at most 90 s
    with the default settings) is found here, not only at a worker's next maintenance ten
    minutes later: queued again while it has retries left, else failed."""
    conn = conn or connection(settings)
    StartedJobRegistry(queue_name(settings), connection=conn).cleanup()
    try:
        job = Job.fetch(job_id(key, settings), connection=conn)
    except NoSuchJobError:
        return None
    state = job.get_status(refresh=True)
    return state.value if isinstance(state, JobStatus) else state


def enqueue(key: str, assessment_id: int, lang: str, settings, conn=None, choices=None) -> None:
    """Queue the rendering unless a job for this key is waiting or running already. `choices`
    are plain plan choices (services.planning.choices_dict), None for the default plan."""
    conn = conn or connection(settings)
    if status(key, settings, conn) in WAITING:
        return
    Queue(queue_name(settings), connection=conn).enqueue(
        JOB, assessment_id, lang, choices, job_id=job_id(key, settings),
        job_timeout=JOB_TIMEOUT, result_ttl=600, failure_ttl=3600, retry=Retry(max=RETRIES))
