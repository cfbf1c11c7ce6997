"""Telling temporary SMTP trouble (retry later) from permanent refusals (record and stop)."""

import smtplib

SMTP_ERRORS = (smtplib.SMTPException, OSError)


def classify(error: Exception) -> tuple[bool, str]:
    """(temporary, reason) for an error raised while sending one message."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        reason = "; ".join(f"{code} {message!r}" for code, message in answers)
        return all(400 <= code < 500 for code, _ in answers), reason[:300]
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500, f"{error.smtp_code} {error.smtp_error!r}"[:300]
    return True, str(error)[:300]  # connection lost, timeout: try again later
