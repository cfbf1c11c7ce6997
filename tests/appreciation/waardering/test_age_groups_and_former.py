"""Rules of the waardering per age group and for former caregivers (issue 19):

- young caregivers get money by default (the annual report: 155 paid), and a year that
  chose nothing keeps money after the data migration;
- hours and months may differ for young caregivers, on the form, when storing and in the
  consulent's checks, each exactly at and one past its boundary;
- a former caregiver qualifies on the care given within the year (from its start or 1
  January to its end), and the consulent sees the dates.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from appreciation.models import AgeGroup, AppreciationYear, PayoutForm, RequestState
from appreciation.waardering import services
from appreciation.waardering.forms_public import CareForm
from appreciation.waardering.request_checks import care_in_year
from appreciation.waardering.submission import RequestRefused
from core import clock
from registrations.models import CareEndReason, State
from tests.factories import (
    AppreciationRequestFactory,
    AppreciationYearFactory,
    CaregiverFactory,
    years_ago,
)
from tests.support import caregiver_details, recipient_details, request_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]

MIGRATION = importlib.import_module(
    "appreciation.migrations.0011_young_money_vouchers_renewals")


# --- money by default ------------------------------------------------------------------

def test_a_new_year_pays_young_caregivers_money():
    assert AppreciationYearFactory().payout_young == PayoutForm.BANK


def test_a_young_caregiver_is_asked_for_an_account_and_paid_money(waardering_year):
    young = caregiver_details(date_of_birth=years_ago(19))
    with pytest.raises(RequestRefused) as refused:
        submit(request_data(caregiver=young, iban=""))
    assert refused.value.field == "iban"
    request = submit(request_data(caregiver=young))
    assert (request.age_group, request.payout_form, request.iban) == (
        AgeGroup.YOUNG, PayoutForm.BANK, "NL91ABNA0417164300")


def test_the_migration_gives_money_where_vouchers_were_never_used():
    """The old default (a voucher) was never a choice: a year becomes money unless it
    already has a voucher request or payouts made."""
    untouched = AppreciationYearFactory(year=2024, payout_young=PayoutForm.VOUCHER)
    used = AppreciationYearFactory(year=2025, payout_young=PayoutForm.VOUCHER)
    AppreciationRequestFactory(year=used, payout_form=PayoutForm.VOUCHER, iban="",
                               age_group=AgeGroup.YOUNG)
    paid = AppreciationYearFactory(year=2023, payout_young=PayoutForm.VOUCHER,
                                   payouts_made_at=clock.now())
    adult_vouchers = AppreciationYearFactory(year=2022, payout_adult=PayoutForm.VOUCHER)

    MIGRATION.young_caregivers_get_money(apps, None)

    forms = dict(AppreciationYear.objects.values_list("year", "payout_young"))
    assert forms == {2024: "bank", 2025: "bon", 2023: "bon", 2022: "bank"}
    adult_vouchers.refresh_from_db()
    assert adult_vouchers.payout_adult == PayoutForm.VOUCHER  # only the young default moved
    assert untouched.pk and paid.pk


# --- criteria per age group ------------------------------------------------------------

@pytest.fixture
def young_rules(waardering_year):
    """Adults 8 hours for 3 months; young caregivers 4 hours for 2 months."""
    waardering_year.min_hours_per_week_young = 4
    waardering_year.min_months_of_care_young = 2
    waardering_year.save()
    return waardering_year


def test_the_rules_per_age_group_fall_back_to_the_adults_when_empty(waardering_year):
    assert (waardering_year.min_hours_for(AgeGroup.YOUNG),
            waardering_year.min_months_for(AgeGroup.YOUNG)) == (8, 3)
    waardering_year.min_hours_per_week_young = 0  # zero is a value, not "empty"
    waardering_year.min_months_of_care_young = 0
    assert (waardering_year.min_hours_for(AgeGroup.YOUNG),
            waardering_year.min_months_for(AgeGroup.YOUNG)) == (0, 0)
    assert (waardering_year.min_hours_for(AgeGroup.ADULT),
            waardering_year.min_months_for(AgeGroup.ADULT)) == (8, 3)


def care(hours, since):
    return {"recipient_name": "Henk Bakker", "recipient_postcode": "3845 AB",
            "recipient_house_number": "12", "relationship": "ouder", "living_together": "ja",
            "hours_per_week": str(hours), "care_since": since.strftime("%d-%m-%Y")}


def test_the_form_uses_the_young_caregivers_own_minimum(young_rules):
    """4 hours: enough for a young caregiver, not for an adult; 3 is too few for both."""
    since = datetime.date(2026, 7, 15)  # two months before 15 September: enough for young
    young = CareForm(care(4, since), year=young_rules, age_group=AgeGroup.YOUNG)
    assert young.is_valid(), young.errors
    adult = CareForm(care(4, since), year=young_rules, age_group=AgeGroup.ADULT)
    assert not adult.is_valid()
    assert adult.errors["hours_per_week"] == [
        "De waardering is voor mantelzorgers die minstens 8 uur per week zorgen."]
    assert adult.errors["care_since"] == [
        "De waardering is voor mantelzorgers die al minstens 3 maanden zorgen."]
    too_little = CareForm(care(3, datetime.date(2026, 7, 16)), year=young_rules,
                          age_group=AgeGroup.YOUNG)
    assert not too_little.is_valid()
    assert too_little.errors["hours_per_week"] == [
        "De waardering is voor mantelzorgers die minstens 4 uur per week zorgen."]
    assert too_little.errors["care_since"] == [
        "De waardering is voor mantelzorgers die al minstens 2 maanden zorgen."]


def test_storing_a_request_applies_the_age_groups_minimum(young_rules):
    young = caregiver_details(date_of_birth=years_ago(17))
    stored = submit(request_data(caregiver=young, recipient=recipient_details(
        hours_per_week=4, care_since=datetime.date(2026, 7, 15))))
    assert stored.age_group == AgeGroup.YOUNG
    for hours, since, field in [(3, datetime.date(2026, 7, 15), "hours_per_week"),
                                (4, datetime.date(2026, 7, 16), "care_since")]:
        with pytest.raises(RequestRefused) as refused:
            submit(request_data(caregiver=caregiver_details(date_of_birth=years_ago(18)),
                                recipient=recipient_details(hours_per_week=hours,
                                                            care_since=since)))
        assert refused.value.field == field
    with pytest.raises(RequestRefused) as adult:
        submit(request_data(recipient=recipient_details(hours_per_week=7)))
    assert adult.value.message == (
        "De waardering is voor mantelzorgers die minstens 8 uur per week zorgen.")


@pytest.mark.parametrize("age, stored", [(24, True), (25, False)])
def test_young_means_up_to_and_including_24(young_rules, age, stored):
    """4 hours a week: enough at 24 (young), not at 25 (adult)."""
    data = request_data(caregiver=caregiver_details(date_of_birth=years_ago(age)),
                        recipient=recipient_details(hours_per_week=4))
    if stored:
        assert submit(data).age_group == AgeGroup.YOUNG
    else:
        with pytest.raises(RequestRefused) as refused:
            submit(data)
        assert refused.value.field == "hours_per_week"


def test_a_signed_in_young_caregiver_gets_the_young_minimum(young_rules):
    """Signed in, the birth date on file decides (nothing is typed)."""
    sem = CaregiverFactory(first_name="Sem", date_of_birth=years_ago(17))
    stored = submit(request_data(caregiver={}, recipient=recipient_details(hours_per_week=4)),
                    caregiver=sem)
    assert (stored.caregiver_id, stored.age_group, stored.hours_per_week) == (
        sem.pk, AgeGroup.YOUNG, 4)


def checks_of(request) -> dict:
    return {check["code"]: check for check in services.recheck(request).checks}


@pytest.mark.parametrize("hours, ok", [(4, True), (3, False)])
def test_the_consulents_hours_check_uses_the_young_minimum(young_rules, hours, ok):
    request = AppreciationRequestFactory(year=young_rules, age_group=AgeGroup.YOUNG,
                                         hours_per_week=hours)
    check = checks_of(request)["hours"]
    assert (check["ok"], check["label"]) == (ok, "Minstens 4 uur zorg per week")


@pytest.mark.parametrize("since, ok", [(datetime.date(2026, 7, 15), True),
                                       (datetime.date(2026, 7, 16), False)])
def test_the_consulents_duration_check_uses_the_young_minimum(young_rules, since, ok):
    request = AppreciationRequestFactory(year=young_rules, age_group=AgeGroup.YOUNG,
                                         care_since=since)
    check = checks_of(request)["duration"]
    assert (check["ok"], check["label"]) == (ok, "Zorgt minstens 2 maanden")


def test_an_adult_is_still_checked_on_the_adult_minimum(young_rules):
    request = AppreciationRequestFactory(year=young_rules, hours_per_week=7,
                                         care_since=datetime.date(2026, 6, 16))
    shown = checks_of(request)
    assert (shown["hours"]["ok"], shown["hours"]["label"]) == (
        False, "Minstens 8 uur zorg per week")
    assert (shown["duration"]["ok"], shown["duration"]["label"]) == (
        False, "Zorgt minstens 3 maanden")


def test_the_start_page_names_the_young_caregivers_criteria(client, young_rules):
    page = client.get(reverse("appreciation:waardering_start")).content.decode()
    assert ("Voor jonge mantelzorgers (tot en met 24 jaar): minstens 4 uur per week, al "
            "minstens 2 maanden.") in page


def test_the_start_page_says_nothing_extra_when_the_criteria_are_the_same(client,
                                                                          waardering_year):
    page = client.get(reverse("appreciation:waardering_start")).content.decode()
    assert "Voor jonge mantelzorgers (tot en met" not in page


# --- former caregivers ---------------------------------------------------------------------

def former(ended_on, since=datetime.date(2019, 3, 1), year=None):
    """A request of a caregiver whose care ended on `ended_on` (care since `since`)."""
    caregiver = CaregiverFactory(state=State.VOORMALIG, care_ended_on=ended_on,
                                 care_end_reason=CareEndReason.OVERLIJDEN)
    return AppreciationRequestFactory(year=year, caregiver=caregiver, care_since=since)


def test_care_in_the_year_starts_on_1_january_or_later():
    assert care_in_year(datetime.date(2019, 3, 1), datetime.date(2026, 5, 1), 2026) == (
        datetime.date(2026, 1, 1), datetime.date(2026, 5, 1))
    assert care_in_year(datetime.date(2026, 2, 1), datetime.date(2026, 5, 1), 2026) == (
        datetime.date(2026, 2, 1), datetime.date(2026, 5, 1))


@pytest.mark.parametrize("ended_on, ok", [(datetime.date(2026, 4, 1), True),
                                          (datetime.date(2026, 3, 31), False)])
def test_a_former_caregiver_needs_the_months_within_the_year(waardering_year, ended_on, ok):
    """Care since 2019 that ended on 1 April 2026: January to April is three months."""
    check = checks_of(former(ended_on, year=waardering_year))["duration"]
    assert check["ok"] is ok
    assert check["label"] == "Zorgde minstens 3 maanden in 2026"
    assert check["detail"] == (
        f"Voormalig mantelzorger: zorgde van 01-01-2026 tot {ended_on:%d-%m-%Y} (zorg sinds "
        f"01-03-2019, gestopt op {ended_on:%d-%m-%Y})")


@pytest.mark.parametrize("ended_on, ok", [(datetime.date(2026, 5, 10), True),
                                          (datetime.date(2026, 5, 9), False)])
def test_care_that_began_in_the_year_counts_from_its_start(waardering_year, ended_on, ok):
    request = former(ended_on, since=datetime.date(2026, 2, 10), year=waardering_year)
    check = checks_of(request)["duration"]
    assert check["ok"] is ok
    assert "zorgde van 10-02-2026 tot" in check["detail"]


def test_care_that_ended_on_1_january_is_no_care_within_the_year(waardering_year):
    check = checks_of(former(datetime.date(2026, 1, 1), year=waardering_year))["duration"]
    assert check["ok"] is False
    assert check["detail"].startswith("Voormalig mantelzorger: zorgde van 01-01-2026 tot "
                                      "01-01-2026")


def test_care_that_ended_before_the_year_does_not_count(waardering_year):
    check = checks_of(former(datetime.date(2025, 12, 31), year=waardering_year))["duration"]
    assert check["ok"] is False
    assert check["label"] == "Zorgde minstens 3 maanden in 2026"
    assert check["detail"] == (
        "Voormalig mantelzorger: de zorg stopte op 31-12-2025, voor 2026 begon.")


def test_an_active_caregiver_is_checked_on_care_until_today(waardering_year):
    """Only a former caregiver's end of care counts: an active one cares until today."""
    caregiver = CaregiverFactory(care_ended_on=datetime.date(2026, 1, 5))  # stale value
    request = AppreciationRequestFactory(year=waardering_year, caregiver=caregiver)
    check = checks_of(request)["duration"]
    assert (check["ok"], check["label"], check["detail"]) == (
        True, "Zorgt minstens 3 maanden", "Zorgt sinds 01-03-2019")


def test_the_consulent_sees_the_former_caregivers_dates(as_consulent, waardering_year):
    request = services.recheck(former(datetime.date(2026, 2, 1), year=waardering_year))
    page = as_consulent.get(reverse("appreciation:review_detail", args=[request.pk]))
    text = page.content.decode()
    assert "Zorgde minstens 3 maanden in 2026" in text
    assert ("Voormalig mantelzorger: zorgde van 01-01-2026 tot 01-02-2026 (zorg sinds "
            "01-03-2019, gestopt op 01-02-2026)") in text
    assert request.state == RequestState.INGEDIEND and not request.checks_passed
