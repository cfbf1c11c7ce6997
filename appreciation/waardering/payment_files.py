"""Where the payment files of the waardering live, and how long.

A batch's file (SEPA with names and IBANs, or names and voucher codes) is written inside
the batch's transaction (`payouts.create_payment_batch`). Here: removing a file whose batch
did not commit, moving aside files no batch references (a process killed in between), and
the retention rules, after "paid" and when a person is erased.
"""

import datetime
import functools
import logging

from django.db import DatabaseError, transaction

from core import clock

from ..models import PaymentBatch

logger = logging.getLogger(__name__)


def delete_unless_referenced(name: str) -> None:
    """The batch failed after its file was written: remove the file, unless the batch did
    commit after all (an error while committing leaves that open). When the database cannot
    tell, the file stays and `set_aside_orphan_payment_files` decides later."""
    try:
        referenced = PaymentBatch.objects.filter(export=name).exists()
    except DatabaseError:
        return
    if not referenced:
        export_storage().delete(name)


# --- payment files no batch references --------------------------------------------------

# A batch's file is written a moment before its transaction commits: without the batch lock
# (the daily job) a younger file may belong to a batch that is still being made.
ORPHAN_FILE_MIN_AGE = datetime.timedelta(minutes=10)
ORPHAN_DIRECTORY = "payments-zonder-batch"
ORPHAN_KEEP = datetime.timedelta(days=90)


def export_storage():
    return PaymentBatch._meta.get_field("export").storage


def _export_directory() -> str:
    """Where batch files are stored (the FileField's upload_to), e.g. 'payments'."""
    return PaymentBatch._meta.get_field("export").upload_to.rstrip("/")


def set_aside_orphan_payment_files(now: datetime.datetime | None = None,
                                min_age: datetime.timedelta = ORPHAN_FILE_MIN_AGE) -> int:
    """Move payment files that no batch references and that are older than `min_age` out of
    the batch file directory; returns how many. A process killed
    after writing a batch's file and before its commit leaves such a file, and its payments
    go into a later batch too: left beside the real files it could be sent to the bank twice.

    Moved aside (ORPHAN_DIRECTORY, never offered for download), not deleted: after restoring
    an older database backup, files of later batches look the same and may be the only
    record of what went to the bank. The administrator checks the warning in the log; the
    files go after ORPHAN_KEEP (they hold names and IBANs).

    Without the batch lock (the daily job), a file whose batch commits between the listing
    and the reading of the references is seen as referenced (the listing comes first); one
    whose batch is still being made is younger than `min_age`, unless making a batch took
    longer than that (10,000 payments take seconds: docs/BENCHMARKS.md).
    """
    now = now or clock.now()
    storage, directory = export_storage(), _export_directory()
    _remove_old_orphans(storage, now)
    try:
        _, files = storage.listdir(directory)
    except FileNotFoundError:
        return 0
    referenced = set(PaymentBatch.objects.exclude(export="").values_list("export", flat=True))
    moved = 0
    for file_name in files:
        name = f"{directory}/{file_name}"
        if name in referenced:
            continue
        try:
            young = storage.get_modified_time(name) > now - min_age
            if young:
                continue
            with storage.open(name, "rb") as content:
                aside = storage.save(f"{ORPHAN_DIRECTORY}/{file_name}", content)
        except FileNotFoundError:  # a sweep running at the same moment took it
            continue
        storage.delete(name)
        logger.warning("payment file %s belongs to no batch: moved to %s (check it; it is "
                       "removed after %s days)", name, aside, ORPHAN_KEEP.days)
        moved += 1
    return moved


def _remove_old_orphans(storage, now: datetime.datetime) -> None:
    try:
        _, files = storage.listdir(ORPHAN_DIRECTORY)
    except FileNotFoundError:
        return
    for file_name in files:
        name = f"{ORPHAN_DIRECTORY}/{file_name}"
        try:
            if storage.get_modified_time(name) <= now - ORPHAN_KEEP:
                storage.delete(name)
        except FileNotFoundError:
            continue


# --- how long payment files stay ---------------------------------------------------------

# A paid batch's file (names and IBANs, or names and voucher codes) stays this long after
# "paid": enough to answer the bank about a payment that bounced. Bookkeeping keeps the
# batch row (amount, count, date, message id) and the requests' amounts and references;
# the CSV can be made again from those rows (without the names of people erased since).
PAYMENT_FILE_KEEP = datetime.timedelta(days=90)


def remove_old_payment_files(now: datetime.datetime | None = None) -> int:
    """The daily job: files of batches paid more than PAYMENT_FILE_KEEP ago are deleted.
    Safe to run twice: a batch without a file is not looked at again."""
    # In UTC: 90 days of Amsterdam wall-clock time across a DST change is an hour off.
    now = (now or clock.now()).astimezone(datetime.UTC)
    batches = PaymentBatch.objects.filter(paid_at__lte=now - PAYMENT_FILE_KEEP)
    return _remove_files(batches)


def remove_payment_files_of(requests) -> int:
    """People are erased: the files of paid batches holding their requests go now. A batch
    not yet paid keeps its file until it is paid (the bank needs it), then the rule above."""
    return _remove_files(PaymentBatch.objects.filter(
        pk__in=requests.values("payment_batch"), paid_at__isnull=False))


def _remove_files(batches) -> int:
    removed = 0
    with transaction.atomic():
        for batch in batches.exclude(export="").select_for_update():
            name, batch.export = batch.export.name, ""
            batch.save(update_fields=["export"])
            # Once the row no longer names it: a rollback keeps both.
            transaction.on_commit(functools.partial(export_storage().delete, name))
            removed += 1
    return removed
