"""Vouchers that reach the person (issue 19): a year that chooses vouchers gives each
approved request one code from the supplier's uploaded list, sends the letter with it, and
shows it in Mijn gegevens. No code is made up; none is given twice; a request approved
while no code was free gets one when the next list arrives."""

import io

import pytest
from django.core import mail
from django.urls import reverse

from appreciation.models import (
    AppreciationLetter,
    AppreciationRequest,
    PayoutForm,
    RequestState,
    WaarderingVoucherCode,
)
from appreciation.waardering import payouts, vouchers
from tests.factories import CaregiverFactory
from tests.support import approved, sign_in
from worker.models import Letter
from worker.services import dispatch_queued_letters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day", "media")]


@pytest.fixture
def voucher_year(waardering_year):
    waardering_year.payout_young = PayoutForm.VOUCHER
    waardering_year.save()
    return waardering_year


def voucher_letters():
    return list(Letter.objects.filter(kind=AppreciationLetter.WAARDERING_VOUCHER)
                .order_by("pk"))


def test_approving_a_voucher_gives_a_code_from_the_list_and_sends_it(
        voucher_year, consulent, coordinator, django_capture_on_commit_callbacks):
    vouchers.add_codes(voucher_year, ["BON-0001", "BON-0002"], coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        request = approved(consulent, 1, young=True)
    request.refresh_from_db()
    assert request.voucher_code == "BON-0001"
    assert WaarderingVoucherCode.objects.get(code="BON-0001").request_id == request.pk
    [letter] = voucher_letters()
    assert (letter.caregiver_id, letter.about_id) == (request.caregiver_id, request.pk)
    dispatch_queued_letters()
    [message] = [m for m in mail.outbox if "cadeaubon" in m.subject]
    assert message.subject == "Je cadeaubon: de mantelzorgwaardering 2026"
    assert "BON-0001" in message.body and "Je boncode:" in message.body
    assert vouchers.free_count(voucher_year) == 1


def test_an_adult_gets_uw_in_the_voucher_letter(voucher_year, consulent, coordinator):
    voucher_year.payout_adult = PayoutForm.VOUCHER
    voucher_year.save()
    vouchers.add_codes(voucher_year, ["BON-0001"], coordinator)
    approved(consulent, 1, iban="")
    dispatch_queued_letters()
    [message] = [m for m in mail.outbox if "cadeaubon" in m.subject]
    assert message.subject == "Uw cadeaubon: de mantelzorgwaardering 2026"
    assert "Uw boncode:" in message.body and "BON-0001" in message.body


def test_a_bank_payout_takes_no_code(waardering_year, consulent, coordinator):
    vouchers.add_codes(waardering_year, ["BON-0001"], coordinator)
    request = approved(consulent, 1, young=True)  # young caregivers: money by default
    request.refresh_from_db()
    assert (request.payout_form, request.voucher_code) == (PayoutForm.BANK, "")
    assert voucher_letters() == [] and vouchers.free_count(waardering_year) == 1


def test_without_a_free_code_the_request_waits_for_the_next_list(voucher_year, consulent,
                                                                 coordinator):
    first = approved(consulent, 1, young=True)
    second = approved(consulent, 2, young=True)
    assert voucher_letters() == [] and vouchers.waiting_count(voucher_year) == 2

    added, given = vouchers.add_codes(voucher_year, ["BON-A"], coordinator)

    assert (added, given) == (1, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.voucher_code, second.voucher_code) == ("BON-A", "")  # oldest decision first
    assert [letter.about_id for letter in voucher_letters()] == [first.pk]
    assert vouchers.add_codes(voucher_year, ["BON-A", "BON-B", "BON-C"], coordinator) == (2, 1)
    second.refresh_from_db()
    assert second.voucher_code == "BON-B"
    assert vouchers.waiting_count(voucher_year) == 0 and vouchers.free_count(voucher_year) == 1


def test_a_code_is_never_given_twice(voucher_year, consulent, coordinator):
    vouchers.add_codes(voucher_year, ["BON-1", "BON-2", "BON-3"], coordinator)
    given = [approved(consulent, n, young=True) for n in range(3)]
    codes = [AppreciationRequest.objects.get(pk=r.pk).voucher_code for r in given]
    assert sorted(codes) == ["BON-1", "BON-2", "BON-3"]
    fourth = approved(consulent, 4, young=True)
    fourth.refresh_from_db()
    assert fourth.voucher_code == ""


def test_a_code_already_on_a_request_is_not_added_again(voucher_year, consulent, coordinator):
    request = approved(consulent, 1, young=True)
    AppreciationRequest.objects.filter(pk=request.pk).update(voucher_code="OUD-1")
    assert vouchers.add_codes(voucher_year, ["OUD-1", "NIEUW-1"], coordinator) == (1, 0)
    assert list(WaarderingVoucherCode.objects.values_list("code", flat=True)) == ["NIEUW-1"]


def test_a_voucher_batch_lists_only_requests_with_their_code(voucher_year, consulent,
                                                             coordinator):
    vouchers.add_codes(voucher_year, ["BON-1"], coordinator)
    with_code = approved(consulent, 1, young=True)
    approved(consulent, 2, young=True)
    [bank, voucher] = payouts.waiting_summary(voucher_year)
    assert (voucher["count"], voucher["no_code"], bank["no_code"]) == (1, 1, 0)

    batch = payouts.create_payment_batch(voucher_year, PayoutForm.VOUCHER, coordinator)

    assert list(batch.requests.values_list("pk", "voucher_code")) == [(with_code.pk, "BON-1")]
    text = batch.export.open("rb").read().decode("utf-8-sig")
    assert '"BON-1";"75,00"' in text


def test_mijn_gegevens_shows_the_code_once_granted(client, voucher_year, consulent,
                                                   coordinator):
    vouchers.add_codes(voucher_year, ["BON-ZICHTBAAR"], coordinator)
    request = approved(consulent, 1, young=True)
    caregiver = request.caregiver
    sign_in(client, caregiver)
    page = client.get(reverse("appreciation:waardering_my_requests")).content.decode()
    assert "Boncode" in page and "BON-ZICHTBAAR" in page


def test_mijn_gegevens_says_the_code_follows_while_none_was_free(client, voucher_year,
                                                                 consulent):
    request = approved(consulent, 1, young=True)
    sign_in(client, request.caregiver)
    page = client.get(reverse("appreciation:waardering_my_requests")).content.decode()
    assert "Volgt binnenkort, met een brief of e-mail." in page


def test_an_open_request_shows_no_code(client, voucher_year):
    caregiver = CaregiverFactory()
    AppreciationRequest.objects.create(
        year=voucher_year, caregiver=caregiver, route="zelf", recipient_name="Henk",
        recipient_postcode="3845AB", recipient_house_number="12", hours_per_week=10,
        care_since="2019-01-01", age_group="jong", payout_form=PayoutForm.VOUCHER,
        amount_cents=7500, submitted_at="2026-09-15T10:00:00+02:00",
        state=RequestState.INGEDIEND, voucher_code="BON-GEHEIM")
    sign_in(client, caregiver)
    page = client.get(reverse("appreciation:waardering_my_requests")).content.decode()
    assert "BON-GEHEIM" not in page and "Boncode" not in page


# --- the coordinator's upload ------------------------------------------------------------

def upload(client, year, content: bytes, name="codes.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("appreciation:payout_voucher_upload", args=[year.year]),
                       {"boncodes-file": file})


def test_a_coordinator_uploads_the_suppliers_codes(as_coordinator, voucher_year):
    response = upload(as_coordinator, voucher_year, b"code\nBON-1\nBON-2\n")
    assert response.status_code == 302
    assert sorted(WaarderingVoucherCode.objects.values_list("code", flat=True)) == [
        "BON-1", "BON-2"]
    page = as_coordinator.get(response["Location"]).content.decode()
    assert "2 nieuwe boncodes toegevoegd (0 stonden er al in)." in page
    assert "2 boncodes zijn nog vrij." in page


def test_wrong_lines_are_listed_and_nothing_is_added(as_coordinator, voucher_year):
    response = upload(as_coordinator, voucher_year, b"BON-1\nBON 2\nBON-1\n")
    assert response.status_code == 400
    page = response.content.decode()
    assert "2 regels kloppen niet. Er is niets toegevoegd." in page
    assert "Regel 2: Gebruik alleen letters, cijfers en - _ . /" in page
    assert "Regel 3: Deze code staat er twee keer in." in page
    assert not WaarderingVoucherCode.objects.exists()


def test_old_mac_line_ends_are_read_and_an_endless_field_is_refused(as_coordinator,
                                                                    voucher_year):
    """Regression: a quoted field past the csv module's limit gave a 500 here (the
    campaigns' reader already knew it; both now read with core/code_lists.py)."""
    response = upload(as_coordinator, voucher_year, b'"' + b"A" * 200_000 + b'"\n')
    assert response.status_code == 400
    assert "Regel 1: Dit bestand kan niet als lijst met codes gelezen worden." in (
        response.content.decode())
    assert upload(as_coordinator, voucher_year, b"BON-1\rBON-2\r\nBON-3\n").status_code == 302
    assert WaarderingVoucherCode.objects.count() == 3


@pytest.mark.parametrize("content, message", [
    (b"", "Het bestand is leeg."),
    (b"\x00\x01binary", "Dit is geen tekstbestand."),
    (b"code\n", "Er staan geen codes in het bestand."),
])
def test_an_unusable_file_gets_a_plain_message(as_coordinator, voucher_year, content, message):
    response = upload(as_coordinator, voucher_year, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WaarderingVoucherCode.objects.exists()


def test_a_consulent_cannot_upload_codes(client, login_fully, voucher_year):
    login_fully(client, "consulent")
    response = upload(client, voucher_year, b"BON-1\n")
    assert response.status_code == 403
    assert not WaarderingVoucherCode.objects.exists()
