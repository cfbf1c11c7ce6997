"""Past waarderingen come along with the registry import (issue 18): paid requests in the
same transaction, once per caregiver and year, counted in the annual figures."""

import datetime

import pytest

from appreciation.models import AppreciationRequest, AppreciationYear, PaymentBatch, RequestState
from insight.reports import annual_figures
from registrations.imports import services, writing
from registrations.models import Caregiver, ImportRow, ImportState
from tests.registrations.import_files import HEADERS, csv_bytes, dry_run, person, upload, write

pytestmark = pytest.mark.django_db(transaction=True)
WITH_HISTORY = [*HEADERS, "Jaar", "Bedrag", "Betaald op"]
LAST_YEAR = datetime.date.today().year - 1


@pytest.fixture(autouse=True)
def _media(media):
    return media


def history_file(*years) -> bytes:
    lines = [person(Jaar=str(year), Bedrag="€ 75,00", **{"Betaald op": f"1-12-{year}"})
             for year in years]
    return csv_bytes(lines, headers=WITH_HISTORY)


def test_the_waardering_columns_are_recognised():
    mapping = services.guess_mapping(["Jaar", "Bedrag", "Betaald op"])
    assert mapping == {"Jaar": "waardering_year", "Bedrag": "waardering_amount",
                       "Betaald op": "waardering_paid_on"}


def test_past_waarderingen_become_paid_requests_counted_in_the_annual_figures():
    registry_import = write(dry_run(upload(history_file(LAST_YEAR - 1, LAST_YEAR))))
    assert registry_import.state == ImportState.DONE, registry_import.message
    jan = Caregiver.objects.get()
    requests = AppreciationRequest.objects.filter(caregiver=jan).order_by("year__year")
    assert [(r.year.year, r.state, r.amount_cents) for r in requests] == [
        (LAST_YEAR - 1, RequestState.UITBETAALD, 7500), (LAST_YEAR, RequestState.UITBETAALD,
                                                          7500)]
    batch = requests[1].payment_batch
    assert batch.paid_at.date() == datetime.date(LAST_YEAR, 12, 1)
    assert (batch.request_count, batch.total_cents) == (1, 7500)
    assert AppreciationYear.objects.get(year=LAST_YEAR).locked
    figures = annual_figures(LAST_YEAR)
    assert figures["paid_adult"] == 1 and figures["paid_amount_cents"] == 7500


def test_importing_the_history_twice_pays_nobody_twice():
    write(dry_run(upload(history_file(LAST_YEAR))))
    write(dry_run(upload(history_file(LAST_YEAR))))
    assert AppreciationRequest.objects.count() == 1
    assert PaymentBatch.objects.count() == 1


def test_a_wrong_year_or_amount_refuses_the_line():
    lines = [person(Jaar=str(LAST_YEAR + 1)),
             person(Klantnummer="A2", Jaar=str(LAST_YEAR), Bedrag="veel")]
    registry_import = dry_run(upload(csv_bytes(lines, headers=WITH_HISTORY)))
    rows = {row.line: row for row in ImportRow.objects.filter(registry_import=registry_import)}
    assert rows[2].outcome == rows[3].outcome == "geweigerd"
    assert "jaar van voor dit jaar" in rows[2].reasons[0]
    assert "geen bedrag" in rows[3].reasons[0]


def test_the_history_is_written_in_the_same_transaction(monkeypatch):
    registry_import = dry_run(upload(history_file(LAST_YEAR)))

    def broken_last_step(rows, fields, batch_size):
        raise RuntimeError("injected after the history")

    monkeypatch.setattr(writing.ImportRow.objects, "bulk_update", broken_last_step)
    with pytest.raises(RuntimeError):
        write(registry_import)
    assert not AppreciationRequest.objects.exists() and not PaymentBatch.objects.exists()
    assert not AppreciationYear.objects.exists() and not Caregiver.objects.exists()


def test_the_dry_run_says_which_years_a_known_caregiver_gets():
    write(dry_run(upload(history_file(LAST_YEAR))))
    second = dry_run(upload(history_file(LAST_YEAR - 1, LAST_YEAR)))
    rows = {row.line: row for row in ImportRow.objects.filter(registry_import=second)}
    assert rows[2].outcome == "bijgewerkt"
    assert rows[2].reasons == [f"Regel 2: waardering {LAST_YEAR - 1} erbij."]
    assert rows[3].outcome == "ongewijzigd" and rows[3].reasons == []
