"""Payouts of the waardering: batches of approved requests, the SEPA file (checked against
the XSD), voucher codes, CSV exports, "paid", and who may do it."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sepaxml
import time_machine
import xmlschema
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from appreciation.models import (
    AppreciationRequest,
    AppreciationYear,
    PaymentBatch,
    PayoutForm,
    RejectionReason,
    RequestState,
)
from appreciation.waardering import payouts, services, vouchers
from tests.factories import AppreciationRequestFactory, AppreciationYearFactory
from tests.support import approved, caregiver_details, request_data
from tests.support import submit as submit_one

TODAY = datetime.date(2026, 9, 15)
XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day", "media")]


def vouchers_for_young(year, codes=()):
    """This year young caregivers get a voucher; the supplier's `codes` are uploaded."""
    year.payout_young = PayoutForm.VOUCHER
    year.save()
    if codes:
        vouchers.add_codes(year, list(codes))


def test_a_batch_holds_exactly_the_approved_requests(waardering_year, consulent, coordinator):
    vouchers_for_young(waardering_year)
    bank = [approved(consulent, n) for n in range(3)]
    young = approved(consulent, 10, young=True)
    rejected = services.reject(submit_one(request_data(caregiver=caregiver_details(
        date_of_birth=datetime.date(1940, 5, 5)))), consulent, RejectionReason.TOO_SHORT)
    waiting = submit_one(request_data(caregiver=caregiver_details(
        date_of_birth=datetime.date(1941, 5, 5))))
    last_years = AppreciationRequestFactory(year=AppreciationYearFactory(year=2025),
                                            state=RequestState.GOEDGEKEURD)

    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    assert {r.pk for r in batch.requests.all()} == {r.pk for r in bank}
    assert (batch.request_count, batch.total_cents) == (3, 22500)
    assert (batch.created_by, batch.payout_form) == (coordinator, PayoutForm.BANK)
    states = dict(AppreciationRequest.objects.values_list("pk", "state"))
    assert {states[r.pk] for r in bank} == {RequestState.IN_BETAALBATCH}
    assert states[young.pk] == RequestState.GOEDGEKEURD
    assert states[rejected.pk] == RequestState.AFGEWEZEN
    assert states[waiting.pk] == RequestState.INGEDIEND
    assert states[last_years.pk] == RequestState.GOEDGEKEURD  # not this year's batch
    log = StateLog.objects.for_(bank[0]).latest("pk")
    assert (log.source_state, log.state, log.by) == ("goedgekeurd", "in_betaalbatch",
                                                     coordinator)
    assert batch.message_id in log.description


def test_the_sepa_file_validates_and_pays_each_request_once(waardering_year, consulent, coordinator,
                                                             settings):
    requests = [approved(consulent, n) for n in range(3)]
    AppreciationRequest.objects.filter(pk=requests[2].pk).update(amount_cents=10000)
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    xml = batch.export.open("rb").read()

    xmlschema.XMLSchema(str(XSD)).validate(xml.decode())
    root = ET.fromstring(xml)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.findtext("p:MsgId", namespaces=NS) == batch.message_id
    assert header.findtext("p:NbOfTxs", namespaces=NS) == "3"
    assert header.findtext("p:CtrlSum", namespaces=NS) == "250.00"
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:NbOfTxs", namespaces=NS) == "3"
    assert info.findtext("p:CtrlSum", namespaces=NS) == "250.00"
    assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == (
        settings.PAYOUT_ACCOUNT["iban"])
    payments = {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): (
            tx.findtext("p:Amt/p:InstdAmt", namespaces=NS),
            tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
            tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS))
        for tx in info.findall("p:CdtTrfTxInf", NS)}
    assert payments == {
        r.end_to_end_id: ("100.00" if r == requests[2] else "75.00", r.iban,
                          f"Mantelzorgwaardering 2026 {r.reference}")
        for r in requests}


def test_nothing_is_paid_twice_and_downloads_are_identical(client, waardering_year, consulent,
                                                           login_fully):
    requests = [approved(consulent, n) for n in range(2)]
    AppreciationRequest.objects.filter(pk=requests[1].pk).update(
        amount_cents=10000, account_holder="B. de Vries")
    coordinator = login_fully(client, "coordinator")
    first = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    assert payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator) is None
    assert PaymentBatch.objects.count() == 1

    url = reverse("appreciation:payout_export", args=[first.pk])
    one, two = client.get(url), client.get(url)
    assert one["Content-Type"] == "application/xml"
    assert one["Content-Disposition"] == f'attachment; filename="{first.message_id}.xml"'
    assert b"".join(one.streaming_content) == b"".join(two.streaming_content)
    csv_url = reverse("appreciation:payout_csv", args=[first.pk])
    one, two = client.get(csv_url), client.get(csv_url)
    assert one.content == two.content
    assert one["Content-Type"] == "text/csv; charset=utf-8"
    assert one["Content-Disposition"] == f'attachment; filename="{first.message_id}.csv"'
    rows = list(csv.reader(io.StringIO(one.content.decode("utf-8-sig")), delimiter=";"))
    for request in requests:
        request.refresh_from_db()
    assert rows == [
        ["referentie", "naam", "iban_of_boncode", "bedrag", "end_to_end_id"],
        [requests[0].reference, "R. Bakker", requests[0].iban, "75,00",
         requests[0].end_to_end_id],
        [requests[1].reference, "B. de Vries", requests[1].iban, "100,00",
         requests[1].end_to_end_id],
    ]
    assert all(r.reference and r.iban and r.end_to_end_id for r in requests)
    # Rendering again from the stored rows gives the same bytes (no clock, no randomness).
    again = payouts.render_sepa(PaymentBatch.objects.get(pk=first.pk), list(
        first.requests.select_related("year", "caregiver").order_by("submitted_at", "pk")))
    assert again == first.export.open("rb").read()


def test_marking_paid_pays_every_request_logs_it_and_freezes_the_year(waardering_year, consulent,
                                                                      coordinator):
    requests = [approved(consulent, n) for n in range(2)]
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    with pytest.raises(PermissionDenied):
        payouts.mark_batch_paid(batch, consulent)

    paid = payouts.mark_batch_paid(batch, coordinator)
    assert (paid.paid_by, paid.paid_at is not None) == (coordinator, True)
    assert set(AppreciationRequest.objects.values_list("state", flat=True)) == {
        RequestState.UITBETAALD}
    for request in requests:
        log = StateLog.objects.for_(request).latest("pk")
        assert (log.source_state, log.state, log.by) == ("in_betaalbatch", "uitbetaald",
                                                         coordinator)
    assert AppreciationYear.objects.get(pk=waardering_year.pk).locked
    logged = StateLog.objects.count()
    with time_machine.travel(datetime.datetime(2026, 9, 16, 10, 0, tzinfo=datetime.UTC),
                             tick=False):
        again = payouts.mark_batch_paid(batch, coordinator)
    assert (again.paid_at, StateLog.objects.count()) == (paid.paid_at, logged)
    assert PaymentBatch.objects.get(pk=batch.pk).paid_at == paid.paid_at
    # A later batch is paid too; the rules stay frozen from the first payout on.
    approved(consulent, 5)
    later = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    assert {r.pk for r in later.requests.all()} == set(
        AppreciationRequest.objects.filter(state=RequestState.IN_BETAALBATCH)
        .values_list("pk", flat=True)) and later.request_count == 1
    with time_machine.travel(datetime.datetime(2026, 9, 20, 10, 0, tzinfo=datetime.UTC),
                             tick=False):
        assert payouts.mark_batch_paid(later, coordinator).paid_at > paid.paid_at
    assert AppreciationYear.objects.get(pk=waardering_year.pk).payouts_made_at == paid.paid_at


def test_transitions_not_allowed_are_refused_by_the_model(waardering_year, consulent, coordinator):
    rejected = services.reject(submit_one(), consulent, RejectionReason.TOO_SHORT)
    batch = PaymentBatch.objects.create(year=waardering_year, payout_form=PayoutForm.BANK,
                                        created_at=datetime.datetime.now(datetime.UTC))
    with pytest.raises(TransitionNotAllowed):
        rejected.add_to_batch(batch, by=coordinator)
    ok = approved(consulent, 5)
    with pytest.raises(TransitionNotAllowed):
        ok.mark_paid(by=coordinator)


def test_only_a_coordinator_makes_a_batch(waardering_year, consulent):
    approved(consulent, 1)
    with pytest.raises(PermissionDenied):
        payouts.create_payment_batch(waardering_year, PayoutForm.BANK, consulent)
    assert not PaymentBatch.objects.exists()


def test_a_file_that_does_not_validate_is_never_stored(waardering_year, consulent, coordinator,
                                                       settings, media, caplog):
    request = approved(consulent, 1)
    settings.PAYOUT_ACCOUNT = {**settings.PAYOUT_ACCOUNT, "iban": "GEEN-IBAN"}
    with pytest.raises(payouts.PaymentFileInvalid) as refused:
        payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    # The administrator finds the schema's own words in the log: which element failed.
    assert "IBAN" in str(refused.value)
    assert [record.getMessage() for record in caplog.records
            if record.name == payouts.__name__] == [
        f"Betaalbestand niet volgens het SEPA-schema: {refused.value}"]
    assert not PaymentBatch.objects.exists()
    assert AppreciationRequest.objects.get(pk=request.pk).state == RequestState.GOEDGEKEURD
    assert not any(media.rglob("*.xml"))


def test_vouchers_carry_the_suppliers_codes_in_a_csv_list_not_sepa(waardering_year, consulent,
                                                                   coordinator):
    vouchers_for_young(waardering_year, ["LEV-1", "LEV-2", "LEV-3"])
    young = [approved(consulent, n, young=True) for n in range(3)]
    approved(consulent, 9)  # a bank request stays out of the voucher batch
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.VOUCHER, coordinator)
    codes = dict(batch.requests.values_list("pk", "voucher_code"))
    assert set(codes) == {r.pk for r in young}
    assert sorted(codes.values()) == ["LEV-1", "LEV-2", "LEV-3"]
    content = batch.export.open("rb").read()
    assert batch.export.name.endswith(".csv") and b"<?xml" not in content
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == '"referentie";"naam";"iban_of_boncode";"bedrag";' \
                                   '"end_to_end_id"'
    for request in young:
        request.refresh_from_db()
        assert (f'"{request.reference}";"Riet Bakker";"{request.voucher_code}";"75,00";'
                f'"{request.end_to_end_id}"') in text
    other = AppreciationRequest.objects.exclude(pk__in=codes).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AppreciationRequest.objects.filter(pk=other.pk).update(voucher_code=codes[young[0].pk])


def test_csv_cells_that_look_like_formulas_are_neutralised(waardering_year, consulent, coordinator):
    names = ["=HYPERLINK(\"http://x\")", "+31 6", "-2+3", "@SUM(A1)"]
    requests = [approved(consulent, n) for n in range(len(names))]
    for request, name in zip(requests, names, strict=True):
        AppreciationRequest.objects.filter(pk=request.pk).update(account_holder=name)
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    rows = list(csv.reader(io.StringIO(payouts.batch_csv(batch).decode("utf-8-sig")),
                           delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["'" + name for name in names]
    assert [row[3] for row in rows[1:]] == ["75,00"] * 4


def test_the_pages_are_for_coordinators_only(client, waardering_year, consulent, login_fully):
    approved(consulent, 1)
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator_for_setup())
    urls = [reverse("appreciation:payout_list"), reverse("appreciation:payout_year", args=[2026]),
            reverse("appreciation:payout_export", args=[batch.pk]),
            reverse("appreciation:payout_csv", args=[batch.pk]),
            reverse("appreciation:payout_mark_paid", args=[batch.pk])]
    for url in urls:
        assert client.get(url)["Location"].startswith("/backoffice/inloggen/")
    login_fully(client, "consulent")
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(reverse("appreciation:payout_create", args=[2026]),
                       {"payout_form": "bank"}).status_code == 403
    assert client.post(reverse("appreciation:payout_mark_paid", args=[batch.pk])).status_code == 403
    assert PaymentBatch.objects.get().paid_at is None


def coordinator_for_setup():
    from mantelzorg.services_staff import create_staff_user

    return create_staff_user("coordinator-setup", "een-lang-test-wachtwoord-42", "coordinator")


def test_a_coordinator_makes_downloads_and_pays_a_batch_in_the_back_office(client, waardering_year,
                                                                         consulent, login_fully):
    vouchers_for_young(waardering_year, ["LEV-1"])
    for n in range(2):
        approved(consulent, n)
    approved(consulent, 7, young=True)
    erased = approved(consulent, 8)
    AppreciationRequest.objects.filter(pk=erased.pk).update(iban="")  # cannot be paid
    login_fully(client, "coordinator")
    page = client.get(reverse("appreciation:payout_list")).content.decode()
    assert "Betalingen waardering 2026" in page and "€ 150,00" in page
    assert "1 aanvraag heeft geen rekeningnummer en kan niet mee." in page
    assert "Betaalronde voor de bank maken" in page and "Betaalronde met cadeaubonnen maken" in page

    response = client.post(
        reverse("appreciation:payout_create", args=[2026]), {"payout_form": "bank"}, follow=True
    )
    batch = PaymentBatch.objects.get()
    assert f"Betaalronde {batch.message_id} is gemaakt met 2 aanvragen." in (
        response.content.decode()
    )
    response = client.post(
        reverse("appreciation:payout_create", args=[2026]), {"payout_form": "bank"}, follow=True
    )
    assert "Er wachten geen goedgekeurde aanvragen" in response.content.decode()

    confirm = client.get(reverse("appreciation:payout_mark_paid", args=[batch.pk])).content.decode()
    assert "Het gaat om 2 aanvragen, samen € 150,00." in confirm
    assert PaymentBatch.objects.get().paid_at is None  # GET only asks
    client.post(reverse("appreciation:payout_mark_paid", args=[batch.pk]))
    assert PaymentBatch.objects.get().paid_at is not None
    page = client.get(reverse("appreciation:payout_list")).content.decode()
    assert "Uitbetaald op" in page and "De regels van dit jaar liggen vast." in page
