"""Reset, invitation and registration links go out by mail: through a real SMTP server (an
aiosmtpd sink on loopback), from an RQ job on the real Redis queue when REDIS_URL is set, at
once without it; without a mail server the link is logged, clearly marked."""
import logging
import os
import socket
import uuid
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from redis import Redis
from rq import Queue, SimpleWorker

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller.port, inbox.messages
    controller.stop()


@pytest.fixture
def mail_app(app, smtp_sink):
    port, messages = smtp_sink
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SENDER="service@example.com")
    from web.mail import mail
    mail.init_app(app)  # the SMTP settings are read when the extension starts
    return app, messages


def _body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_reset_link_is_mailed_at_once_without_redis(mail_app, sme_user, caplog):
    app, inbox = mail_app
    caplog.set_level(logging.INFO)
    app.test_client().post("/auth/reset", data={"email": sme_user.email})

    assert len(inbox) == 1
    message = inbox[0]
    assert message["To"] == sme_user.email and message["From"] == "service@example.com"
    assert "/auth/reset/" in _body(message)
    assert not any("/auth/reset/" in r.getMessage() for r in caplog.records)


def test_invitation_link_is_mailed_too(mail_app, sme_user, login_as):
    app, inbox = mail_app
    login_as(sme_user, app.test_client()).post("/auth/invite",
                                               data={"email": "colleague@example.com"})
    assert [m["To"] for m in inbox] == ["colleague@example.com"]
    assert "/auth/invitation/" in _body(inbox[0])


@pytest.mark.redis
def test_with_redis_the_mail_waits_for_a_worker_of_the_mail_queue(mail_app, sme_user):
    app, inbox = mail_app
    name = f"mail-test-{uuid.uuid4().hex[:8]}"
    app.config.update(REDIS_URL=REDIS_URL, MAIL_QUEUE=name)
    queue = Queue(name, connection=Redis.from_url(REDIS_URL))
    try:
        response = app.test_client().post("/auth/reset", data={"email": sme_user.email})
        assert response.status_code == 302
        assert inbox == [] and queue.count == 1  # the request only queued it

        with app.app_context():
            SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert len(inbox) == 1 and "/auth/reset/" in _body(inbox[0])
        assert queue.count == 0
    finally:
        queue.delete(delete_jobs=True)


def test_unreachable_redis_sends_the_mail_from_the_request(mail_app, sme_user):
    app, inbox = mail_app
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert app.test_client().post("/auth/reset",
                                  data={"email": sme_user.email}).status_code == 302
    assert len(inbox) == 1


def test_without_a_mail_server_the_link_is_logged_clearly_marked_without_the_address(
        client, sme_user, caplog):
    caplog.set_level(logging.WARNING)
    client.post("/auth/reset", data={"email": sme_user.email})
    lines = [r.getMessage() for r in caplog.records if "/auth/reset/" in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].startswith("MAIL NOT CONFIGURED")
    assert sme_user.email not in lines[0]
