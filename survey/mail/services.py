"""Queue a message and deliver it through SMTP when a server is configured."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from survey.accounts.models import User
from survey.audit.services import record
from survey.database import utcnow
from survey.extensions import db
from survey.formatting import datetime_sv
from survey.mail.models import MailState, OutgoingMail


class MailError(Exception):
    """A mail action that cannot be done; the message is Swedish, for the user."""


def queue_and_send(recipient: str, subject: str, body: str, **links) -> OutgoingMail:
    """Store the message, then try SMTP. Without MAIL_SERVER it stays in the outbox."""
    message = OutgoingMail(recipient=recipient, subject=subject, body=body, **links)
    db.session.add(message)
    deliver(message)
    return message


def deliver(message: OutgoingMail) -> None:
    """Try to send a queued message: sent, or failed with the SMTP error kept on it.
    Without MAIL_SERVER it stays queued."""
    if not current_app.config.get("MAIL_SERVER"):
        return
    try:
        _send_smtp(message)
    except (OSError, smtplib.SMTPException) as exc:
        message.error = (str(exc) or type(exc).__name__)[:500]
        message.failed_at = utcnow()
    else:
        message.sent_at = utcnow()
        message.error = ""
        message.failed_at = None


def resend(message: OutgoingMail, by: User) -> None:
    """Queue a sent or failed message again and send it the usual way; audited. The
    caller commits."""
    state = message.state
    if state == MailState.QUEUED:
        raise MailError(f"Meddelandet till {message.recipient} ligger redan i kö.")
    before = (f"tidigare skickat {datetime_sv(message.sent_at)}" if state == MailState.SENT
              else f"tidigare misslyckat: {message.error}")
    message.sent_at = message.failed_at = None
    message.error = ""
    deliver(message)
    record("mail.resend", obj=message, user=by,
           detail=f"till {message.recipient}, {before}; nu {message.state.label.lower()}")


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
