"""Telling temporary SMTP trouble (retry later) from permanent refusals (record and stop),
and the reason a letter or newsletter could not be sent, as it is stored and shown.

A stored reason is read by staff and kept for a while, so it holds no personal data: mail
servers repeat the recipient's address in their answers ("550 <jan@example.nl>: unknown"),
those addresses are replaced by [adres]; other errors are stored by kind, never with their
message (a header error repeats the subject, which may hold a name).
"""

import re
import smtplib

from django.core.mail import BadHeaderError
from django.db import InterfaceError, OperationalError

from .mail import UnsendableAddress

SMTP_ERRORS = (smtplib.SMTPException, OSError)
# The database or its connection is gone: not the letter's fault. The work stops and is
# tried again on the next run, instead of letters being marked failed.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
MAX_REASON = 300

ADDRESS = re.compile(r"[^\s<>()\[\]{}'\",;:@]+@[^\s<>()\[\]{}'\",;:@]+")


def redact_addresses(text: str) -> str:
    return ADDRESS.sub("[adres]", text)


def classify(error: Exception) -> tuple[bool, str]:
    """(temporary, reason) for an error raised while sending one message."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        reason = "; ".join(f"{code} {message!r}" for code, message in answers)
        temporary = all(400 <= code < 500 for code, _ in answers)
    elif isinstance(error, smtplib.SMTPResponseException):
        temporary = 400 <= error.smtp_code < 500
        reason = f"{error.smtp_code} {error.smtp_error!r}"
    else:
        temporary, reason = True, str(error)  # connection lost, timeout: try again later
    return temporary, redact_addresses(reason)[:MAX_REASON]


def failure_reason(error: Exception) -> str:
    """Why one letter or message could not be made or sent, for staff, without personal data."""
    if isinstance(error, SMTP_ERRORS):
        return classify(error)[1]
    if isinstance(error, UnsendableAddress):
        return ("E-mailadres met een letter met accent of teken voor de @: mailservers nemen "
                "dat niet aan. Pas het e-mailadres aan of stuur de brief per post.")
    if isinstance(error, BadHeaderError):
        return ("Onderwerp of kopregel bevat een regelovergang (BadHeaderError): pas de tekst "
                "aan en maak de brief opnieuw aan.")
    return (f"Opmaken mislukt ({type(error).__module__}.{type(error).__name__}): "
            "de sjabloon of de gegevens van deze brief kloppen niet.")[:MAX_REASON]
