"""Payouts of the waardering: payment batches, their SEPA file or voucher list, and "paid".

A coordinator collects the approved requests of one year and one payout form into a batch.
Each request moves to `in_betaalbatch` through its logged transition, so it can be in one
batch only and is never paid twice. The batch's file is rendered once, checked and stored:

- bank: a SEPA credit transfer (pain.001.001.03) validated against the XSD that comes with
  sepaxml. Message id, end-to-end ids, creation time and payment-information id all come
  from the batch and its requests, so the same batch always gives the same bytes and a bank
  recognises a file it already took. Names and texts are converted to the SEPA basic Latin
  set with the EPC's conversion table (core/sepa_text.py; "Çelik" is paid as "Celik") and
  the finished file is checked for any other character before it is stored: a bank may
  refuse a whole file for one;
- voucher: the list of the batch's voucher codes, each given at approval from the
  supplier's codes (`vouchers.py`; unique across all requests by a constraint).

When the bank (or the voucher supplier) has done its work, `mark_batch_paid` moves every
request to `uitbetaald` and freezes the year's rules.

The file is written inside the batch's transaction. If that transaction does not commit,
the rows roll back but a file on disk does not, and the next batch writes the same payments
again under another batch id: two files paying the same people. So a file no batch
references does not stay in the batch folder: it is removed at once when creating the batch
fails, and for a process killed in between (which no code can catch) it is moved aside by
`set_aside_orphan_payment_files`, run before every new batch and by the daily waardering job
(worker.expire_waardering_questions). That sweep and the files' retention are in
`payment_files.py`.
"""

import csv
import datetime
import functools
import io
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from core import clock, roles
from core.locks import lock_until_commit
from core.sepa_text import sepa_text_problems, to_sepa_text
from core.uploads import safe_cell

from ..models import AppreciationRequest, AppreciationYear, PaymentBatch, PayoutForm, RequestState
from .payment_files import (
    ORPHAN_FILE_MIN_AGE,
    delete_unless_referenced,
    set_aside_orphan_payment_files,
)
from .services import require_transition_permission

logger = logging.getLogger(__name__)

SEPA_SCHEMA = "pain.001.001.03"
CSV_HEADER = ["referentie", "naam", "iban_of_boncode", "bedrag", "end_to_end_id"]


class PaymentFileInvalid(Exception):
    """The rendered SEPA file does not validate: nothing is stored, the batch rolls back."""


class PaymentFileCharacters(PaymentFileInvalid):
    """The file holds a character outside the SEPA basic Latin set; the message (Dutch)
    names them."""


def euro(cents: int) -> str:
    """7500 → '75,00' (Dutch decimal comma, no float arithmetic)."""
    return f"{cents // 100},{cents % 100:02d}"


# --- creating a batch -------------------------------------------------------------------

def create_payment_batch(year: AppreciationYear, payout_form: str, by) -> PaymentBatch | None:
    """Put every approved request of `year` paid by `payout_form` into one new batch.

    One batch is made at a time (a transaction-level lock): a second coordinator pressing
    the button at the same moment waits, then gets what is left (or nothing), never the same
    requests (the rows are also claimed with SKIP LOCKED). Returns None when
    nothing is waiting. Raises PaymentFileInvalid (and stores nothing) if the file is bad.
    When anything fails after the file is written, the file is removed again.
    """
    if payout_form not in PayoutForm.values:
        raise ValueError(f"unknown payout form {payout_form!r}")
    if not roles.is_coordinator(by):
        raise PermissionDenied
    written = ""
    try:
        with transaction.atomic():
            lock_until_commit(BATCH_LOCK_KEY)
            requests = list(
                _waiting(year, payout_form).select_for_update(skip_locked=True, of=("self",))
                .select_related("year", "caregiver").order_by("submitted_at", "pk"))
            if not requests:
                return None
            # Left by a run killed before its commit. Under the PostgreSQL lock no other batch
            # is being made, so every file no batch references is such a file, however young.
            # (SQLite, make run, takes its write lock only at the first write: keep the age.)
            set_aside_orphan_payment_files(
                min_age=datetime.timedelta(0) if connection.vendor == "postgresql"
                else ORPHAN_FILE_MIN_AGE)
            batch = PaymentBatch.objects.create(year=year, payout_form=payout_form,
                                                created_at=clock.now(), created_by=by)
            _move_into_batch(requests, batch, by)
            batch.request_count = len(requests)
            batch.total_cents = sum(request.amount_cents for request in requests)
            if payout_form == PayoutForm.BANK:
                content, name = render_sepa(batch, requests), f"{batch.message_id}.xml"
            else:
                content, name = render_csv(requests), f"{batch.message_id}.csv"
            batch.export.save(name, ContentFile(content), save=False)
            written = batch.export.name
            batch.save()
    except BaseException:  # also KeyboardInterrupt/SystemExit; a hard kill is left to the sweep
        if written:
            delete_unless_referenced(written)
        raise
    return batch


BATCH_LOCK_KEY = 7_246_001  # lock_until_commit: one payment batch made at a time


def _move_into_batch(requests: list[AppreciationRequest], batch: PaymentBatch, by) -> None:
    """Each request takes its `add_to_batch` transition (checked and logged one by one),
    then all rows are written in one UPDATE instead of one each: ten thousand requests
    would otherwise cost ten thousand round trips. The rows are locked, so the UPDATE's
    state filter (what ConcurrentTransitionMixin checks per save) always matches."""
    # The transition's permission depends on the person only: one check covers the batch.
    require_transition_permission(requests[0].add_to_batch, by)
    description = _("In betaalronde %(id)s") % {"id": batch.message_id}
    for request in requests:
        request.add_to_batch(batch, by=by, description=description)
    moved = (AppreciationRequest.objects
             .filter(pk__in=[request.pk for request in requests],
                     state=RequestState.GOEDGEKEURD)
             .update(state=RequestState.IN_BETAALBATCH, payment_batch=batch))
    if moved != len(requests):
        raise ConcurrentTransition(_("Aanvragen zijn intussen veranderd."))


def _waiting(year, payout_form):
    """Approved requests not yet in a batch. A bank payout without an IBAN (erased, or
    entered without one) cannot be paid by transfer and waits for a consulent; a voucher
    without its code (none was free when it was approved) waits for the supplier's next
    list of codes (`vouchers.add_codes`)."""
    waiting = AppreciationRequest.objects.filter(year=year, payout_form=payout_form,
                                                 state=RequestState.GOEDGEKEURD)
    if payout_form == PayoutForm.BANK:
        waiting = waiting.exclude(iban="")
    else:
        waiting = waiting.exclude(voucher_code="")
    return waiting


# --- the files --------------------------------------------------------------------------

def _payee_name(request: AppreciationRequest) -> str:
    return request.account_holder.strip() or request.caregiver.full_name


# The lengths pain.001 allows for a name and for the unstructured remittance text.
SEPA_NAME_LENGTH, SEPA_TEXT_LENGTH = 70, 140


def render_sepa(batch: PaymentBatch, requests: list[AppreciationRequest]) -> bytes:
    """The batch as a pain.001.001.03 credit transfer, XSD-validated; same input, same bytes."""
    from sepaxml import SepaTransfer

    class DeterministicTransfer(SepaTransfer):
        """sepaxml draws a random PmtInfId; ours is derived from the message id."""

        def _finalize_batch(self):
            super()._finalize_batch()
            for number, node in enumerate(self._xml.iter("PmtInfId"), start=1):
                node.text = f"{batch.message_id}-{number}"

    account = settings.PAYOUT_ACCOUNT
    config = {"name": to_sepa_text(account["name"], SEPA_NAME_LENGTH),
              "IBAN": _compact(account["iban"]), "batch": True, "currency": "EUR"}
    if account.get("bic"):
        config["BIC"] = account["bic"].strip().upper()
    # clean=False: sepaxml's own cleaning (unidecode) keeps "&", "@" and the like, which
    # the basic Latin set does not allow; the EPC conversion below does.
    transfer = DeterministicTransfer(config, schema=SEPA_SCHEMA, clean=False)
    created = batch.created_at.astimezone(clock.AMSTERDAM)
    # sepaxml writes the header when it is constructed, with a random id and the current
    # time: replace both with the batch's own.
    header = transfer._xml.find("CstmrCdtTrfInitn/GrpHdr")
    header.find("MsgId").text = transfer.msg_id = batch.message_id
    header.find("CreDtTm").text = created.strftime("%Y-%m-%dT%H:%M:%S")
    for request in requests:
        transfer.add_payment({
            "name": to_sepa_text(_payee_name(request), SEPA_NAME_LENGTH),
            "IBAN": _compact(request.iban),
            "amount": request.amount_cents,
            "execution_date": created.date(),
            "description": to_sepa_text(
                f"Mantelzorgwaardering {batch.year.year} {request.reference}",
                SEPA_TEXT_LENGTH),
            "endtoend_id": request.end_to_end_id,
        })
    xml = transfer.export(validate=False)
    validate_sepa(xml)
    check_sepa_characters(xml)
    return xml


def _compact(iban: str) -> str:
    return "".join((iban or "").split()).upper()


@functools.cache
def _sepa_schema():
    """Parsing the XSD takes a while: once per process. lxml validates in C (libxml2):
    0.06 s for 10,000 payouts against 2.6-5.4 s for the pure-Python validator used before,
    which kept the coordinator's batch request over its 10 s budget (docs/BENCHMARKS.md)."""
    import sepaxml
    from lxml import etree

    path = Path(sepaxml.__file__).parent / "schemas" / f"{SEPA_SCHEMA}.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def validate_sepa(xml: bytes) -> None:
    """Our own file against the bank's schema. lxml's parser (5.0 and later) resolves no
    external entity and fetches nothing from the network. The coordinator's page says in
    Dutch what to check; the log keeps the schema's own words for the administrator."""
    from lxml import etree

    schema = _sepa_schema()
    try:
        valid = schema.validate(etree.fromstring(xml))
        reason = "" if valid else str(schema.error_log.last_error)
    except etree.XMLSyntaxError as error:
        reason = str(error)
    if reason:
        logger.warning("Betaalbestand niet volgens het SEPA-schema: %s", reason)
        raise PaymentFileInvalid(reason)


def check_sepa_characters(xml: bytes) -> None:
    """Every text and attribute value of the finished file in the basic Latin set, or
    PaymentFileInvalid: nothing is stored and the batch rolls back."""
    from xml.etree import ElementTree

    texts = []
    for node in ElementTree.fromstring(xml).iter():
        texts.extend([node.text or "", node.tail or "", *node.attrib.values()])
    # Whitespace between the elements (the file's own indentation) is not content.
    problems = sepa_text_problems(text for text in texts if text.strip())
    if problems:
        shown = " ".join(f"U+{ord(char):04X}" for char in problems[:10])
        raise PaymentFileCharacters(_("Het betaalbestand bevat tekens die een bank kan "
                                      "weigeren: %(chars)s.") % {"chars": shown})


def render_csv(requests) -> bytes:
    """A semicolon-separated list for Dutch spreadsheets: one row per request."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for request in requests:
        account = (_compact(request.iban) if request.payout_form == PayoutForm.BANK
                   else request.voucher_code)
        writer.writerow([safe_cell(cell) for cell in (
            request.reference, _payee_name(request), account, euro(request.amount_cents),
            request.end_to_end_id)])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel read é and ë


def batch_csv(batch: PaymentBatch) -> bytes:
    """The CSV of any batch, in the order of its file."""
    return render_csv(batch.requests.select_related("year", "caregiver")
                      .order_by("submitted_at", "pk"))


# --- paid -------------------------------------------------------------------------------

def mark_batch_paid(batch: PaymentBatch, by) -> PaymentBatch:
    """The bank executed the file (or the vouchers went out): every request is paid.

    Idempotent: a second call finds the batch paid and changes nothing. The first payout of
    a year freezes that year's rules (`payouts_made_at`).
    """
    if not roles.is_coordinator(by):
        raise PermissionDenied
    with transaction.atomic():
        batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.paid_at is not None:
            return batch
        now = clock.now()
        requests = list(batch.requests.select_for_update(of=("self",)).select_related("year")
                        .filter(state=RequestState.IN_BETAALBATCH)
                        .order_by("submitted_at", "pk"))
        if requests:
            require_transition_permission(requests[0].mark_paid, by)  # depends on the person only
        description = _("Uitbetaald met betaalronde %(id)s") % {"id": batch.message_id}
        for request in requests:
            request.mark_paid(by=by, description=description)  # checked and logged
        # One UPDATE for all (see _move_into_batch); the rows are locked.
        batch.requests.filter(pk__in=[request.pk for request in requests],
                              state=RequestState.IN_BETAALBATCH).update(
                                  state=RequestState.UITBETAALD)
        batch.paid_at, batch.paid_by = now, by
        batch.save(update_fields=["paid_at", "paid_by"])
        year = AppreciationYear.objects.select_for_update().get(pk=batch.year_id)
        if year.payouts_made_at is None:
            year.payouts_made_at = now
            year.save(update_fields=["payouts_made_at"])
    return batch


# --- reads for the page -----------------------------------------------------------------

def waiting_summary(year: AppreciationYear) -> list[dict]:
    """Per payout form: approved requests waiting for a batch (count and total), and bank
    requests that cannot go in one because the IBAN is missing."""
    rows = []
    for form in PayoutForm:
        totals = _waiting(year, form).aggregate(count=Count("pk"), total=Sum("amount_cents"))
        no_iban = no_code = 0
        if form == PayoutForm.BANK:
            no_iban = AppreciationRequest.objects.filter(
                year=year, payout_form=form, state=RequestState.GOEDGEKEURD, iban="").count()
        else:
            no_code = AppreciationRequest.objects.filter(
                year=year, payout_form=form, state=RequestState.GOEDGEKEURD,
                voucher_code="").count()
        rows.append({"form": form.value, "label": form.label, "count": totals["count"],
                     "total": euro(totals["total"] or 0), "no_iban": no_iban,
                     "no_code": no_code})
    return rows


def batches_of(year: AppreciationYear) -> list[PaymentBatch]:
    batches = list(PaymentBatch.objects.filter(year=year)
                   .select_related("year", "created_by", "paid_by").order_by("-created_at"))
    for batch in batches:
        batch.total_display = euro(batch.total_cents)
    return batches
