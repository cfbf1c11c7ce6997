"""Writes for the worker app: test pings, sending queued letters, print batches."""

import logging

from django.core.files.base import ContentFile
from django.core.mail import get_connection
from django.db import transaction

from core import clock

from .letters import (
    email_texts,
    letter_html,
    letter_subject,
    pdf_from_html,
    render_pdf,
    with_summary,
)
from .mail import email_message, html_from_text
from .models import POST, Letter, LetterStatus, PrintBatch, WorkerPing
from .registry import letter_type, recipients
from .signals import letters_sent
from .smtp import DATABASE_UNAVAILABLE, SMTP_ERRORS, classify, failure_reason
from .tasks import dispatch_letters, ping

logger = logging.getLogger(__name__)


def queue_test_ping(user) -> WorkerPing:
    """Store a ping and queue it for the worker once the row is committed."""
    with transaction.atomic():
        record = WorkerPing.objects.create(requested_by=user)
        transaction.on_commit(lambda: ping.delay(record.pk))
    return record


def queue_letter(kind: str, caregiver_id: int, dedupe_key: str, about=None) -> Letter:
    """Queue a letter once (the dedupe key decides) and have a worker send it after commit.

    `about` is the row the letter is about (a waardering or campaign request), if any.
    """
    letter_type(kind)  # an unregistered kind fails here, in the caller's transaction
    letter, _ = Letter.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={"kind": kind, "caregiver_id": caregiver_id, "created_at": clock.now(),
                  **({"about": about} if about is not None else {})})
    send_queued_letters_after_commit()
    return letter


def send_queued_letters_after_commit() -> None:
    """One send task per transaction is enough: it sends every queued letter (bulk
    approval, a campaign for everyone and the demo queue hundreds in one transaction)."""
    connection = transaction.get_connection()
    if not any(entry[1] is _dispatch_letters for entry in connection.run_on_commit):
        transaction.on_commit(_dispatch_letters)


def _dispatch_letters() -> None:
    dispatch_letters.delay()


def _route(letter) -> tuple[str, str]:
    """(channel, reason it cannot be sent) for a queued letter: first whether its type
    still applies, then the recipient's wishes (the directory decides)."""
    spec, directory = letter_type(letter.kind), recipients()
    reason = directory.gone(letter.caregiver) or spec.no_longer_applies(letter)
    if reason:
        return "", reason
    return directory.route(letter.caregiver, about_own_request=spec.about_own_request,
                           always_delivered=spec.always_delivered)


def _email_message(letter, connection):
    spec, subject = letter_type(letter.kind), letter_subject(letter)
    dutch, summary = email_texts(letter)  # rendered once, for both parts
    message = email_message(subject, with_summary(dutch, summary), to=[letter.caregiver.email],
                            html=html_from_text(subject, dutch, summary=summary),
                            connection=connection)
    if spec.attach_pdf:
        message.attach(f"brief-{letter.pk}.pdf", render_pdf([letter]), "application/pdf")
    return message


def dispatch_queued_letters(limit: int = 200) -> dict:
    """Send one chunk of queued letters: e-mail now (one SMTP connection for the chunk),
    post into the next print batch, the rest cancelled with the reason.

    Rows are claimed with SELECT … FOR UPDATE SKIP LOCKED, so two workers never take the
    same letter; a letter is marked sent in the same transaction as it is sent.
    """
    counts = {"email": 0, "post": 0, "cancelled": 0, "failed": 0, "retry": 0}
    with transaction.atomic():
        letters = list(
            Letter.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("caregiver").filter(status=LetterStatus.QUEUED)
            .order_by("created_at", "pk")[:limit])
        if not letters:
            return counts
        connection = get_connection()
        try:
            for letter in letters:
                counts[_dispatch_one(letter, connection)] += 1
        finally:
            connection.close()
    return counts


def _dispatch_one(letter, connection) -> str:
    """One letter, on its own: if it cannot be made or sent (a template error, WeasyPrint, a
    header with a newline, a permanent SMTP refusal) it is marked failed with the reason and
    the chunk goes on. Before, its exception rolled back the whole chunk, every run, forever,
    and the letters e-mailed before it in the chunk went out again each time."""
    try:
        with transaction.atomic():  # a savepoint: a failure undoes only this letter's writes
            return _send_or_route(letter, connection)
    except DATABASE_UNAVAILABLE:
        raise
    except Exception as error:
        mark_letter_failed(letter, error)
        return "failed"


def mark_letter_failed(letter, error: Exception) -> None:
    """Failed for good: not queued again. The reason holds no personal data (smtp.py)."""
    logger.warning("Letter %s (%s) failed: %s", letter.pk, letter.kind, type(error).__name__)
    letter.status, letter.error = LetterStatus.FAILED, failure_reason(error)
    letter.failed_at = clock.now()
    Letter.objects.filter(pk=letter.pk).update(status=letter.status, error=letter.error,
                                               failed_at=letter.failed_at,
                                               channel=letter.channel)


def _send_or_route(letter, connection) -> str:
    channel, reason = _route(letter)
    letter.channel = channel
    if channel == POST:
        letter.status = LetterStatus.TO_PRINT
        letter.save(update_fields=["channel", "status"])
        return "post"
    if not channel:
        letter.status, letter.error = LetterStatus.CANCELLED, reason
        letter.save(update_fields=["channel", "status", "error"])
        return "cancelled"
    try:
        _email_message(letter, connection).send()
    except SMTP_ERRORS as error:
        temporary, _ = classify(error)
        if temporary:
            return "retry"  # stays queued for the next run
        raise  # refused for good: failed (_dispatch_one)
    letter.status, letter.sent_at = LetterStatus.SENT, clock.now()
    letter.save(update_fields=["channel", "status", "sent_at"])
    _after_sent([letter])
    return "email"


def create_print_batch(max_letters: int = 300) -> PrintBatch | None:
    """Collect letters waiting for the printer into one batch with one PDF.

    A letter that cannot be rendered is marked failed and left out; the others are printed.
    Letters that render alone but not together are printed in smaller batches.
    """
    while True:
        with transaction.atomic():
            letters = list(
                Letter.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("caregiver")
                .filter(status=LetterStatus.TO_PRINT, print_batch__isnull=True)
                .order_by(*recipients().print_order(), "pk")[:max_letters])
            if not letters:
                return None
            letters, pdf = _printable(letters)
            if letters:
                batch = PrintBatch.objects.create(created_at=clock.now(),
                                                  letter_count=len(letters))
                batch.pdf.save(f"printbatch-{batch.pk}.pdf", ContentFile(pdf), save=True)
                Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(
                    print_batch=batch)
                return batch
        # Nothing of this chunk printed, but at least one letter is now marked failed: on to
        # the next chunk.


def _printable(letters) -> tuple[list, bytes]:
    """(the letters that render, their PDF). Each letter's HTML is made on its own, so a
    template error fails only that letter; should WeasyPrint then fail on the whole batch,
    each letter is rendered alone to find the one to blame."""
    pages = []
    for letter in letters:
        try:
            with transaction.atomic():  # a savepoint: a query error in one letter's context
                pages.append((letter, letter_html(letter)))  # leaves the batch usable
        except DATABASE_UNAVAILABLE:
            raise
        except Exception as error:
            mark_letter_failed(letter, error)
    try:
        return [letter for letter, _ in pages], pdf_from_html([html for _, html in pages])
    except DATABASE_UNAVAILABLE:
        raise
    except Exception:
        logger.warning("A print batch did not render; rendering its letters one by one.")
    good = []
    for letter, html in pages:
        try:
            pdf_from_html([html])
            good.append((letter, html))
        except DATABASE_UNAVAILABLE:
            raise
        except Exception as error:
            mark_letter_failed(letter, error)
    return _first_half_that_renders(good)


def _first_half_that_renders(pages) -> tuple[list, bytes]:
    """Letters that each render alone may still fail together. Halve the list until the
    first part renders; only that part is printed now, the rest stays waiting for the next
    batch. Each round prints or fails at least one letter, so it always ends."""
    while pages:
        try:
            return [letter for letter, _ in pages], pdf_from_html([html for _, html in pages])
        except DATABASE_UNAVAILABLE:
            raise
        except Exception as error:
            if len(pages) == 1:  # rendered alone a moment ago; no longer: give up on it
                mark_letter_failed(pages[0][0], error)
                return [], b""
            logger.warning("%s letters did not render together; trying the first half.",
                           len(pages))
            pages = pages[:len(pages) // 2]
    return [], b""


@transaction.atomic
def mark_batch_printed(batch: PrintBatch, user) -> PrintBatch:
    """Staff printed and posted the batch: its letters count as sent."""
    batch = PrintBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.printed_at is None:
        batch.printed_at, batch.printed_by = clock.now(), user
        batch.save(update_fields=["printed_at", "printed_by"])
        printed = list(batch.letters.filter(status=LetterStatus.TO_PRINT))
        batch.letters.filter(status=LetterStatus.TO_PRINT).update(
            status=LetterStatus.SENT, sent_at=batch.printed_at)
        _after_sent(printed)
    return batch


def _after_sent(letters) -> None:
    """Tell the domain apps (e.g. a campaign's codes letter moves its request on)."""
    if letters:
        letters_sent.send(sender=Letter, letters=letters)
