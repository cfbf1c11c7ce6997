"""Asking again next year in one step (issue 19): who received last year's waardering is
invited once when the window opens, and confirms a prefilled request (same naaste, "Ik zorg
nog steeds voor …", the account's last 4 digits) with one button. The request is a normal
one: every check and this year's rules apply. Wrong, replayed, late or foreign codes and
ended registrations get a Dutch page and store nothing."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from appreciation.models import (
    AppreciationLetter,
    AppreciationRequest,
    RenewalInvitation,
    RequestState,
    Route,
)
from appreciation.tasks import invite_waardering_renewals
from appreciation.waardering import renewal
from core.logredact import redact
from registrations.models import CareEndReason, Caregiver, Channel, State
from tests.factories import AppreciationRequestFactory, AppreciationYearFactory, CaregiverFactory
from tests.support import OTHER_IBAN
from worker.letters import letter_html
from worker.models import Letter
from worker.services import dispatch_queued_letters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]

PAGE = "/waardering/opnieuw"


@pytest.fixture
def last_year(db):
    return AppreciationYearFactory(year=2025)


def received(last_year, state=RequestState.UITBETAALD, **caregiver):
    """Last year's request of an active caregiver (Riet, for Henk), paid unless told."""
    return AppreciationRequestFactory(year=last_year, state=state,
                                      caregiver=CaregiverFactory(**caregiver),
                                      submitted_at=datetime.datetime(
                                          2025, 9, 10, 10, 0, tzinfo=datetime.UTC))


@pytest.fixture
def invitation(waardering_year, last_year):
    received(last_year)
    assert renewal.send_invitations() == 1
    return RenewalInvitation.objects.get()


def code_of(invitation) -> str:
    return renewal.code_for(invitation)


def confirm(client, code, **extra):
    return client.post(PAGE, {"code": code, "stap": "bevestigen", **extra})


# --- who is invited ----------------------------------------------------------------------

def test_last_years_recipients_are_invited_once(waardering_year, last_year):
    paid = received(last_year)
    approved = received(last_year, state=RequestState.GOEDGEKEURD, first_name="Ans",
                        date_of_birth=datetime.date(1951, 1, 1))
    in_batch = received(last_year, state=RequestState.IN_BETAALBATCH, first_name="Bep",
                        date_of_birth=datetime.date(1952, 1, 1))

    assert invite_waardering_renewals() == 3
    assert invite_waardering_renewals() == 0  # the daily job again: nobody twice

    invited = set(RenewalInvitation.objects.values_list("caregiver_id", flat=True))
    assert invited == {paid.caregiver_id, approved.caregiver_id, in_batch.caregiver_id}
    letters = Letter.objects.filter(kind=AppreciationLetter.WAARDERING_RENEWAL)
    assert sorted(letters.values_list("caregiver_id", flat=True)) == sorted(invited)


@pytest.mark.parametrize("state", [RequestState.AFGEWEZEN, RequestState.INGETROKKEN,
                                   RequestState.INGEDIEND, RequestState.AANVULLING_NODIG])
def test_who_did_not_receive_it_last_year_is_not_invited(waardering_year, last_year, state):
    fields = {"rejection_reason": "anders"} if state == RequestState.AFGEWEZEN else {}
    AppreciationRequestFactory(year=last_year, state=state, **fields)
    assert renewal.send_invitations() == 0


def test_nobody_is_invited_whose_registration_is_not_active(waardering_year, last_year):
    received(last_year, state=RequestState.UITBETAALD, former=True)
    received(last_year, first_name="Ans", date_of_birth=datetime.date(1951, 1, 1), ended=True)
    assert renewal.send_invitations() == 0


def test_who_already_asked_this_year_is_not_invited(waardering_year, last_year):
    previous = received(last_year)
    AppreciationRequestFactory(year=waardering_year, caregiver=previous.caregiver)
    assert renewal.send_invitations() == 0


def test_a_request_withdrawn_this_year_does_not_stop_the_invitation(waardering_year,
                                                                   last_year):
    previous = received(last_year)
    AppreciationRequestFactory(year=waardering_year, caregiver=previous.caregiver,
                               state=RequestState.INGETROKKEN)
    assert renewal.send_invitations() == 1


def test_no_invitations_outside_the_window_or_when_the_year_says_no(waardering_year,
                                                                    last_year):
    received(last_year)
    assert renewal.send_invitations(datetime.date(2026, 12, 1)) == 0  # window closed
    waardering_year.invite_last_years_recipients = False
    waardering_year.save()
    assert renewal.send_invitations() == 0
    assert not RenewalInvitation.objects.exists()


def test_only_last_years_requests_count(waardering_year):
    two_years_ago = AppreciationYearFactory(year=2024)
    received(two_years_ago)
    assert renewal.send_invitations() == 0


# --- the invitation letter ---------------------------------------------------------------

def test_the_email_links_to_the_page_with_the_code(invitation):
    dispatch_queued_letters()
    [message] = [m for m in mail.outbox if "opnieuw aanvragen" in m.subject]
    assert message.subject == "Mantelzorgwaardering 2026: opnieuw aanvragen in één stap"
    code = code_of(invitation)
    assert f"{PAGE}?code={code}" in message.body
    assert "Naaste: Henk Bakker" in message.body and "Rekening eindigend op 4300" in message.body
    assert "NL91ABNA0417164300" not in message.body
    assert invitation.nonce not in message.body and invitation.code_hash not in message.body


def test_the_paper_letter_prints_the_code_to_type(waardering_year, last_year):
    received(last_year, channel=Channel.POST)
    renewal.send_invitations()
    letter = Letter.objects.get(kind=AppreciationLetter.WAARDERING_RENEWAL)
    html = letter_html(letter)
    code = code_of(RenewalInvitation.objects.get())
    assert code in html and f"?code={code}" not in html
    assert "de naaste is Henk Bakker" in html


def test_a_young_caregiver_is_written_to_with_je(waardering_year, last_year):
    previous = received(last_year, first_name="Sem", date_of_birth=datetime.date(2005, 1, 1))
    assert previous.caregiver.is_young()
    renewal.send_invitations()
    dispatch_queued_letters()
    [message] = mail.outbox
    assert message.body.startswith("Hoi Sem,")
    assert "Je kreeg vorig jaar" in message.body and " u " not in message.body


# --- the page ------------------------------------------------------------------------------

def test_opening_the_link_shows_the_prefilled_request_and_stores_nothing(client, invitation):
    response = client.get(PAGE, {"code": code_of(invitation)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ik zorg nog steeds voor Henk Bakker" in page
    assert "eindigend op 4300, op naam van R. Bakker" in page
    assert "NL91ABNA0417164300" not in page and "€ 75,00 op de bankrekening" in page
    assert not AppreciationRequest.objects.filter(year=invitation.year).exists()


def test_one_button_makes_a_normal_request_the_consulent_sees(client, invitation, as_consulent):
    code = code_of(invitation)
    response = confirm(client, code.lower().replace("-", " "), still_caring="on")
    assert response.status_code == 200
    request = AppreciationRequest.objects.get(year=invitation.year)
    assert request.reference in response.content.decode()
    previous = invitation.previous
    assert (request.caregiver_id, request.route, request.recipient_name,
            request.recipient_postcode, request.recipient_house_number,
            request.hours_per_week, request.care_since, request.iban,
            request.account_holder) == (
        previous.caregiver_id, Route.SELF, "Henk Bakker", "3845AB", "12", 20,
        datetime.date(2019, 3, 1), "NL91ABNA0417164300", "R. Bakker")
    assert request.caregiver_confirmed_at is not None and not request.needs_confirmation
    assert request.state == RequestState.INGEDIEND and request.checks_passed
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.request_id == request.pk
    assert Letter.objects.filter(kind=AppreciationLetter.WAARDERING_RECEIPT,
                                 about_id=request.pk).exists()
    detail = as_consulent.get(reverse("appreciation:review_detail", args=[request.pk]))
    assert "met de uitnodiging om opnieuw aan te vragen (zelfde naaste als in 2025)" in (
        detail.content.decode())


def test_without_the_tick_nothing_is_stored_and_the_page_says_why(client, invitation):
    response = confirm(client, code_of(invitation), iban="NL20 INGB 0001 2345 67",
                       account_holder="R. Bakker-Jansen")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Zet een vinkje als u nog steeds voor Henk Bakker zorgt." in page
    assert 'value="NL20 INGB 0001 2345 67"' in page and 'value="R. Bakker-Jansen"' in page
    assert not AppreciationRequest.objects.filter(year=invitation.year).exists()
    assert RenewalInvitation.objects.get().used_at is None


def test_a_new_account_number_is_used(client, invitation):
    confirm(client, code_of(invitation), still_caring="on", iban="nl20 ingb 0001 2345 67",
            account_holder="R. Bakker-Jansen")
    request = AppreciationRequest.objects.get(year=invitation.year)
    assert (request.iban, request.account_holder) == (OTHER_IBAN, "R. Bakker-Jansen")
    checks = {check["code"]: check for check in request.checks}
    assert checks["iban_previous"]["ok"] is False  # the consulent sees the account changed


@pytest.mark.parametrize("fields, field, message", [
    ({"iban": "NL00 ABNA 0000 0000 00", "account_holder": "R. Bakker"}, "iban",
     "Dit rekeningnummer klopt niet."),
    ({"iban": "NL20INGB0001234567"}, "account_holder", "Vul de naam in."),
])
def test_a_wrong_new_account_gets_a_message_next_to_the_field(client, invitation, fields, field,
                                                              message):
    response = confirm(client, code_of(invitation), still_caring="on", **fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*'
                     rf'id="id_{field}"', page)
    assert not AppreciationRequest.objects.filter(year=invitation.year).exists()


def test_a_replayed_code_gets_a_page_and_stores_nothing_more(client, invitation):
    code = code_of(invitation)
    confirm(client, code, still_caring="on")
    again = confirm(client, code, still_caring="on")
    assert again.status_code == 409
    assert "Deze uitnodiging is al gebruikt." in again.content.decode()
    assert client.get(PAGE, {"code": code}).status_code == 409
    assert AppreciationRequest.objects.filter(year=invitation.year).count() == 1


@pytest.mark.parametrize("code", ["", "ABCD-EFGH-JKLM", "x" * 500, "<script>", "' OR 1=1 --"])
def test_a_wrong_or_made_up_code_gets_a_message_next_to_the_field(client, invitation, code):
    response = confirm(client, code, still_caring="on")
    assert response.status_code == 400
    page = response.content.decode()
    assert ("Vul de code uit de brief of e-mail in." in page if not code
            else "Deze code klopt niet." in page)
    assert "Henk Bakker" not in page
    assert not AppreciationRequest.objects.filter(year=invitation.year).exists()


def test_a_code_of_another_installation_does_not_work(client, invitation, settings):
    code = code_of(invitation)
    settings.SECRET_KEY = "een-andere-sleutel-" + "x" * 40
    assert confirm(client, code, still_caring="on").status_code == 400
    assert not AppreciationRequest.objects.filter(year=invitation.year).exists()


def test_after_the_window_the_code_no_longer_works(client, invitation, waardering_day):
    waardering_day.move_to(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC))
    response = confirm(client, code_of(invitation), still_caring="on")
    assert response.status_code == 409
    assert "De aanvraagperiode van 2026 is voorbij." in response.content.decode()
    assert not AppreciationRequest.objects.filter(year=invitation.year).exists()


def test_an_ended_registration_gets_a_page(client, invitation):
    Caregiver.objects.filter(pk=invitation.caregiver_id).update(
        state=State.BEEINDIGD, ended_on=datetime.date(2026, 9, 14), end_reason="eigen_verzoek")
    response = confirm(client, code_of(invitation), still_caring="on")
    assert response.status_code == 409
    assert "Uw inschrijving bij het Servicepunt Mantelzorg is gestopt." in (
        response.content.decode())
    assert not AppreciationRequest.objects.filter(year=invitation.year).exists()


def test_a_former_caregiver_is_sent_to_the_normal_form(client, invitation):
    Caregiver.objects.filter(pk=invitation.caregiver_id).update(
        state=State.VOORMALIG, care_ended_on=datetime.date(2026, 8, 1),
        care_end_reason=CareEndReason.OVERLIJDEN)
    response = client.get(PAGE, {"code": code_of(invitation)})
    assert response.status_code == 409
    assert "Naar het gewone formulier" in response.content.decode()


def test_asked_meanwhile_through_the_form_gets_a_page(client, invitation):
    AppreciationRequestFactory(year=invitation.year, caregiver=invitation.caregiver)
    response = confirm(client, code_of(invitation), still_caring="on")
    assert response.status_code == 409
    assert "U heeft de waardering van 2026 al aangevraagd." in response.content.decode()
    assert AppreciationRequest.objects.filter(year=invitation.year).count() == 1


def test_this_years_rules_still_apply(client, invitation):
    """The year asks more hours than last year's answer: refused with the reason, nothing
    stored, the invitation still usable (after a call the consulent can help)."""
    invitation.year.min_hours_per_week = 24
    invitation.year.save()
    response = confirm(client, code_of(invitation), still_caring="on")
    assert response.status_code == 400
    assert ("De waardering is voor mantelzorgers die minstens 24 uur per week zorgen."
            in response.content.decode())
    assert not AppreciationRequest.objects.filter(year=invitation.year).exists()
    assert RenewalInvitation.objects.get().used_at is None


def test_without_last_years_account_a_new_one_is_required(client, waardering_year, last_year):
    received(last_year)
    AppreciationRequest.objects.update(iban="", account_holder="")
    renewal.send_invitations()
    invitation = RenewalInvitation.objects.get()
    page = client.get(PAGE, {"code": code_of(invitation)}).content.decode()
    assert "Vul daarom uw rekeningnummer in." in page
    response = confirm(client, code_of(invitation), still_caring="on")
    assert response.status_code == 400
    assert "Vul het rekeningnummer (IBAN) in." in response.content.decode()
    assert not AppreciationRequest.objects.filter(year=waardering_year).exists()


def test_the_page_without_a_code_asks_for_it(client, waardering_year):
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Vul de code hieronder in." in page.content.decode()


def test_the_code_in_the_link_never_reaches_the_logs(invitation):
    code = code_of(invitation)
    assert redact(f"GET {PAGE}?code={code} HTTP/1.1") == f"GET {PAGE}?code=[code] HTTP/1.1"
