"""What the mail engine keeps about people, and for how long (issue 14, item 8).

Letters and deliveries themselves stay (kind, status, dates: the annual figures count
them). What holds a person's data goes:

- a print batch's PDF (names and addresses of everyone in it) PRINT_PDF_KEEP after it was
  marked printed; at once, or made again without them, when someone in it is erased;
- an error text of a letter or delivery (an SMTP answer often quotes the address)
  ERROR_TEXT_KEEP after it was written, and at once when its person is erased;
- sessions past their expiry (an abandoned public wizard holds what was typed, up to an
  IBAN): Django's `clearsessions`, every hour.

The erasure hook is called by the registrations' retention (registrations/retention.py):
the engine knows recipients only by id.
"""

import datetime
from importlib import import_module

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from core import clock

from .letters import render_pdf
from .models import Delivery, Letter, LetterStatus, PrintBatch
from .registry import recipients

PRINT_PDF_KEEP = datetime.timedelta(days=30)
ERROR_TEXT_KEEP = datetime.timedelta(days=90)
ERASED_REASON = "Gegevens gewist"


@transaction.atomic
def forget_recipients(recipient_ids) -> None:
    """Their personal data is being erased: no error text, no PDF, no letter left to go.

    `recipient_ids` is a list or a queryset of ids; runs inside the erasure's transaction.
    Files are deleted after its commit: a rollback keeps the rows and the files they name.
    """
    Letter.objects.filter(caregiver__in=recipient_ids).exclude(error="").update(error="")
    Delivery.objects.filter(caregiver__in=recipient_ids).exclude(error="").update(error="")
    # Letters still waiting for a batch would print an empty name: they no longer go.
    Letter.objects.filter(caregiver__in=recipient_ids, status__in=[
        LetterStatus.QUEUED, LetterStatus.TO_PRINT], print_batch__isnull=True).update(
        status=LetterStatus.CANCELLED, error=ERASED_REASON)
    in_batches = Letter.objects.filter(caregiver__in=recipient_ids,
                                       print_batch__isnull=False).values("print_batch")
    for batch in PrintBatch.objects.select_for_update().filter(pk__in=in_batches).exclude(
            pdf=""):
        if batch.printed_at is None:
            _print_again_without(batch, recipient_ids)
        else:
            _remove_pdf(batch)


def _print_again_without(batch: PrintBatch, recipient_ids) -> None:
    """A batch not yet printed: their letters leave it, the others get a fresh PDF."""
    batch.letters.filter(caregiver__in=recipient_ids, status=LetterStatus.TO_PRINT).update(
        status=LetterStatus.CANCELLED, error=ERASED_REASON, print_batch=None)
    letters = list(batch.letters.select_related("caregiver")
                   .order_by(*recipients().print_order(), "pk"))
    old = batch.pdf.name
    batch.pdf = ""
    batch.letter_count = len(letters)
    if letters:
        batch.pdf.save(f"printbatch-{batch.pk}.pdf", ContentFile(render_pdf(letters)),
                       save=False)
    batch.save(update_fields=["pdf", "letter_count"])
    _delete_after_commit(old)


def _remove_pdf(batch: PrintBatch) -> None:
    old = batch.pdf.name
    batch.pdf = ""
    batch.save(update_fields=["pdf"])
    _delete_after_commit(old)


def _delete_after_commit(name: str) -> None:
    """The file goes once the row no longer names it: a rollback keeps both."""
    storage = PrintBatch._meta.get_field("pdf").storage
    transaction.on_commit(lambda: storage.delete(name))


def purge_old_mail_data(now: datetime.datetime | None = None) -> dict:
    """The daily job: printed batches' PDFs and old error texts go. Safe to run twice."""
    # In UTC: days of Amsterdam wall-clock time across a DST change are an hour off.
    now = (now or clock.now()).astimezone(datetime.UTC)
    pdfs = 0
    with transaction.atomic():
        old = PrintBatch.objects.select_for_update().filter(
            printed_at__lte=now - PRINT_PDF_KEEP).exclude(pdf="")
        for batch in old:
            _remove_pdf(batch)
            pdfs += 1
    before = now - ERROR_TEXT_KEEP
    letters = Letter.objects.filter(created_at__lte=before).exclude(error="").update(error="")
    deliveries = Delivery.objects.filter(
        Q(claimed_at__lte=before) | Q(claimed_at__isnull=True, newsletter__created_at__lte=before)
    ).exclude(error="").update(error="")
    return {"pdfs": pdfs, "letter_errors": letters, "delivery_errors": deliveries}


def clear_expired_sessions() -> None:
    """What `manage.py clearsessions` does: sessions past their expiry are deleted."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
