"""Amounts are typed in euros in Beheer: "75" pays € 75,00, never € 0,75. Wrong input gets
a Dutch message next to the field, keeps what was typed, and saves nothing."""

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory

from appreciation.models import AppreciationYear
from core.amounts import AmountError, format_for_input, parse_euros
from tests.factories import AppreciationYearFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed, cents", [
    ("75", 7500), ("75,00", 7500), ("75,5", 7550), ("€ 75", 7500), ("€75,-", 7500),
    ("75.5", 7550), ("75.50", 7550), ("1.250,50", 125050), ("100.000", 10_000_000),
    (" 75 ", 7500), ("0,01", 1), ("0", 0), ("75 euro", 7500), ("EUR 75", 7500),
])
def test_what_people_type_is_read_as_euros(typed, cents):
    assert parse_euros(typed) == cents


@pytest.mark.parametrize("typed, code", [
    ("", "empty"), ("   ", "empty"), ("-1", "negative"), ("-75,00", "negative"),
    ("1e9", "invalid"), ("abc", "invalid"), ("75,555", "precision"), ("1,000", "precision"),
    ("75;00", "invalid"), ("٧٥", "invalid"),
    ("75,00,00", "invalid"), ("0x4b", "invalid"), ("NaN", "invalid"), ("€", "empty"),
])
def test_what_is_not_an_amount_says_why(typed, code):
    with pytest.raises(AmountError) as refused:
        parse_euros(typed)
    assert refused.value.code == code


@pytest.mark.parametrize("cents, shown", [(7500, "75,00"), (5, "0,05"),
                                          (10_000_000, "100000,00")])
def test_the_field_shows_the_stored_cents_as_euros(cents, shown):
    assert format_for_input(cents) == shown
    assert parse_euros(shown) == cents


def change_form_data(year: AppreciationYear, coordinator) -> dict:
    """What the change page would post back unchanged (as a browser sends it)."""
    model_admin = admin.site._registry[AppreciationYear]
    request = RequestFactory().get("/")
    request.user = coordinator
    form = model_admin.get_form(request, year)(instance=year)
    data = {}
    for field in form:
        value = field.value()
        data[field.html_name] = "" if value is None else (
            value.strftime("%d-%m-%Y") if hasattr(value, "strftime") else str(value))
    return data


@pytest.fixture
def year_page(client, login_fully):
    coordinator = login_fully(client, "coordinator")
    year = AppreciationYearFactory()
    url = f"/beheer/appreciation/appreciationyear/{year.pk}/change/"
    return year, url, change_form_data(year, coordinator)


def test_the_change_page_shows_euros_and_saves_cents(client, year_page):
    year, url, data = year_page
    page = client.get(url).content.decode()
    assert "Bedrag volwassenen in euro" in page and 'value="75,00"' in page
    assert "(centen)" not in page
    response = client.post(url, {**data, "amount_adult_cents": "75",
                                 "amount_young_cents": "€ 60,50",
                                 "budget_cents": "100.000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    year.refresh_from_db()
    assert (year.amount_adult_cents, year.amount_young_cents, year.budget_cents) == (
        7500, 6050, 10_000_000)
    listing = client.get("/beheer/appreciation/appreciationyear/").content.decode()
    assert "€ 75,00" in listing and "€ 100.000,00" in listing


@pytest.mark.parametrize("typed, message", [
    ("-1", "Het bedrag kan niet lager zijn dan € 0,00."),
    ("1e9", "Vul een bedrag in euro in, zoals 75 of 75,00."),
    ("", "Vul een bedrag in, zoals 75 of 75,00."),
    ("vijfenzeventig", "Vul een bedrag in euro in, zoals 75 of 75,00."),
    ("75,005", "Gebruik hoogstens twee cijfers achter de komma, zoals 75,50."),
    ("20.000", "Dit bedrag is te hoog. Het kan hoogstens € 10.000,00 zijn."),
])
def test_a_wrong_amount_is_refused_next_to_the_field_and_nothing_is_saved(
        client, year_page, typed, message):
    year, url, data = year_page
    response = client.post(url, {**data, "amount_adult_cents": typed,
                                 "amount_young_cents": "80"})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    field = re.search(r'<input[^>]*name="amount_adult_cents"[^>]*>', html).group(0)
    assert f'value="{typed}"' in field or (typed == "" and "value=" not in field)
    assert 'value="80"' in html  # the other amount typed is kept as well
    year.refresh_from_db()
    assert (year.amount_adult_cents, year.amount_young_cents) == (7500, 7500)
