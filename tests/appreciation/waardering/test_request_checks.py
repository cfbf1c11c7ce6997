"""The automatic checks a consulent reads on a waardering request (request_checks.py): each
rule exactly at and one past its boundary, who counts as a duplicate or towards a cap (and
who does not: withdrawn requests, last year's, other people and other addresses), the IBAN
checks, and which caregivers count as registered.

Requests are stored directly (the submission would refuse most of these) and checked again
as a consulent's "check again" does; the tests read the outcome stored on the request.
"""

import datetime

import pytest

from appreciation.models import AppreciationRequest, PayoutForm, RequestState, Route
from appreciation.waardering import services
from registrations.models import State
from tests.factories import AppreciationRequestFactory, AppreciationYearFactory, CaregiverFactory
from tests.support import OTHER_IBAN, VALID_IBAN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]

EVERY_CHECK = ["hours", "duration", "residence", "duplicate", "iban", "registered"]


def outcome(request: AppreciationRequest) -> tuple[dict[str, dict], set[str]]:
    """After a consulent's "check again": every check shown, by code, and the codes shown
    in red. Bulk approval takes the request only when none is red."""
    request = services.recheck(request)
    shown = {check["code"]: check for check in request.checks}
    red = {check["code"] for check in request.failed_checks()}
    assert request.checks_passed is (not red)
    return shown, red


@pytest.fixture
def riet(db):
    """The caregiver under review: born 2 January 1950, Lindenlaan 12, 3845AB, active."""
    return CaregiverFactory()


def ask(year, caregiver, **fields) -> AppreciationRequest:
    return AppreciationRequestFactory(year=year, caregiver=caregiver, **fields)


def someone(n: int, **fields):
    """Another registered caregiver (a different birth date unless given)."""
    fields.setdefault("date_of_birth", datetime.date(1960, 1, 1) + datetime.timedelta(days=n))
    return CaregiverFactory(first_name=f"Kees{n}", **fields)


def last_year():
    return AppreciationYearFactory(year=2025)


# --- a request that meets every rule -----------------------------------------------------

def test_a_request_that_meets_every_rule_passes_every_check_and_nothing_more(
        riet, waardering_year):
    """Signed in, known, confirmed, alone this year, no caps set: the consulent sees the six
    checks in reading order, all green, and no name, registration or confirmation check."""
    request = services.recheck(ask(waardering_year, riet))
    assert [check["code"] for check in request.checks] == EVERY_CHECK
    assert all(check["ok"] for check in request.checks) and request.checks_passed


# --- hours, duration, residence: exactly at and one past each boundary -------------------

@pytest.mark.parametrize("hours, ok", [(8, True), (7, False)])
def test_at_least_eight_hours_a_week(riet, waardering_year, hours, ok):
    check = outcome(ask(waardering_year, riet, hours_per_week=hours))[0]["hours"]
    assert check["ok"] is ok
    assert check["label"] == "Minstens 8 uur zorg per week"
    assert check["detail"] == f"Opgegeven: {hours} uur"


@pytest.mark.parametrize("submitted_on, care_since, ok", [
    (datetime.date(2026, 9, 15), datetime.date(2026, 6, 15), True),   # three months exactly
    (datetime.date(2026, 9, 15), datetime.date(2026, 6, 16), False),  # one day short
    # Judged on the day it was submitted, not on the day the consulent checks again.
    (datetime.date(2026, 9, 1), datetime.date(2026, 6, 2), False),
    (datetime.date(2026, 9, 1), datetime.date(2026, 6, 1), True),
])
def test_caring_for_at_least_three_months_on_the_day_of_the_request(
        riet, waardering_year, submitted_on, care_since, ok):
    submitted_at = datetime.datetime.combine(submitted_on, datetime.time(10, 0),
                                             tzinfo=datetime.UTC)
    request = ask(waardering_year, riet, care_since=care_since, submitted_at=submitted_at)
    check = outcome(request)[0]["duration"]
    assert check["ok"] is ok and check["label"] == "Zorgt minstens 3 maanden"
    assert check["detail"] == f"Zorgt sinds {care_since:%d-%m-%Y}"


@pytest.mark.parametrize("postcode, ok", [("3840AA", True), ("3849ZZ", True),
                                          ("3839ZZ", False), ("3850AA", False)])
def test_the_naaste_lives_in_the_municipality(riet, waardering_year, postcode, ok):
    check = outcome(ask(waardering_year, riet, recipient_postcode=postcode))[0][
        "residence"]
    assert check["ok"] is ok and check["detail"] == f"Postcode naaste: {postcode}"


# --- duplicates: someone with the same birth date and address, this year ---------------

def _twin(n=1):
    """Riet registered a second time (a consulent's intake, say): same birth date and
    address, another record."""
    return CaregiverFactory(first_name=f"Riet{n}")


def _twins_request(year, riet):
    ask(year, _twin())


def _twins_rejected_request(year, riet):
    ask(year, _twin(), state=RequestState.AFGEWEZEN, rejection_reason="te_kort")


def _twins_approved_request(year, riet):
    ask(year, _twin(), state=RequestState.GOEDGEKEURD)


def _her_own_withdrawn_request(year, riet):
    ask(year, riet, state=RequestState.INGETROKKEN)


def _twins_withdrawn_request(year, riet):
    ask(year, _twin(), state=RequestState.INGETROKKEN)


def _twins_request_last_year(year, riet):
    ask(last_year(), _twin(), state=RequestState.UITBETAALD)


def _her_own_request_last_year(year, riet):
    ask(last_year(), riet, state=RequestState.UITBETAALD)


def _same_address_other_birth_date(year, riet):
    ask(year, someone(1))


def _same_birth_date_other_postcode(year, riet):
    ask(year, _twin_at(postcode="3846CD"))


def _same_birth_date_and_postcode_other_house_number(year, riet):
    ask(year, _twin_at(house_number="14"))


def _same_birth_date_and_address_spelt_otherwise(year, riet):
    ask(year, _twin_at(house_number=" 12 "))


def _twin_at(**address):
    return CaregiverFactory(first_name="Riet2", **address)


@pytest.mark.parametrize("other, flagged", [
    (_twins_request, True),
    (_twins_rejected_request, True),
    (_twins_approved_request, True),
    (_same_birth_date_and_address_spelt_otherwise, True),
    (_her_own_withdrawn_request, False),
    (_twins_withdrawn_request, False),
    (_twins_request_last_year, False),
    (_her_own_request_last_year, False),
    (_same_address_other_birth_date, False),
    (_same_birth_date_other_postcode, False),
    (_same_birth_date_and_postcode_other_house_number, False),
], ids=lambda value: value.__name__.strip("_") if callable(value) else str(value))
def test_another_request_this_year_by_the_same_birth_date_and_address(
        riet, waardering_year, other, flagged):
    request = ask(waardering_year, riet)
    other(waardering_year, riet)
    shown, red = outcome(request)
    check = shown["duplicate"]
    assert check["ok"] is not flagged
    assert check["label"] == "Geen andere aanvraag dit jaar"
    assert check["detail"] == ("1 aanvraag van iemand met dezelfde geboortedatum "
                               "en hetzelfde adres" if flagged else "")
    assert ("duplicate" in red) is flagged


def test_two_other_requests_are_counted_in_the_detail(riet, waardering_year):
    request = ask(waardering_year, riet)
    ask(waardering_year, _twin(1))
    ask(waardering_year, _twin(2))
    assert outcome(request)[0]["duplicate"]["detail"] == (
        "2 aanvragen van iemand met dezelfde geboortedatum en hetzelfde adres")


# --- caps: per naaste, per address, per IBAN, at and one above --------------------------

HENK = dict(recipient_name="Henk Bakker", recipient_postcode="3845AB",
            recipient_house_number="12")


@pytest.mark.parametrize("others, flagged", [
    ([{}], False),                                               # the 2nd for Henk: at the cap
    ([{}, {}], True),                                            # the 3rd: one above
    ([{}, {"recipient_name": "HENK bakker", "recipient_house_number": "12 "}], True),
    ([{}, {"recipient_name": "Henk de Boer"}], False),
    ([{}, {"recipient_postcode": "3846CD"}], False),
    ([{}, {"recipient_house_number": "14"}], False),
    ([{}, {"state": RequestState.INGETROKKEN}], False),
])
def test_at_most_two_requests_per_naaste(riet, waardering_year, others, flagged):
    waardering_year.max_per_recipient = 2
    waardering_year.save()
    request = ask(waardering_year, riet)
    for n, fields in enumerate(others):
        ask(waardering_year, someone(n, postcode="3846CD"), **{**HENK, **fields})
    shown, red = outcome(request)
    check = shown["per_recipient"]
    assert check["ok"] is not flagged and check["label"] == "Hoogstens 2 per naaste"
    # The consulent reads the count even below the cap: the one other request for Henk
    # (the others do not count), or both when one more is.
    if flagged:
        assert check["detail"] == "Al 2 andere aanvragen voor deze naaste"
    else:
        assert check["detail"] == "Al 1 andere aanvraag voor deze naaste"
    assert ("per_recipient" in red) is flagged


@pytest.mark.parametrize("others, flagged", [
    ([{}], False),                                               # the 2nd at Lindenlaan 12
    ([{}, {}], True),                                            # the 3rd: one above
    ([{}, {"house_number": "12 "}], True),
    ([{}, {"postcode": "3846CD"}], False),
    ([{}, {"house_number": "14"}], False),
])
def test_at_most_two_requests_per_address(riet, waardering_year, others, flagged):
    waardering_year.max_per_address = 2
    waardering_year.save()
    request = ask(waardering_year, riet)
    for n, address in enumerate(others):
        ask(waardering_year, someone(n, **address),
            recipient_name=f"Naaste {n}")
    shown, red = outcome(request)
    check = shown["per_address"]
    assert check["ok"] is not flagged and check["label"] == "Hoogstens 2 per adres"
    if flagged:
        assert check["detail"] == "Al 2 andere aanvragen op dit adres"
    else:
        assert check["detail"] == "Al 1 andere aanvraag op dit adres"
    assert ("per_address" in red) is flagged


@pytest.mark.parametrize("others, flagged", [
    ([VALID_IBAN], False),                                       # two requests: the cap
    ([VALID_IBAN, VALID_IBAN], True),                            # three: one above
    ([VALID_IBAN, OTHER_IBAN], False),
])
def test_at_most_two_requests_on_one_account_number(riet, waardering_year, others, flagged):
    request = ask(waardering_year, riet)
    for n, iban in enumerate(others):
        ask(waardering_year, someone(n, postcode="3846CD"), iban=iban)
    shown, red = outcome(request)
    check = shown["iban"]
    assert check["ok"] is not flagged
    same = 1 + others.count(VALID_IBAN)
    assert check["detail"] == f"Dit rekeningnummer staat op {same} aanvragen"
    assert ("iban" in red) is flagged


def test_withdrawn_and_last_years_requests_do_not_count_towards_the_account_cap(
        riet, waardering_year):
    request = ask(waardering_year, riet)
    ask(waardering_year, someone(1), iban=VALID_IBAN)
    ask(waardering_year, someone(2), iban=VALID_IBAN, state=RequestState.INGETROKKEN)
    ask(last_year(), someone(3), iban=VALID_IBAN, state=RequestState.UITBETAALD)
    shown, red = outcome(request)
    assert "iban" not in red
    assert shown["iban"]["detail"] == "Dit rekeningnummer staat op 2 aanvragen"


def test_a_voucher_without_account_number_has_no_account_checks(riet, waardering_year):
    """Three young caregivers' vouchers: no account number, so nothing to count or compare,
    even when the caregiver was paid into an account last year."""
    ask(last_year(), riet, state=RequestState.UITBETAALD, iban=OTHER_IBAN)
    voucher = dict(iban="", account_holder="", payout_form=PayoutForm.VOUCHER)
    request = ask(waardering_year, riet, **voucher)
    ask(waardering_year, someone(1), **voucher)
    ask(waardering_year, someone(2), **voucher)
    shown, red = outcome(request)
    assert "iban" not in shown and "iban_previous" not in shown and red == set()


# --- the account number used last year ---------------------------------------------------

@pytest.mark.parametrize("state, compared", [
    (RequestState.GOEDGEKEURD, True),
    (RequestState.IN_BETAALBATCH, True),
    (RequestState.UITBETAALD, True),
    (RequestState.AFGEWEZEN, False),
    (RequestState.INGETROKKEN, False),
    (RequestState.INGEDIEND, False),
])
def test_a_new_account_number_is_flagged_only_against_an_approved_or_paid_one(
        riet, waardering_year, state, compared):
    extra = {"rejection_reason": "te_kort"} if state == RequestState.AFGEWEZEN else {}
    ask(last_year(), riet, state=state, iban=OTHER_IBAN, **extra)
    request = ask(waardering_year, riet, iban=VALID_IBAN)
    shown, red = outcome(request)
    assert ("iban_previous" in red) is compared
    if compared:
        check = shown["iban_previous"]
        assert check["label"] == "Zelfde rekeningnummer als vorig jaar"
        assert check["detail"] == "In 2025 eindigde het rekeningnummer op 4567."
    else:
        assert "iban_previous" not in shown


def test_someone_elses_account_last_year_is_not_compared(riet, waardering_year):
    ask(last_year(), someone(1), state=RequestState.UITBETAALD, iban=OTHER_IBAN)
    request = ask(waardering_year, riet, iban=VALID_IBAN)
    shown, red = outcome(request)
    assert "iban_previous" not in shown and red == set()


def test_a_voucher_last_year_leaves_no_account_to_compare(riet, waardering_year):
    ask(last_year(), riet, state=RequestState.UITBETAALD, iban="",
        payout_form=PayoutForm.VOUCHER)
    request = ask(waardering_year, riet, iban=VALID_IBAN)
    shown, red = outcome(request)
    assert "iban_previous" not in shown and red == set()


@pytest.mark.parametrize("iban, ok", [(VALID_IBAN, True), (OTHER_IBAN, False)])
def test_the_latest_earlier_year_is_the_one_compared(riet, waardering_year, iban, ok):
    ask(AppreciationYearFactory(year=2024), riet, state=RequestState.UITBETAALD,
        iban=OTHER_IBAN)
    ask(last_year(), riet, state=RequestState.UITBETAALD, iban=VALID_IBAN)
    check = outcome(ask(waardering_year, riet, iban=iban))[0]["iban_previous"]
    assert check["ok"] is ok and "In 2025" in check["detail"]


def test_an_approved_request_with_a_new_account_stays_flagged_when_checked_again(
        riet, waardering_year):
    """This year's own approval is no "previous year": the new account stays red."""
    ask(last_year(), riet, state=RequestState.UITBETAALD, iban=OTHER_IBAN)
    request = ask(waardering_year, riet, iban=VALID_IBAN, state=RequestState.GOEDGEKEURD)
    assert outcome(request)[1] == {"iban_previous"}


def test_without_an_earlier_year_an_approved_request_has_no_previous_account_check(
        riet, waardering_year):
    request = ask(waardering_year, riet, state=RequestState.GOEDGEKEURD)
    assert "iban_previous" not in outcome(request)[0]


# --- registered, checked by a consulent, the typed name, confirmed -----------------------

@pytest.mark.parametrize("registration, ok", [
    # A former caregiver who cared long enough this year (see test_age_groups_and_former).
    ({}, True), ({"former": True, "care_ended_on": datetime.date(2026, 8, 1)}, True),
    ({"state": State.AANGEMELD}, False), ({"ended": True}, False),
], ids=["actief", "voormalig", "aangemeld", "beeindigd"])
def test_an_active_or_former_caregiver_counts_as_registered(waardering_year, registration, ok):
    """A former caregiver (the care ended) is still known to the Servicepunt."""
    caregiver = CaregiverFactory(**registration)
    request = ask(waardering_year, caregiver)
    shown, red = outcome(request)
    check = shown["registered"]
    assert check["ok"] is ok and check["label"] == "Ingeschreven bij het Servicepunt"
    assert check["detail"] == caregiver.get_state_display()
    assert red == (set() if ok else {"registered"})


@pytest.mark.parametrize("checked_by_consulent, ok", [(True, True), (False, False)])
def test_a_registration_made_through_the_request_waits_for_a_consulents_check(
        waardering_year, checked_by_consulent, ok):
    """A newcomer: no name to compare (the name on file is the one they typed), the
    registration check instead."""
    caregiver = CaregiverFactory(
        state=State.AANGEMELD if not ok else State.ACTIEF,
        checked_by_consulent_at=(datetime.datetime(2026, 9, 14, tzinfo=datetime.UTC)
                                 if checked_by_consulent else None))
    request = ask(waardering_year, caregiver, caregiver_was_unknown=True,
                  typed_name="Riet Bakker")
    checks, red = outcome(request)
    assert "name" not in checks
    assert checks["registration_checked"]["ok"] is ok
    assert checks["registration_checked"]["label"] == (
        "Inschrijving gecontroleerd door een consulent")
    assert checks["registration_checked"]["detail"] == ("" if ok else (
        "Nieuw ingeschreven via deze aanvraag. Kijk of deze persoon niet al bij ons staat en "
        "of de gegevens kloppen. Klik dan bij de mantelzorger op 'Gecontroleerd'."))
    assert checks["registered"]["detail"] == "Nieuw ingeschreven via deze aanvraag"
    assert red == (set() if ok else {"registered", "registration_checked"})


@pytest.mark.parametrize("on_file, typed_name", [
    ("Ulrike Weiß", "Ulrike Weiss"),       # ß typed as ss
    ("Ulrike Weiss", "ulrike weiß"),
    ("Anne-Sophie Ĳsselmuiden", "Anne Sophie IJsselmuiden"),  # the ĳ ligature, a dash
])
def test_a_name_written_the_other_usual_way_is_the_same_name(waardering_year, on_file,
                                                              typed_name):
    first_name, last_name = on_file.split(" ", 1)
    caregiver = CaregiverFactory(first_name=first_name, last_name=last_name)
    request = ask(waardering_year, caregiver, typed_name=typed_name)
    shown, red = outcome(request)
    assert shown["name"]["ok"] is True and red == set()


@pytest.mark.parametrize("typed_name, ok", [
    ("Riet Bakker", True),
    ("  RIET  bakker.", True),  # capitals, spaces and dots do not count
    ("Riët Bakker", True),      # nor accents
    ("Karel Bakker", False),
])
def test_a_typed_name_is_compared_with_the_name_on_file(riet, waardering_year, typed_name, ok):
    request = ask(waardering_year, riet, typed_name=typed_name)
    shown, red = outcome(request)
    check = shown["name"]
    assert check["ok"] is ok and check["label"] == "Naam klopt met de inschrijving"
    assert (check["detail"] == "") is ok
    assert red == (set() if ok else {"name"})


@pytest.mark.parametrize("route, needs_confirmation, confirmed, expected", [
    (Route.ON_BEHALF, False, False, False),
    (Route.ON_BEHALF, True, True, True),
    (Route.SELF, True, False, False),
    (Route.SELF, True, True, True),
    (Route.SELF, False, False, None),       # signed in: nothing to confirm, no check
    (Route.CONSULENT, False, False, None),
])
def test_a_request_not_made_by_the_caregiver_waits_for_their_confirmation(
        riet, waardering_year, route, needs_confirmation, confirmed, expected):
    request = ask(waardering_year, riet, route=route, needs_confirmation=needs_confirmation,
                  caregiver_confirmed_at=(datetime.datetime(2026, 9, 15, tzinfo=datetime.UTC)
                                          if confirmed else None))
    shown, red = outcome(request)
    check = shown.get("confirmed")
    if expected is None:
        assert check is None
    else:
        assert check["ok"] is expected
        assert check["label"] == "Mantelzorger heeft de aanvraag bevestigd"
        assert (check["detail"] == "") is expected
    assert ("confirmed" in red) is (expected is False)


def test_the_labels_and_advice_a_consulent_reads_on_a_doubtful_request(riet, waardering_year):
    request = ask(waardering_year, riet, typed_name="Karel Klever", route=Route.ON_BEHALF,
                  caregiver_confirmed_at=None, recipient_postcode="1234AB", iban=VALID_IBAN)
    shown, red = outcome(request)

    assert {code: (shown[code]["label"], shown[code]["detail"]) for code in red} == {
        "residence": ("Naaste woont in de gemeente", "Postcode naaste: 1234AB"),
        "name": ("Naam klopt met de inschrijving",
                 "De ingevulde naam is anders dan de naam bij ons."),
        "confirmed": ("Mantelzorger heeft de aanvraag bevestigd",
                      "Niet ingelogd aangevraagd. De mantelzorger kreeg een code per e-mail "
                      "of brief."),
    }
    assert (shown["iban"]["label"], shown["iban"]["detail"]) == (
        "Rekeningnummer niet op te veel aanvragen", "Dit rekeningnummer staat op 1 aanvragen")
