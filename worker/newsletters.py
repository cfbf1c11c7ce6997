"""Newsletters: who gets one, preparing one delivery row per recipient, and sending them in
short chunks that several workers can share without sending anything twice.

Sending a chunk: rows are claimed (status "bezig") with SELECT … FOR UPDATE SKIP LOCKED in a
short transaction, then sent over one SMTP connection and marked one by one. A worker that
dies mid-chunk leaves rows in "bezig"; `reap_stuck_deliveries` returns them to "wacht", so
at most the messages in flight at that moment can go out twice.
"""

import datetime
import logging
import smtplib
from types import SimpleNamespace

import markdown
import nh3
from django.conf import settings
from django.core import signing
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify

from core import clock

from .bulk_mail import PLACEHOLDER_ADDRESS, PLACEHOLDER_LINK, BulkMessage
from .mail import email_message, list_id
from .models import EMAIL, Delivery, DeliveryStatus, Newsletter, NewsletterStatus
from .registry import audience_email_template, audience_named, recipients
from .smtp import DATABASE_UNAVAILABLE, SMTP_ERRORS, classify, failure_reason

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
MARK_EVERY = 10
STUCK_AFTER = datetime.timedelta(minutes=15)
UNSUBSCRIBE_SALT = "worker.newsletter.unsubscribe"


def audience(filters: dict):
    """Recipients who want the newsletter, narrowed by the consulent's filters (the
    recipient directory reads them).

    A registered audience instead, such as `{"campaign": <id>}`: a campaign's invitation is a
    service message about a benefit, so it goes to everyone who may ask, also to people who
    do not want the newsletter. The channel still decides (by_email, by_post).
    """
    named = audience_named(filters)
    if named is not None:
        return named(filters)
    return recipients().newsletter_audience(filters)


def is_service_message(newsletter: Newsletter) -> bool:
    """A mailing to a registered audience (a campaign's invitation): not the newsletter, so
    no newsletter unsubscribe link."""
    return audience_named(newsletter.audience or {}) is not None


def by_email(people):
    """Only addresses their owner confirmed (double opt-in)."""
    return recipients().by_email(people)


def by_post(people):
    return recipients().by_post(people)


def audience_counts(filters: dict) -> dict:
    people = audience(filters)
    return {"email": by_email(people).count(), "post": by_post(people).count()}


@transaction.atomic
def prepare_deliveries(newsletter: Newsletter) -> int:
    """One 'wacht' row per e-mail recipient. Idempotent: existing rows are left alone."""
    recipients = by_email(audience(newsletter.audience)).order_by().values(row_id=F("pk"))
    select_sql, params = recipients.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Delivery._meta.db_table} (newsletter_id, caregiver_id, channel) "
            f"SELECT %s, r.row_id, %s FROM ({select_sql}) AS r WHERE true "
            f"ON CONFLICT (newsletter_id, caregiver_id, channel) DO NOTHING",
            [newsletter.pk, EMAIL, *params])
        created = cursor.rowcount
    _queue_postal_copies(newsletter)
    Newsletter.objects.filter(pk=newsletter.pk).update(
        status=NewsletterStatus.SENDING, prepared_at=clock.now())
    return created


def _queue_postal_copies(newsletter: Newsletter) -> None:
    """People who chose post get the newsletter as a letter in the next print batch."""
    from .models import Letter, LetterKind, LetterStatus

    recipients = by_post(audience(newsletter.audience)).order_by().values(row_id=F("pk"))
    select_sql, params = recipients.query.sql_with_params()
    kind = LetterKind.NEWSLETTER
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Letter._meta.db_table} "
            f"(kind, caregiver_id, newsletter_id, status, dedupe_key, created_at) "
            f"SELECT %s, r.row_id, %s, %s, %s || CAST(r.row_id AS varchar(20)), %s "
            f"FROM ({select_sql}) AS r WHERE true ON CONFLICT (dedupe_key) DO NOTHING",
            [kind, newsletter.pk, LetterStatus.QUEUED, f"{kind}:{newsletter.pk}:",
             clock.now(), *params])


def claim_chunk(newsletter_id: int, size: int) -> list[int]:
    """Take up to `size` waiting rows for this worker; other workers skip them."""
    with transaction.atomic():
        ids = list(Delivery.objects.select_for_update(skip_locked=True)
                   .filter(newsletter_id=newsletter_id, status=DeliveryStatus.PENDING)
                   .order_by("pk").values_list("pk", flat=True)[:size])
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENDING, claimed_at=clock.now(), attempts=F("attempts") + 1)
    return ids


def unsubscribe_url(caregiver) -> str:
    token = signing.dumps(caregiver.pk, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL.rstrip("/") + reverse("worker:unsubscribe", args=[token])


def caregiver_for_unsubscribe_token(token: str):
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return recipients().newsletter_reader(pk)


def render_body(newsletter: Newsletter) -> str:
    """Markdown to HTML, then sanitised: only simple formatting and links survive."""
    return nh3.clean(markdown.markdown(newsletter.body),
                     tags={"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3"},
                     link_rel="noopener noreferrer")


UNSUBSCRIBE_PLACEHOLDER = "__UNSUBSCRIBE_URL__"


def prerender(newsletter: Newsletter) -> tuple[str, str]:
    """Text and HTML of the message, rendered once per chunk; only the unsubscribe link
    differs per recipient and is filled in by `build_message`."""
    context = {"newsletter": newsletter, "body_html": render_body(newsletter),
               "unsubscribe": UNSUBSCRIBE_PLACEHOLDER,
               "site_url": settings.SITE_URL.rstrip("/")}
    # A mailing to a registered audience (a campaign's invitation) uses that audience's
    # e-mail, whose footer has no newsletter unsubscribe.
    template = (audience_email_template(newsletter.audience or {})
                or "worker/emails/newsletter")
    return (render_to_string(f"{template}.txt", context),
            render_to_string(f"{template}.html", context))


def build_message(newsletter: Newsletter, caregiver, rendered, connection_, link=None):
    link = link or unsubscribe_url(caregiver)
    text, html = (part.replace(UNSUBSCRIBE_PLACEHOLDER, link) for part in rendered)
    # A campaign's invitation is not the newsletter: leaving the newsletter would not stop
    # it, so it carries no one-click unsubscribe (its footer says how to stop all mail).
    # Both are bulk mail, so both say which list they belong to (List-Id, RFC 2919).
    headers = {"List-Id": list_id("uitnodigingen", "Uitnodigingen Servicepunt Mantelzorg")} \
        if is_service_message(newsletter) else {
        "List-Id": list_id("nieuwsbrief", "Nieuwsbrief Servicepunt Mantelzorg"),
        "List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    message = email_message(newsletter.subject, text, to=[caregiver.email], html=html,
                            connection=connection_, headers=headers)
    if newsletter.attachment:
        message.attach(f"{slugify(newsletter.subject) or 'bijlage'}.pdf", attachment_bytes(
            newsletter), "application/pdf")
    return message


def attachment_bytes(newsletter: Newsletter) -> bytes:
    """Read once per newsletter per process, not once per message."""
    key = (newsletter.pk, newsletter.attachment.name)
    if key not in _ATTACHMENTS:
        _ATTACHMENTS.clear()
        with newsletter.attachment.open("rb") as handle:
            _ATTACHMENTS[key] = handle.read()
    return _ATTACHMENTS[key]


_ATTACHMENTS: dict = {}


def _mark(delivery_ids, status, **fields):
    if delivery_ids:
        Delivery.objects.filter(pk__in=delivery_ids).update(status=status, **fields)


def send_chunk(newsletter_id: int, size: int = 100) -> dict:
    """Claim and send one chunk over one SMTP connection. Returns what happened.

    Successes are marked in small groups (MARK_EVERY), so a worker killed mid-chunk can only
    resend the few messages sent since the last mark.
    """
    counts = {"sent": 0, "failed": 0, "skipped": 0, "retry": 0}
    ids = claim_chunk(newsletter_id, size)
    if not ids:
        return counts
    newsletter = Newsletter.objects.get(pk=newsletter_id)
    try:
        rendered = prerender(newsletter)
    except DATABASE_UNAVAILABLE:
        raise
    except Exception as error:
        # The newsletter itself cannot be made (its template): these rows fail with the
        # reason instead of staying "bezig" and being tried again every five minutes.
        logger.warning("Newsletter %s did not render: %s", newsletter_id, type(error).__name__)
        _mark(ids, DeliveryStatus.FAILED, error=failure_reason(error))
        counts["failed"] = len(ids)
        finish_if_done(newsletter_id)
        return counts
    # Read after the claim: whoever unsubscribed meanwhile is skipped.
    deliveries = Delivery.objects.filter(pk__in=ids).select_related("caregiver").order_by("pk")
    sent = []
    smtp = get_connection()
    smtp.open()
    bulk = _bulk_message(newsletter, rendered, smtp)
    try:
        for delivery in deliveries:
            outcome = _send_one(newsletter, delivery, rendered, smtp, bulk)
            counts[outcome] += 1
            if outcome == "sent":
                sent.append(delivery.pk)
                if len(sent) >= MARK_EVERY:
                    _mark(sent, DeliveryStatus.SENT, sent_at=clock.now(), error="")
                    sent = []
    finally:
        _mark(sent, DeliveryStatus.SENT, sent_at=clock.now(), error="")
        smtp.close()
    finish_if_done(newsletter_id)
    return counts


def _bulk_message(newsletter, rendered, smtp) -> BulkMessage | None:
    """The chunk's message made once (worker/bulk_mail.py); None: each is made on its own
    (then a message that cannot be made fails alone, with its reason)."""
    try:
        return BulkMessage.make(build_message(
            newsletter, SimpleNamespace(email=PLACEHOLDER_ADDRESS), rendered, smtp,
            link=PLACEHOLDER_LINK), smtp)
    except DATABASE_UNAVAILABLE:
        raise
    except Exception:  # noqa: BLE001 - the per-message path reports why, per delivery
        return None


def _send_one(newsletter, delivery, rendered, smtp, bulk=None) -> str:
    caregiver = delivery.caregiver
    if not recipients().still_wants_mailing(caregiver,
                                            service_message=is_service_message(newsletter)):
        _mark([delivery.pk], DeliveryStatus.SKIPPED, error="Afgemeld of niet meer ingeschreven")
        return "skipped"
    try:
        link = unsubscribe_url(caregiver)
        if bulk is not None and bulk.fits(caregiver.email, link):
            bulk.send(smtp, caregiver.email, link)
        else:
            build_message(newsletter, caregiver, rendered, smtp, link=link).send()
    except SMTP_ERRORS as error:
        temporary, reason = classify(error)
        if isinstance(error, (smtplib.SMTPServerDisconnected, OSError)):
            smtp.close()
            smtp.open()
        if temporary and delivery.attempts < MAX_ATTEMPTS:
            _mark([delivery.pk], DeliveryStatus.PENDING, error=reason)
            return "retry"
        _mark([delivery.pk], DeliveryStatus.FAILED, error=reason)
        return "failed"
    except DATABASE_UNAVAILABLE:
        raise
    except Exception as error:
        # This message cannot be made (a subject with a newline saved in the admin, a broken
        # attachment): failed with the reason, the others go on.
        logger.warning("Delivery %s failed: %s", delivery.pk, type(error).__name__)
        _mark([delivery.pk], DeliveryStatus.FAILED, error=failure_reason(error))
        return "failed"
    return "sent"


def finish_if_done(newsletter_id: int) -> bool:
    busy = Delivery.objects.filter(newsletter_id=newsletter_id, status__in=[
        DeliveryStatus.PENDING, DeliveryStatus.SENDING]).exists()
    if not busy:
        Newsletter.objects.filter(pk=newsletter_id, status=NewsletterStatus.SENDING).update(
            status=NewsletterStatus.SENT)
    return not busy


def reap_stuck_deliveries(now: datetime.datetime | None = None) -> int:
    """Rows left in 'bezig' by a worker that died go back to 'wacht'."""
    cutoff = (now or clock.now()) - STUCK_AFTER
    return Delivery.objects.filter(status=DeliveryStatus.SENDING,
                                   claimed_at__lt=cutoff).update(status=DeliveryStatus.PENDING)


def progress(newsletter: Newsletter) -> dict:
    rows = dict(newsletter.deliveries.values_list("status").annotate(n=Count("id")))
    total = sum(rows.values())
    done = rows.get(DeliveryStatus.SENT, 0) + rows.get(DeliveryStatus.FAILED, 0) + rows.get(
        DeliveryStatus.SKIPPED, 0)
    return {"total": total, "sent": rows.get(DeliveryStatus.SENT, 0),
            "failed": rows.get(DeliveryStatus.FAILED, 0),
            "skipped": rows.get(DeliveryStatus.SKIPPED, 0),
            "pending": rows.get(DeliveryStatus.PENDING, 0) + rows.get(DeliveryStatus.SENDING, 0),
            # Nothing prepared yet means nothing done yet (unless it is marked sent).
            "percent": round(100 * done / total) if total else (
                100 if newsletter.status == NewsletterStatus.SENT else 0)}



def queue_senders(newsletter_id: int) -> None:
    """One sending task per worker slot: they share the rows through SKIP LOCKED."""
    from .tasks import send_newsletter

    for _ in range(settings.NEWSLETTER_PARALLEL_SENDERS):
        send_newsletter.delay(newsletter_id)


def schedule(newsletter: Newsletter, send_at) -> bool:
    """Send now (queued after commit) or at `send_at` (the beat poller picks it up).

    Only a draft can be scheduled, and only once: the status update is the claim.
    """
    with transaction.atomic():
        if send_at is None:
            claimed = Newsletter.objects.filter(
                pk=newsletter.pk, status=NewsletterStatus.DRAFT).update(
                status=NewsletterStatus.SENDING, send_at=clock.now())
            if claimed:
                transaction.on_commit(lambda: queue_senders(newsletter.pk))
        else:
            claimed = Newsletter.objects.filter(
                pk=newsletter.pk, status=NewsletterStatus.DRAFT).update(
                status=NewsletterStatus.SCHEDULED, send_at=send_at)
    return bool(claimed)
