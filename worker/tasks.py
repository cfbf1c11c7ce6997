"""The mail engine's Celery tasks. Each task takes ids, re-reads state, and may safely run
twice. The domain apps keep their own jobs in their own `tasks.py` (autodiscovered); task
names stay as they were ("worker.…") so messages already queued still find them."""

from celery import shared_task
from django.db.models import Count, F, Q

from core import clock, roles

from .models import SchedulerBeat, WorkerPing


@shared_task(name="worker.ping")
def ping(ping_id: int) -> bool:
    """Mark a test ping as done. Idempotent: a ping already done is left as it was."""
    updated = WorkerPing.objects.filter(pk=ping_id, done_at__isnull=True).update(
        done_at=clock.now(), worker_hostname=ping.request.hostname or ""
    )
    return bool(updated)


@shared_task(name="worker.scheduler_heartbeat")
def scheduler_heartbeat(name: str = "heartbeat") -> None:
    """Record that beat scheduled us and a worker ran us; counting twice is harmless."""
    beat, created = SchedulerBeat.objects.get_or_create(
        name=name, defaults={"last_run_at": clock.now(), "runs": 1}
    )
    if not created:
        SchedulerBeat.objects.filter(pk=beat.pk).update(last_run_at=clock.now(),
                                                        runs=F("runs") + 1)


@shared_task(name="worker.dispatch_letters")
def dispatch_letters() -> dict:
    """Send queued letters in chunks until none are left. Safe to run in parallel and twice:
    rows are claimed with SKIP LOCKED and marked sent in the same transaction."""
    from .services import dispatch_queued_letters

    totals: dict = {}
    while True:
        counts = dispatch_queued_letters()
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        handled = sum(value for key, value in counts.items() if key != "retry")
        if handled == 0:
            return totals


@shared_task(name="worker.make_print_batches")
def make_print_batches() -> int:
    """Put postal letters into print batches of a few hundred, one PDF each."""
    from .services import create_print_batch

    made = 0
    while create_print_batch() is not None:
        made += 1
    return made


@shared_task(name="worker.send_newsletter", bind=True, max_retries=None)
def send_newsletter(self, newsletter_id: int, chunk_size: int = 250) -> dict:
    """Prepare (idempotent) and send a newsletter in chunks until nothing is waiting.

    Temporary SMTP errors leave rows waiting; the task then retries later with backoff.
    Several copies may run at once: each claims different rows (SKIP LOCKED).
    """
    from .models import Newsletter
    from .newsletters import finish_if_done, prepare_deliveries, send_chunk

    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    if newsletter is None:
        return {}
    if newsletter.prepared_at is None:
        prepare_deliveries(newsletter)
    totals = {"sent": 0, "failed": 0, "skipped": 0, "retry": 0}
    while True:
        counts = send_chunk(newsletter_id, chunk_size)
        for key, value in counts.items():
            totals[key] += value
        if not any(counts.values()):
            break
        if counts["retry"] and not (counts["sent"] or counts["failed"] or counts["skipped"]):
            # Only temporary errors in this chunk: wait before trying again.
            raise self.retry(countdown=min(600, 10 * 2 ** min(self.request.retries, 6)))
    finish_if_done(newsletter_id)
    return totals


@shared_task(name="worker.send_scheduled_newsletters")
def send_scheduled_newsletters() -> int:
    """The 'send at' poller: newsletters whose time has come are queued once."""
    from .models import Newsletter, NewsletterStatus
    from .newsletters import queue_senders

    due = list(Newsletter.objects.filter(status=NewsletterStatus.SCHEDULED,
                                         send_at__lte=clock.now()).values_list("pk", flat=True))
    for pk in due:
        # The status update is the claim: a second poller finds nothing to update.
        if Newsletter.objects.filter(pk=pk, status=NewsletterStatus.SCHEDULED).update(
                status=NewsletterStatus.SENDING):
            queue_senders(pk)
    return len(due)


@shared_task(name="worker.reap_stuck_deliveries")
def reap_stuck_deliveries() -> int:
    """Return deliveries left 'bezig' by a worker that died, then resume their newsletters."""
    from .models import Delivery, DeliveryStatus
    from .newsletters import reap_stuck_deliveries as reap

    returned = reap()
    if returned:
        pending = Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list(
            "newsletter_id", flat=True).distinct()
        for newsletter_id in pending:
            send_newsletter.delay(newsletter_id)
    return returned


@shared_task(name="worker.failed_deliveries_digest")
def failed_deliveries_digest() -> int:
    """Tell coordinators once a day what could not be sent in the last 24 hours.

    Counts, kinds, reasons (stored without personal data: worker/smtp.py) and links; no
    names. Idempotent per day: the day's SchedulerBeat row is
    the claim, so a second run the same day sends nothing.
    """
    import datetime

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.template.loader import render_to_string

    from .mail import email_message
    from .models import Delivery, DeliveryStatus, Letter, LetterStatus

    now = clock.now()
    since = now - datetime.timedelta(days=1)
    failed_deliveries = Delivery.objects.filter(status=DeliveryStatus.FAILED,
                                                claimed_at__gte=since)
    per_newsletter = list(failed_deliveries.values("newsletter_id", "newsletter__subject")
                          .annotate(n=Count("id")).order_by("newsletter_id"))
    # Letters that failed in the last day (older rows, from before failed_at, by creation).
    failed_letters = Letter.objects.filter(
        Q(failed_at__gte=since) | Q(failed_at__isnull=True, created_at__gte=since),
        status=LetterStatus.FAILED)
    letter_rows = [{"kind": Letter(kind=row["kind"]).get_kind_display(),
                    "reason": row["error"], "n": row["n"]}
                   for row in failed_letters.values("kind", "error").annotate(n=Count("id"))
                   .order_by("kind", "error")]
    if not per_newsletter and not letter_rows:
        return 0
    _, first_today = SchedulerBeat.objects.get_or_create(
        name=f"digest:{now.date().isoformat()}", defaults={"last_run_at": now, "runs": 1})
    if not first_today:
        return 0
    recipients = list(User.objects.filter(groups__name=roles.COORDINATOR, is_active=True)
                      .exclude(email="").values_list("email", flat=True))
    if not recipients:
        return 0
    body = render_to_string("worker/emails/failed_digest.txt", {
        "per_newsletter": per_newsletter, "letter_rows": letter_rows,
        "letters": sum(row["n"] for row in letter_rows),
        "site_url": settings.SITE_URL.rstrip("/")})
    email_message("Niet verstuurd in de afgelopen 24 uur", body, to=recipients,
                  with_contact=False).send()
    return len(recipients)


@shared_task(name="worker.render_newsletter_preview")
def render_newsletter_preview(newsletter_id: int) -> bool:
    """The postal version of a newsletter as PDF, addressed to a made-up example person."""
    from django.core.files.base import ContentFile

    from .letters import render_pdf
    from .models import Letter, LetterKind, Newsletter
    from .registry import recipients

    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    if newsletter is None:
        return False
    letter = Letter(kind=LetterKind.NEWSLETTER, caregiver=recipients().example(),
                    newsletter=newsletter, created_at=clock.now())
    newsletter.preview_pdf.save(f"voorbeeld-{newsletter.pk}.pdf",
                                ContentFile(render_pdf([letter])), save=True)
    return True


@shared_task(name="worker.purge_mail_data")
def purge_mail_data() -> dict:
    """The daily mail retention (worker/retention.py): printed batches' PDFs after 30 days,
    error texts after 90. Safe to run twice: what is gone is not looked at again."""
    from .retention import purge_old_mail_data

    return purge_old_mail_data()


@shared_task(name="worker.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Django's clearsessions, hourly: an abandoned public wizard's answers (up to an IBAN)
    do not outlive the session's expiry."""
    from .retention import clear_expired_sessions as clear

    clear()
