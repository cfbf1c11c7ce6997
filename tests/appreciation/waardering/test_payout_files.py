"""Payment files without a batch: a batch that fails after its file was written leaves no
file, and files a killed run left behind are moved aside (old, unreferenced, batch folder
only), kept 90 days for the administrator, then removed.

A second file with the same payments beside the real one could be sent to the bank too."""

import datetime
import os

import pytest
from django.test import Client

from appreciation.models import AppreciationRequest, PaymentBatch, PayoutForm, RequestState
from appreciation.waardering import payment_files, payouts
from core import clock
from tests.support import approved

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]


def file_at(path, content=b"<Document/>", age=datetime.timedelta(hours=1)):
    """A file whose modification time lies `age` before the (travelled) clock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    set_age(path, age)
    return path


def set_age(path, age):
    moment = (clock.now() - age).timestamp()
    os.utime(path, (moment, moment))


def test_an_error_after_the_file_is_written_leaves_no_file(waardering_year, consulent,
                                                           coordinator, media, monkeypatch):
    request = approved(consulent, 1)
    save = PaymentBatch.save

    def fail_once_the_file_is_there(batch, *args, **kwargs):
        if batch.export:
            raise RuntimeError("database gone")
        return save(batch, *args, **kwargs)

    monkeypatch.setattr(PaymentBatch, "save", fail_once_the_file_is_there)
    with pytest.raises(RuntimeError):
        payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    assert not PaymentBatch.objects.exists()
    assert AppreciationRequest.objects.get(pk=request.pk).state == RequestState.GOEDGEKEURD
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_the_sweep_removes_only_old_payment_files_no_batch_references(
        waardering_year, consulent, coordinator, media):
    approved(consulent, 1)
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    referenced = media / batch.export.name
    set_age(referenced, datetime.timedelta(days=30))
    orphan = file_at(media / "payments" / "MZW2026B999998.xml")
    young = file_at(media / "payments" / "MZW2026B999999.xml",
                    age=datetime.timedelta(minutes=1))  # its batch may still be committing
    elsewhere = file_at(media / "printbatches" / "old.pdf", b"%PDF")

    assert payment_files.set_aside_orphan_payment_files() == 1

    # Moved aside, not deleted: it may be the only record of a file sent to the bank.
    assert not orphan.exists()
    aside = media / payment_files.ORPHAN_DIRECTORY / "MZW2026B999998.xml"
    assert aside.read_bytes() == b"<Document/>"
    assert referenced.exists() and young.exists() and elsewhere.exists()
    assert payment_files.set_aside_orphan_payment_files() == 0  # a second run changes nothing
    # Ten minutes later the young file counts as left behind too.
    later = clock.now() + payment_files.ORPHAN_FILE_MIN_AGE
    assert payment_files.set_aside_orphan_payment_files(now=later) == 1
    assert not young.exists() and referenced.exists()
    # Files set aside go after ORPHAN_KEEP (names and IBANs are kept no longer than needed).
    set_age(aside, payment_files.ORPHAN_KEEP - datetime.timedelta(minutes=1))
    payment_files.set_aside_orphan_payment_files()
    assert aside.exists()
    set_age(aside, payment_files.ORPHAN_KEEP + datetime.timedelta(minutes=1))
    payment_files.set_aside_orphan_payment_files()
    assert not aside.exists() and referenced.exists()


def test_a_new_batch_first_removes_the_file_of_a_run_that_was_killed(waardering_year, consulent,
                                                                      coordinator, media):
    approved(consulent, 1)
    # What a run killed between writing its file and committing leaves: a file, no rows.
    left_behind = file_at(media / "payments" / "MZW2026B000999.xml")

    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    assert not left_behind.exists()
    assert sorted(p.name for p in (media / "payments").iterdir()) == [
        batch.export.name.split("/")[-1]]
    assert (media / payment_files.ORPHAN_DIRECTORY / "MZW2026B000999.xml").exists()


def test_a_new_batch_moves_aside_even_a_young_file_no_batch_references(
        waardering_year, consulent, coordinator, media):
    """Rerun at once after a kill: under the batch lock no other batch is being made, so the
    killed run's file goes aside now, not ten minutes later."""
    approved(consulent, 1)
    left_behind = file_at(media / "payments" / "MZW2026B000998.xml",
                          age=datetime.timedelta(seconds=5))

    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    assert not left_behind.exists()
    assert (media / payment_files.ORPHAN_DIRECTORY / "MZW2026B000998.xml").exists()
    assert [p.name for p in (media / "payments").iterdir()] == [
        batch.export.name.split("/")[-1]]


def test_the_daily_waardering_job_sweeps_payment_files(waardering_year, media):
    from appreciation.tasks import expire_waardering_questions

    orphan = file_at(media / "payments" / "MZW2026B000999.xml")
    assert expire_waardering_questions() == {"overdue": 0, "orphan_payment_files": 1}
    assert not orphan.exists()


def test_payment_files_are_only_reachable_through_the_coordinators_download(
        waardering_year, consulent, coordinator, media, login_fully):
    approved(consulent, 1)
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    anonymous = Client()
    for path in (f"/media/{batch.export.name}", f"/{batch.export.name}",
                 f"/var/media/{batch.export.name}"):
        assert anonymous.get(path).status_code == 404, path
    url = f"/backoffice/betalingen/batch/{batch.pk}/bestand/"
    assert anonymous.get(url).status_code == 302  # to the staff sign-in
    staff = Client()
    login_fully(staff, "coordinator")
    response = staff.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and b"<EndToEndId>" in content
