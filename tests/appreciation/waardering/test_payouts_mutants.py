"""Payouts, the details `make mutate` found untested: the batch overview's order, the log
line of "paid", and what the payouts page shows per payout form and per batch."""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_fsm_log.models import StateLog

from appreciation.models import (
    AppreciationRequest,
    PayoutForm,
    RejectionReason,
    RequestState,
)
from appreciation.waardering import payouts, vouchers
from registrations.models import Caregiver
from tests.factories import (
    AppreciationRequestFactory,
    AppreciationYearFactory,
    CaregiverFactory,
)
from tests.support import approved

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day", "media")]

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def test_the_overview_lists_requests_in_the_order_they_were_sent(waardering_year, consulent,
                                                                  coordinator):
    first, second, third = (approved(consulent, n) for n in range(3))
    # The newest row was sent first; two were sent at the very same moment.
    sent = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC)
    AppreciationRequest.objects.filter(pk=third.pk).update(submitted_at=sent)
    AppreciationRequest.objects.filter(pk=second.pk).update(
        submitted_at=sent + datetime.timedelta(hours=1))
    AppreciationRequest.objects.filter(pk=first.pk).update(
        submitted_at=sent + datetime.timedelta(hours=1))
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    rows = list(csv.reader(io.StringIO(payouts.batch_csv(batch).decode("utf-8-sig")),
                           delimiter=";"))

    assert [row[0] for row in rows[1:]] == [third.reference, first.reference,
                                            second.reference]


def test_paid_is_logged_with_the_batch_it_was_paid_in(waardering_year, consulent, coordinator):
    requests = [approved(consulent, n) for n in range(2)]
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    payouts.mark_batch_paid(batch, coordinator)

    for request in requests:
        log = StateLog.objects.for_(request).latest("pk")
        assert (log.state, log.description) == (
            "uitbetaald", f"Uitbetaald met betaalronde {batch.message_id}")


def test_the_page_counts_only_this_years_approved_bank_requests_without_an_account(
        client, waardering_year, consulent, login_fully):
    waardering_year.payout_young = PayoutForm.VOUCHER
    waardering_year.save()
    approved(consulent, 1)
    no_account = approved(consulent, 2)
    AppreciationRequest.objects.filter(pk=no_account.pk).update(iban="")
    for n in (3, 4):
        approved(consulent, n, young=True)  # vouchers need no account
    refused = AppreciationRequestFactory(year=waardering_year, state=RequestState.AFGEWEZEN,
                                         rejection_reason=RejectionReason.TOO_SHORT,
                                         payout_form=PayoutForm.BANK, iban="")
    last_year = AppreciationRequestFactory(year=AppreciationYearFactory(year=2025),
                                           state=RequestState.GOEDGEKEURD,
                                           payout_form=PayoutForm.BANK, iban="")
    assert refused.pk and last_year.pk
    login_fully(client, "coordinator")

    page = client.get(reverse("appreciation:payout_list")).content.decode()

    assert page.count("geen rekeningnummer") == 1
    assert "1 aanvraag heeft geen rekeningnummer en kan niet mee." in page
    bank, voucher = re.findall(r'<th scope="row">([^<]*)</th>', page)[:2]
    assert (bank, voucher) == ("Geld op de bankrekening", "Cadeaubon of activiteit")


def test_the_page_shows_nothing_waiting_as_zero_and_each_batch_with_its_total(
        client, waardering_year, consulent, login_fully):
    waardering_year.payout_young = PayoutForm.VOUCHER
    waardering_year.save()
    vouchers.add_codes(waardering_year, ["LEV-1", "LEV-2"])
    for n in range(2):
        approved(consulent, n, young=True)
    coordinator = login_fully(client, "coordinator")
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.VOUCHER, coordinator)

    page = client.get(reverse("appreciation:payout_list")).content.decode()

    cells = re.findall(r'<td class="num">([^<]*)</td>', page)
    # Waiting: bank 0 requests € 0,00, vouchers 0 requests € 0,00; then the batch.
    assert cells == ["0", "€ 0,00", "0", "€ 0,00", "2", "€ 150,00"]
    assert batch.message_id in page


def queries_for(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_the_overview_and_the_page_do_not_slow_down_with_more_requests(
        client, waardering_year, consulent, login_fully):
    """Thousands of requests in a batch: one query per row would make a download time out."""
    coordinator = login_fully(client, "coordinator")
    approved(consulent, 1)
    small = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    page = reverse("appreciation:payout_list")
    client.get(page)  # the first visit after signing in
    page_with_one_batch = queries_for(lambda: client.get(page))
    for n in range(2, 5):
        approved(consulent, n)
    big = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    payouts.mark_batch_paid(small, coordinator)
    AppreciationRequest.objects.update(account_holder="")  # the caregiver's name is used

    assert queries_for(lambda: payouts.batch_csv(big)) == queries_for(
        lambda: payouts.batch_csv(small))
    assert queries_for(lambda: client.get(page)) == page_with_one_batch


def test_the_sepa_file_carries_our_bic_payment_id_and_dutch_time(waardering_year, consulent,
                                                                  coordinator, settings):
    settings.PAYOUT_ACCOUNT = {**settings.PAYOUT_ACCOUNT, "bic": " abnanl2a "}
    approved(consulent, 1)
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    root = ET.fromstring(batch.export.open("rb").read())

    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.findtext("p:CreDtTm", namespaces=NS) == "2026-09-15T12:00:00"  # CEST
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:PmtInfId", namespaces=NS) == f"{batch.message_id}-1"
    assert info.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == "ABNANL2A"


def test_the_page_counts_only_this_years_approved_vouchers_still_without_a_code(
        client, waardering_year, consulent, login_fully):
    waardering_year.payout_young = PayoutForm.VOUCHER
    waardering_year.save()
    vouchers.add_codes(waardering_year, ["LEV-1"])
    approved(consulent, 1, young=True)  # got the one code
    approved(consulent, 2, young=True)  # waits for the next list
    approved(consulent, 3)  # an adult: money, no code needed
    not_yet = AppreciationRequestFactory(year=waardering_year, state=RequestState.INGEDIEND,
                                         payout_form=PayoutForm.VOUCHER, voucher_code="")
    last_year = AppreciationRequestFactory(year=AppreciationYearFactory(year=2025),
                                           state=RequestState.GOEDGEKEURD,
                                           payout_form=PayoutForm.VOUCHER, voucher_code="")
    assert not_yet.pk and last_year.pk
    login_fully(client, "coordinator")

    page = client.get(reverse("appreciation:payout_list")).content.decode()

    assert page.count("1 aanvraag wacht op een boncode en kan niet mee.") == 1
    assert "wachten op een boncode en kunnen niet mee" not in page


def test_a_character_a_bank_may_refuse_is_named_in_the_message_ten_at_most():
    # Eleven characters outside the basic Latin set, in a text and in an attribute.
    xml = ('<Document x="Ç"><Nm>Ayşe Wąs ł</Nm><Nm>ßéèêëñ</Nm><Ustrd>Hof &amp; Zn Ö</Ustrd>'
           '</Document>').encode()
    with pytest.raises(payouts.PaymentFileCharacters) as refused:
        payouts.check_sepa_characters(xml)
    # What the coordinator reads (the first ten, as code points: the names are not shown).
    assert str(refused.value) == (
        "Het betaalbestand bevat tekens die een bank kan weigeren: U+00C7 U+015F U+0105 "
        "U+0142 U+00DF U+00E9 U+00E8 U+00EA U+00EB U+00F1.")


def test_a_long_name_of_our_account_is_cut_to_what_the_bank_file_holds(
        waardering_year, consulent, coordinator, settings):
    name = "Stichting Servicepunt Mantelzorg en Vrijwilligerswerk van de Gemeente Ons Dorp"
    assert len(name) > payouts.SEPA_NAME_LENGTH == 70
    settings.PAYOUT_ACCOUNT = {**settings.PAYOUT_ACCOUNT, "name": name}
    approved(consulent, 1)

    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    root = ET.fromstring(batch.export.open("rb").read())
    for path in ("p:CstmrCdtTrfInitn/p:GrpHdr/p:InitgPty/p:Nm",
                 "p:CstmrCdtTrfInitn/p:PmtInf/p:Dbtr/p:Nm"):
        assert root.findtext(path, namespaces=NS) == name[:70].rstrip()


def test_a_long_name_of_the_payee_is_cut_to_what_the_bank_file_holds(
        waardering_year, consulent, coordinator):
    # Without a separate account holder the caregiver's own name is used, and first and
    # last name together can be longer than the 70 characters a bank file holds. That must
    # not stop the whole batch: the bank gets the first 70.
    request = approved(consulent, 1)
    Caregiver.objects.filter(pk=request.caregiver_id).update(
        first_name="Maria Johanna Wilhelmina Theodora", surname_prefix="van der",
        last_name="Heijden-Vanderbilt-Oosterhout")
    AppreciationRequest.objects.filter(pk=request.pk).update(account_holder="")
    name = Caregiver.objects.get(pk=request.caregiver_id).full_name
    assert len(name) > payouts.SEPA_NAME_LENGTH

    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    root = ET.fromstring(batch.export.open("rb").read())
    assert root.findtext("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:Cdtr/p:Nm",
                         namespaces=NS) == name[:70].rstrip()


def test_a_bank_batch_pays_no_voucher_even_one_with_an_iban_on_file(
        waardering_year, consulent, coordinator):
    # A request changed from bank to voucher keeps the IBAN it was sent with; paying it by
    # transfer as well would pay that caregiver twice.
    bank = approved(consulent, 1)
    voucher = approved(consulent, 2)
    AppreciationRequest.objects.filter(pk=voucher.pk).update(
        payout_form=PayoutForm.VOUCHER, voucher_code="BON-0001")
    assert AppreciationRequest.objects.get(pk=voucher.pk).iban

    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)

    assert list(batch.requests.values_list("pk", flat=True)) == [bank.pk]
    assert AppreciationRequest.objects.get(pk=voucher.pk).state == RequestState.GOEDGEKEURD


# Six requests sent at one moment, stored as 0…5; their caregivers were registered in
# another order, and their rows were last written in a third. Reading the table, reading it
# backwards (a hash join does), or by the caregiver (an index does) all differ from 0…5.
CAREGIVER_OF = [3, 5, 1, 4, 0, 2]
WRITTEN_LAST = [2, 0, 4, 1, 5, 3]


def test_requests_sent_at_the_same_moment_are_paid_in_the_order_they_were_stored(
        waardering_year, coordinator):
    """The bank file and every later download list payments in one order: by the moment
    sent, then the order stored, whatever order PostgreSQL happens to hold the rows in.
    With many requests it reads the table without the index that has the order; here it
    is told to read so."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    caregivers = [CaregiverFactory(first_name=f"Kees{n}") for n in range(6)]
    sent = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC)
    stored = [AppreciationRequestFactory(year=waardering_year, caregiver=caregivers[n],
                                         state=RequestState.GOEDGEKEURD, submitted_at=sent)
              for n in CAREGIVER_OF]
    write_again(stored)
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    in_the_bank_file = [node.text for node in ET.fromstring(batch.export.read()).iterfind(
        ".//p:EndToEndId", NS)]
    write_again(stored)  # after the batch too: a second download keeps the order

    rows = list(csv.reader(io.StringIO(payouts.batch_csv(batch).decode("utf-8-sig")),
                           delimiter=";"))

    assert in_the_bank_file == [request.end_to_end_id for request in stored]
    assert [row[0] for row in rows[1:]] == [request.reference for request in stored]


def write_again(requests):
    """Each row written anew, as it was, in the order WRITTEN_LAST: PostgreSQL then holds
    them in that order."""
    for n in WRITTEN_LAST:
        AppreciationRequest.objects.filter(pk=requests[n].pk).update(
            submitted_at=F("submitted_at"))
