"""Hostile input on the forms of the waardering's decisions: rejecting with a reason (the
consulent) and the amounts in euros in Beheer (the coordinator). For every example: never
a 5xx, nothing typed comes back unescaped, and nothing half-saved (a rejection stored has
a reason the person can read; a year stored has whole cents the field accepted)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from appreciation.models import AppreciationRequest, AppreciationYear, RequestState
from core.amounts import AmountError, format_for_input, parse_euros
from tests.factories import AppreciationYearFactory
from tests.security.hostile import (
    PAGE_EXAMPLES,
    example,
    hostile,
    mixed,
    post_all,
    prefixed,
)
from tests.support import submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]

AMOUNTS = ["75,00", "75.5", "€ 75", "-1", "1e9", "", "abc", "75,555", "1.000.000,00",
           "٧٥", "７５", "75,-", "0", "99999999999999999999", "€", ",", ".", "1.2.3",
           "\u00a075", "75\x00", "- 75", "+75", "75e0", "inf", "NaN"]
amount = st.one_of(st.sampled_from(AMOUNTS), hostile,
                   st.builds("{},{}".format, st.integers(-10**6, 10**12), st.integers(0, 999)))

@PAGE_EXAMPLES
@given(typed=amount)
def test_an_amount_is_read_or_refused_with_a_reason(typed):
    try:
        cents = parse_euros(typed)
    except AmountError as refused:
        assert refused.code in {"empty", "negative", "precision", "invalid"}
        return
    assert isinstance(cents, int) and cents >= 0
    assert parse_euros(format_for_input(cents)) == cents


@pytest.fixture
def rules_page(client, login_fully, waardering_day):
    coordinator = login_fully(client, "coordinator")
    year = AppreciationYearFactory()
    model_admin = admin.site._registry[AppreciationYear]
    request = RequestFactory().get("/")
    request.user = coordinator
    form = model_admin.get_form(request, year)(instance=year)
    valid = {}
    for field in form:
        value = field.value()
        valid[field.html_name] = "" if value is None else (
            value.strftime("%d-%m-%Y") if hasattr(value, "strftime") else str(value))
    return year, f"/beheer/appreciation/appreciationyear/{year.pk}/change/", valid


@PAGE_EXAMPLES
@given(data=mixed({"amount_adult_cents": "75", "amount_young_cents": "75,00",
                   "budget_cents": "100.000"},
                  {"amount_adult_cents": amount, "amount_young_cents": amount,
                   "budget_cents": amount}))
def test_the_years_amounts_survive_hostile_input(client, rules_page, data):
    year, url, valid = rules_page
    with example():
        posted = {**valid, **data}
        response = post_all(client, url, posted)
        stored = AppreciationYear.objects.get(pk=year.pk)
        if response.status_code == 302:  # saved: every amount was one the field reads
            for name in ("amount_adult_cents", "amount_young_cents", "budget_cents"):
                assert getattr(stored, name) == parse_euros(posted.get(name, ""))
        else:  # refused: nothing of it saved
            assert (stored.amount_adult_cents, stored.amount_young_cents,
                    stored.budget_cents) == (7500, 7500, 10_000_000)


@pytest.fixture
def request_to_decide(client, login_fully, waardering_year):
    login_fully(client, "consulent")
    return submit()


@PAGE_EXAMPLES
@given(data=mixed({"expected_state": "ingediend", "reason": "anders",
                   "text": "U woont sinds juli in Zwolle."},
                  {"reason": st.sampled_from(["anders", "te_kort", "geen_antwoord", "",
                                              "ANDERS", "anders "]),
                   "text": st.sampled_from(["", " ", "\n", "\u200b", "\x00"])}))
def test_rejecting_survives_hostile_input(client, request_to_decide, data):
    url = reverse("appreciation:review_reject", args=[request_to_decide.pk])
    with example():
        post_all(client, url, prefixed("afwijzen", data))
        stored = AppreciationRequest.objects.get(pk=request_to_decide.pk)
        if stored.state == RequestState.AFGEWEZEN:
            assert stored.rejection_reason in {"anders", "te_kort"}
            assert stored.rejection_reason_text().strip()  # the person reads a reason
        else:
            assert (stored.state, stored.rejection_reason) == (RequestState.INGEDIEND, "")
