"""The job worker: RQ on the mail and report queues, with the settings, the database and the
mail set-up of the web service but none of its web parts (no blueprints, pages or sign-in).

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python worker.py          # mail, then reports
    REDIS_URL=... .venv/bin/python worker.py reports                        # only these queues

Run it from the clone with the web server's DATABASE_URL, SECRET_KEY and mail settings. It
lowers its own CPU priority by WORKER_NICE (default 10): a report render on the web server's
machine then takes what the web requests leave instead of slowing them down. The
jobs below are queued by name (services/report_jobs.py, web/mail.py), so the web process never
imports this module; inside an application context (tests, `flask` commands) they use that one.
"""
import os
import sys

from flask import Flask, current_app, has_app_context

from config import Config

_APP = None


def create_worker_app(config=None) -> Flask:
    """The worker's application: settings, storage and mail only."""
    import storage.db
    import web.mail

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    storage.db.init_app(app)
    web.mail.init_app(app)
    return app


def _app() -> Flask:
    """One application per worker process, configured from the environment like the web."""
    global _APP
    if _APP is None:
        _APP = create_worker_app()
    return _APP


def _in_context(job, *args):
    if has_app_context():
        return job(current_app.config, *args)
    with _app().app_context():
        return job(current_app.config, *args)


def _render(settings, assessment_id, lang, choices):
    from services import planning, reports

    return reports.report_for_assessment(assessment_id, lang, settings,
                                         planning.choices_from(choices)).report_id


def _deliver(settings, message):
    from web.mail import deliver_now

    deliver_now(message)


def render_report(assessment_id: int, lang: str, choices=None) -> str:
    """The report job: render (or find) the report of a submitted assessment and keep it;
    returns its report id. `choices` are plain plan choices, None for the default plan."""
    return _in_context(_render, assessment_id, lang, choices)


def deliver_mail(message: dict) -> None:
    """The mail job: send one message through the configured SMTP server."""
    _in_context(_deliver, message)


def main(argv: list[str]) -> None:
    from redis import Redis
    from rq import Worker

    app = _app()
    url = app.config.get("REDIS_URL")
    if not url:
        sys.exit("worker: set REDIS_URL (the Redis server the web service queues jobs on)")
    queues = argv or [app.config.get("MAIL_QUEUE") or "mail",
                      app.config.get("REPORT_QUEUE") or "reports"]
    os.nice(app.config["WORKER_NICE"])
    with app.app_context():
        Worker(queues, connection=Redis.from_url(url)).work(logging_level=app.config["LOG_LEVEL"])


if __name__ == "__main__":
    main(sys.argv[1:])
