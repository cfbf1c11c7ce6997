"""Writes for the worker app: test pings, sending queued letters, print batches."""

from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string

from mantelzorg import clock
from registrations.models import Channel, State

from .models import (
    REQUEST_LETTER_KINDS,
    Letter,
    LetterKind,
    LetterStatus,
    PrintBatch,
    WorkerPing,
)
from .smtp import SMTP_ERRORS, classify
from .tasks import ping


def queue_test_ping(user) -> WorkerPing:
    """Store a ping and queue it for the worker once the row is committed."""
    with transaction.atomic():
        record = WorkerPing.objects.create(requested_by=user)
        transaction.on_commit(lambda: ping.delay(record.pk))
    return record


def queue_letter(kind: str, caregiver_id: int, dedupe_key: str, **links) -> Letter:
    """Queue a letter once (the dedupe key decides) and have a worker send it after commit.

    `links` ties it to what it is about (appreciation_request=…, campaign_request=…).
    """
    letter, _ = Letter.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={"kind": kind, "caregiver_id": caregiver_id, "created_at": clock.now(),
                  **links})
    send_queued_letters_after_commit()
    return letter


def send_queued_letters_after_commit() -> None:
    """One send task per transaction is enough: it sends every queued letter (bulk
    approval, a campaign for everyone and the demo queue hundreds in one transaction)."""
    connection = transaction.get_connection()
    if not any(entry[1] is _dispatch_letters for entry in connection.run_on_commit):
        transaction.on_commit(_dispatch_letters)


def _dispatch_letters() -> None:
    from .tasks import dispatch_letters

    dispatch_letters.delay()


def _route(letter) -> tuple[str, str]:
    """(channel, reason it cannot be sent) for a queued letter, by the caregiver's wishes."""
    caregiver = letter.caregiver
    if caregiver.state == State.GEWIST:
        return "", "Gegevens gewist"
    if letter.kind == LetterKind.RETENTION_NOTICE and caregiver.state != State.VOORMALIG:
        return "", "Niet meer van toepassing: de zorg is hervat of de inschrijving is al gestopt"
    if letter.kind == LetterKind.CAMPAIGN_CODES and letter.campaign_request.state != "toegekend":
        return "", "Niet meer van toepassing: de aanvraag is geannuleerd of al afgehandeld"
    email_ok = caregiver.email_confirmed_at or letter.kind in REQUEST_LETTER_KINDS
    if caregiver.channel == Channel.EMAIL and caregiver.email and email_ok:
        return Channel.EMAIL, ""
    if caregiver.channel == Channel.NONE:
        return "", "Wil geen post of e-mail"
    if caregiver.street and caregiver.postcode and caregiver.city:
        return Channel.POST, ""
    return "", "Geen bevestigd e-mailadres en geen volledig adres"


def _email_message(letter, connection):
    from .letters import LETTER_TYPES, email_body, letter_subject, render_pdf

    spec, subject = LETTER_TYPES[letter.kind], letter_subject(letter)
    body = email_body(letter)
    message = EmailMultiAlternatives(subject, body, to=[letter.caregiver.email],
                                     connection=connection)
    message.attach_alternative(
        render_to_string("letters/email.html", {"subject": subject, "body": body}),
        "text/html")
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
    channel, reason = _route(letter)
    letter.channel = channel
    if channel == Channel.POST:
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
        temporary, reason = classify(error)
        if temporary:
            return "retry"  # stays queued for the next run
        letter.status, letter.error = LetterStatus.FAILED, reason
        letter.save(update_fields=["channel", "status", "error"])
        return "failed"
    letter.status, letter.sent_at = LetterStatus.SENT, clock.now()
    letter.save(update_fields=["channel", "status", "sent_at"])
    _after_sent([letter])
    return "email"


def create_print_batch(max_letters: int = 300) -> PrintBatch | None:
    """Collect letters waiting for the printer into one batch with one PDF."""
    from .letters import render_pdf

    with transaction.atomic():
        letters = list(
            Letter.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("caregiver")
            .filter(status=LetterStatus.TO_PRINT, print_batch__isnull=True)
            .order_by("caregiver__postcode", "pk")[:max_letters])
        if not letters:
            return None
        batch = PrintBatch.objects.create(created_at=clock.now(), letter_count=len(letters))
        batch.pdf.save(f"printbatch-{batch.pk}.pdf", ContentFile(render_pdf(letters)),
                       save=True)
        Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(
            print_batch=batch)
    return batch


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
    """A campaign's codes letter that went out moves its request to 'verstuurd'."""
    ids = [letter.pk for letter in letters if letter.campaign_request_id]
    if ids:
        from appreciation.campaigns import letters_sent

        letters_sent(ids)
