"""Deliver a link by e-mail, or write it to the application log when no mail server is set."""
import smtplib
from email.message import EmailMessage

from flask import current_app


def send_link(to: str, subject: str, body: str, link: str) -> None:
    server = current_app.config.get("MAIL_SERVER")
    if not server:
        current_app.logger.warning("Mail not configured; link for %s (%s): %s", to, subject, link)
        return
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(f"{body}\n\n{link}\n")
    cfg = current_app.config
    with smtplib.SMTP(server, cfg["MAIL_PORT"], timeout=10) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
