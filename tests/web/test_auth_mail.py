"""With a mail server configured, reset and invitation links go by e-mail, not to the log."""
import logging

import pytest

from web.auth import mail


class FakeSMTP:
    sent = []

    def __init__(self, host, port, timeout):
        self.host, self.port = host, port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def outbox(monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    return FakeSMTP.sent


@pytest.mark.app_config(MAIL_SERVER="mail.example.com", MAIL_SENDER="service@example.com")
def test_reset_link_is_mailed_when_a_server_is_configured(client, sme_user, outbox, caplog):
    caplog.set_level(logging.WARNING)
    client.post("/auth/reset", data={"email": sme_user.email})

    assert len(outbox) == 1
    message = outbox[0]
    assert message["To"] == sme_user.email and message["From"] == "service@example.com"
    assert "/auth/reset/" in message.get_content()
    assert not any("/auth/reset/" in r.getMessage() for r in caplog.records)


@pytest.mark.app_config(MAIL_SERVER="mail.example.com")
def test_invitation_link_is_mailed_too(sme_client, outbox):
    sme_client.post("/auth/invite", data={"email": "colleague@example.com"})
    assert [m["To"] for m in outbox] == ["colleague@example.com"]
    assert "/auth/invitation/" in outbox[0].get_content()
