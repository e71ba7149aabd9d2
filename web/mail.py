"""Outgoing mail (reset links, invitations, registration): composed in the request, sent by
an RQ job on the MAIL_QUEUE through Flask-Mailman's SMTP backend, so a slow mail server never
holds a page up.

- MAIL_SERVER set, REDIS_URL set: queued; a worker listening on the mail queue sends it
  (retried a few times if the server refuses). If Redis cannot be reached, it is sent at once.
- MAIL_SERVER set, no REDIS_URL: sent at once, inside the request.
- no MAIL_SERVER (development): nothing is sent; the link is written to the application log,
  clearly marked, without the recipient's address.
"""
import logging

from flask import current_app, url_for
from flask_mailman import EmailMessage, Mail

MAIL_QUEUE = "mail"
MAIL_JOB = "worker.deliver_mail"  # by name: only the worker imports worker.py
log = logging.getLogger(__name__)
mail = Mail()


def mail_link(endpoint: str, **values) -> str:
    """The absolute address of a page for a mail: on PUBLIC_URL when it is set, else on the
    request's host, which web.security limits to this machine's names. Never on a Host header
    the sender chose: a reset link would lead to their site."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base.rstrip("/") + url_for(endpoint, **values)


def send(to: str, subject: str, body: str, link: str | None = None) -> None:
    """Send a plain-text mail; `link` is the secret link inside `body` (logged instead when
    no mail server is configured)."""
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        current_app.logger.warning(
            "MAIL NOT CONFIGURED (development only): nothing sent; link for \"%s\": %s",
            subject, link or "(none)")
        return
    message = {"to": to, "subject": str(subject), "body": str(body)}
    if cfg.get("REDIS_URL"):
        from redis.exceptions import RedisError  # Redis and RQ: loaded only where they are used
        from rq import Queue, Retry

        try:
            queue = Queue(cfg.get("MAIL_QUEUE") or MAIL_QUEUE, connection=_redis(cfg["REDIS_URL"]))
            queue.enqueue(MAIL_JOB, message, retry=Retry(max=3, interval=[10, 60, 300]),
                          result_ttl=0, failure_ttl=7 * 24 * 3600)
            return
        except RedisError:
            log.warning("mail queue unreachable; sending the mail from the web process")
    deliver_now(message)


def deliver_now(message: dict) -> None:
    """Send one message through the configured SMTP server (in the request, or in the
    worker's mail job)."""
    EmailMessage(subject=message["subject"], body=message["body"], to=[message["to"]],
                 from_email=current_app.config["MAIL_SENDER"]).send()


def _redis(url):
    from redis import Redis
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def init_app(app) -> None:
    app.config.setdefault("MAIL_BACKEND", "smtp")  # also in tests: they use a real SMTP sink
    app.config.setdefault("MAIL_TIMEOUT", 10)
    mail.init_app(app)
