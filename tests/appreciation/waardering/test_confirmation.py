"""Issue 14, item 1: a waardering request made with a caregiver's typed details (not signed
in) waits until the caregiver confirms it through their own channel on file: a link by
e-mail or a code by letter, single use, expiring, rate limited. A differing name and a new
IBAN against last year's are failed checks, so bulk approval skips them; approving an
unconfirmed request is refused by the state machine itself."""

import datetime
import re

import pytest
from django.core import mail
from django_fsm import TransitionNotAllowed

from appreciation.models import (
    AgeGroup,
    AppreciationLetter,
    AppreciationRequest,
    PayoutForm,
    RequestState,
    Route,
)
from appreciation.waardering import confirmation, services
from core import clock
from registrations.models import Caregiver, Channel
from registrations.signals import caregivers_erased
from tests.factories import AppreciationYearFactory, CaregiverFactory
from tests.support import OTHER_IBAN, VALID_IBAN, caregiver_details, request_data, submit
from worker.letters import letter_html
from worker.models import Letter, LetterStatus
from worker.services import dispatch_queued_letters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]

CONFIRM = "/waardering/bevestigen"
WRONG = "Deze code klopt niet, is al gebruikt of is verlopen."


@pytest.fixture
def riet(db):
    """A registered caregiver (Riet Bakker, 02-01-1950, 3845 AB 12a, e-mail confirmed)."""
    return CaregiverFactory(complete=True)


def stranger_asks_for(caregiver, iban=OTHER_IBAN, **typed):
    """Someone who knows the caregiver's date of birth and address asks, not signed in,
    with their own name, e-mail address and bank account."""
    details = caregiver_details(**{
        "first_name": "Karel", "last_name": "Klever", "date_of_birth": caregiver.date_of_birth,
        "postcode": caregiver.postcode, "house_number": caregiver.house_number,
        "email": "karel@example.com", **typed})
    return submit(request_data(caregiver=details, iban=iban))


def the_code_sent(request) -> str:
    """Send what is queued; the code in the one confirmation e-mail."""
    dispatch_queued_letters()
    [message] = [m for m in mail.outbox if "voor u aangevraagd" in m.subject]
    match = re.search(r"vul deze code in: ([A-Z0-9]{4}-[A-Z0-9]{4})", message.body)
    assert match, message.body
    return match.group(1)


def test_typed_details_of_a_registered_caregiver_cannot_be_approved_before_they_confirm(
        riet, consulent, coordinator, waardering_year):
    """Regression: the request was stored as confirmed by the caregiver with the stranger's
    IBAN, every check green, and bulk approval paid it."""
    request = stranger_asks_for(riet)
    assert request.caregiver_id == riet.pk and request.iban == OTHER_IBAN
    assert request.caregiver_confirmed_at is None and request.needs_confirmation
    assert not request.checks_passed
    assert {"confirmed", "name"} <= {c["code"] for c in request.failed_checks()}
    assert services.bulk_approve([request.pk], coordinator) == (0, 1)
    with pytest.raises(TransitionNotAllowed):
        services.approve(request, consulent)
    request.refresh_from_db()
    assert request.state == RequestState.INGEDIEND and request.decided_at is None


def test_the_code_goes_to_the_caregivers_own_address_never_to_the_typed_one(riet,
                                                                         waardering_year):
    request = stranger_asks_for(riet)
    code = the_code_sent(request)
    [message] = mail.outbox
    assert message.to == [riet.email] and "karel@example.com" not in message.to
    assert f"/waardering/bevestigen?code={code}" in message.body
    assert "met uw geboortedatum en adres" in message.body and request.reference in message.body
    assert not Letter.objects.filter(kind=AppreciationLetter.WAARDERING_RECEIPT).exists()
    assert code not in request.confirm_code_hash + request.confirm_nonce  # only derived


def test_the_caregiver_confirms_with_the_link_once(client, riet, consulent, waardering_year):
    request = stranger_asks_for(riet, iban=VALID_IBAN, first_name="Riet", last_name="Bakker")
    code = the_code_sent(request)
    page = client.get(f"{CONFIRM}?code={code}")
    assert page.status_code == 200 and f'value="{code}"' in page.content.decode()
    request.refresh_from_db()
    assert request.caregiver_confirmed_at is None  # opening the link confirms nothing
    shown = client.post(CONFIRM, {"code": code.lower().replace("-", " ")})
    assert "U heeft de aanvraag bevestigd" not in shown.content.decode()
    request.refresh_from_db()
    assert request.caregiver_confirmed_at is None  # the valid code shows the account first
    done = client.post(CONFIRM, {"code": code.lower().replace("-", " "), "bevestigen": "ja"})
    assert done.status_code == 200
    assert "U heeft de aanvraag bevestigd" in done.content.decode()
    request.refresh_from_db()
    assert request.caregiver_confirmed_at is not None and request.checks_passed
    assert request.confirm_code_hash == "" and request.confirm_expires_at is None
    assert WRONG in client.post(CONFIRM, {"code": code}).content.decode()  # single use
    again = client.post(CONFIRM, {"code": code, "bevestigen": "ja"}).content.decode()
    assert WRONG in again
    services.approve(request, consulent)  # confirmed: the consulent may decide


def test_a_wrong_or_expired_code_gets_a_dutch_message_next_to_the_field(client, riet,
                                                                        waardering_day,
                                                                        waardering_year):
    request = stranger_asks_for(riet)
    code = the_code_sent(request)
    html = client.post(CONFIRM, {"code": "ABCD-EFGH"}).content.decode()
    assert WRONG in re.search(r'id="id_code_error">(.*?)</p>', html, re.S).group(1)
    assert 'value="ABCD-EFGH"' in html and 'aria-invalid="true"' in html
    empty = client.post(CONFIRM, {"code": ""}).content.decode()
    assert "Vul de code uit de e-mail of brief in." in empty
    waardering_day.move_to(datetime.datetime(2026, 10, 28, 12, 0))  # 15-09 + 42 days, past
    assert WRONG in client.post(CONFIRM, {"code": code}).content.decode()
    request.refresh_from_db()
    assert request.caregiver_confirmed_at is None


def test_a_code_works_until_the_moment_it_expires_and_once(riet, waardering_day,
                                                          waardering_year):
    request = stranger_asks_for(riet)
    code = confirmation.code_for(request)
    expires = request.confirm_expires_at
    assert expires == clock.now() + datetime.timedelta(days=42)  # the clock stands still
    waardering_day.move_to(expires)
    assert services.waiting_for_code(code) is None
    assert services.confirm_with_code(code) is None
    waardering_day.move_to(expires - datetime.timedelta(microseconds=1))
    assert services.waiting_for_code(code).pk == request.pk
    assert services.confirm_with_code(code.lower().replace("-", " ")).pk == request.pk
    assert services.confirm_with_code(code) is None  # used
    request.refresh_from_db()
    assert request.caregiver_confirmed_at is not None


def test_guessing_codes_is_rate_limited(client, riet, settings, waardering_year):
    settings.RATELIMIT_FORM_PER_IP = 5
    stranger_asks_for(riet)
    for n in range(5):
        assert client.post(CONFIRM, {"code": f"AAAA-AAA{n + 2}"}).status_code == 200
    assert client.post(CONFIRM, {"code": "AAAA-AAAZ"}).status_code == 429


def test_codes_are_unguessable_and_a_new_one_replaces_the_old(riet, consulent, waardering_year):
    request = stranger_asks_for(riet)
    first = confirmation.code_for(request)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", first)
    services.ask_confirmation_again(request, consulent)
    request.refresh_from_db()
    second = confirmation.code_for(request)
    assert second != first
    assert services.confirm_with_code(first) is None
    assert services.confirm_with_code(second).pk == request.pk
    assert Letter.objects.filter(kind=AppreciationLetter.WAARDERING_CONFIRM).count() == 2


def test_without_e_mail_the_code_goes_by_letter_to_the_registered_address(waardering_year,
                                                                         tmp_path):
    bram = CaregiverFactory(complete=True, first_name="Bram", email="", channel=Channel.POST,
                            email_confirmed_at=None, date_of_birth=datetime.date(1960, 5, 5))
    request = stranger_asks_for(bram)
    dispatch_queued_letters()
    letter = Letter.objects.get(kind=AppreciationLetter.WAARDERING_CONFIRM)
    assert letter.status == LetterStatus.TO_PRINT and letter.channel == "post"
    html = letter_html(letter)
    assert confirmation.code_for(request) in html and bram.street in html
    assert "/waardering/bevestigen" in html and not mail.outbox


def test_the_letter_and_the_confirm_page_say_where_the_money_goes(client, riet,
                                                                  waardering_year):
    """Regression (issue 14 review, item 4): the e-mail, the paper letter and the confirm
    page did not say which account the money goes to, so a caregiver confirmed a stranger's
    request with the stranger's IBAN. Now they show its last 4 digits and the holder (never
    the whole IBAN), with "Klopt dit niet? Bevestig dan niet en bel ons."; a wrong code
    shows nothing of the account."""
    request = stranger_asks_for(riet, iban=OTHER_IBAN)
    code = the_code_sent(request)
    [message] = mail.outbox
    shown = f"rekening eindigend op •• {OTHER_IBAN[-4:]}, op naam van R. Bakker"
    warning = "Klopt dit niet? Bevestig dan niet en bel ons"
    assert shown in message.body and warning in message.body
    html = letter_html(Letter.objects.get(kind=AppreciationLetter.WAARDERING_CONFIRM))
    assert shown in html and warning in html
    for text in (message.body, html):
        assert OTHER_IBAN not in text and OTHER_IBAN[-10:] not in text

    assert shown not in client.post(CONFIRM, {"code": "ABCD-EFGH"}).content.decode()
    assert shown not in client.get(f"{CONFIRM}?code={code}").content.decode()
    page = client.post(CONFIRM, {"code": code}).content.decode()
    assert shown in page and warning in page and OTHER_IBAN[-10:] not in page
    assert page.index(shown) < page.index("Aanvraag bevestigen</button>")
    request.refresh_from_db()
    assert request.caregiver_confirmed_at is None


def test_a_signed_in_caregiver_can_confirm_in_mijn_gegevens(client, riet, sign_in,
                                                            waardering_year):
    request = stranger_asks_for(riet)
    sign_in(client, riet)
    page = client.get("/mijn-gegevens/waardering/").content.decode()
    assert "aangevraagd zonder in te loggen" in page
    client.post(f"/mijn-gegevens/waardering/{request.pk}/bevestigen")
    request.refresh_from_db()
    assert request.caregiver_confirmed_at is not None and request.confirm_code_hash == ""


def test_signed_in_and_new_caregivers_need_no_confirmation(riet, waardering_year):
    signed_in = submit(request_data(), caregiver=riet)
    assert signed_in.caregiver_confirmed_at is not None and not signed_in.needs_confirmation
    newcomer = submit(request_data(caregiver=caregiver_details(
        date_of_birth=datetime.date(1970, 7, 7))))
    assert newcomer.caregiver_was_unknown and newcomer.caregiver_confirmed_at is not None
    assert "confirmed" not in {c["code"] for c in newcomer.checks}


def previous_year_request(caregiver, iban, state=RequestState.GOEDGEKEURD):
    last_year = AppreciationYearFactory(year=2025)
    return AppreciationRequest.objects.create(
        year=last_year, caregiver=caregiver, route=Route.SELF, state=state,
        recipient_name="Henk Bakker", recipient_postcode="3845AB", recipient_house_number="12",
        hours_per_week=20, care_since=datetime.date(2019, 3, 1), age_group=AgeGroup.ADULT,
        payout_form=PayoutForm.BANK, amount_cents=7500, iban=iban,
        submitted_at=datetime.datetime(2025, 9, 10, 10, 0, tzinfo=datetime.UTC))


@pytest.mark.parametrize("iban, ok", [(VALID_IBAN, True), (OTHER_IBAN, False)])
def test_an_iban_other_than_last_years_is_a_failed_check(riet, waardering_year, iban, ok):
    """Regression: a new account for a caregiver paid before passed every check."""
    previous_year_request(riet, VALID_IBAN)
    request = submit(request_data(iban=iban), caregiver=riet)  # signed in: confirmed
    [check] = [c for c in request.checks if c["code"] == "iban_previous"]
    assert check["ok"] is ok and request.checks_passed is ok
    if not ok:
        assert "4300" in check["detail"] and VALID_IBAN not in check["detail"]


@pytest.mark.parametrize("typed, ok", [(("riet ", "BAKKER"), True), (("Riët", "Bakker"), True),
                                       (("Karel", "Bakker"), False)])
def test_a_typed_name_other_than_the_one_on_file_is_a_failed_check(riet, waardering_year,
                                                                   typed, ok):
    first, last = typed
    request = stranger_asks_for(riet, first_name=first, last_name=last)
    [check] = [c for c in request.checks if c["code"] == "name"]
    assert check["ok"] is ok
    assert "Karel" not in str(request.checks)  # no names kept in the checks
    assert request.typed_name == f"{first.strip()} {last}"


def test_erasure_removes_the_typed_name_and_the_code(riet, waardering_year):
    request = stranger_asks_for(riet)
    caregivers_erased.send(sender=Caregiver, caregiver_ids=Caregiver.objects.filter(pk=riet.pk)
                           .values("pk"))
    request.refresh_from_db()
    assert (request.typed_name, request.confirm_nonce, request.confirm_code_hash) == ("", "", "")


def test_the_consulent_sees_why_and_can_send_a_new_code(as_consulent, riet, waardering_year):
    request = stranger_asks_for(riet)
    old_code = confirmation.code_for(request)
    page = as_consulent.get(f"/backoffice/waardering/{request.pk}/").content.decode()
    assert "Deze aanvraag is gedaan zonder in te loggen" in page
    assert "Karel Klever" in page and "Nieuwe code sturen" in page
    assert f'action="/backoffice/waardering/{request.pk}/goedkeuren/"' not in page
    response = as_consulent.post(f"/backoffice/waardering/{request.pk}/nieuwe-code/",
                                 {"expected_state": request.state})
    assert response.status_code == 302
    request.refresh_from_db()
    assert confirmation.code_for(request) not in ("", old_code)
    assert Letter.objects.filter(kind=AppreciationLetter.WAARDERING_CONFIRM).count() == 2
