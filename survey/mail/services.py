"""Queue a message and deliver it through SMTP when a server is configured."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from survey.database import utcnow
from survey.extensions import db
from survey.mail.models import OutgoingMail


def queue_and_send(recipient: str, subject: str, body: str, **links) -> OutgoingMail:
    """Store the message, then try SMTP. Without MAIL_SERVER it stays in the outbox."""
    message = OutgoingMail(recipient=recipient, subject=subject, body=body, **links)
    db.session.add(message)
    if current_app.config.get("MAIL_SERVER"):
        try:
            _send_smtp(message)
            message.sent_at = utcnow()
        except (OSError, smtplib.SMTPException) as exc:
            message.error = str(exc)[:500]
    return message


def _send_smtp(message: OutgoingMail) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
