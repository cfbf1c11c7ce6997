"""Rules per year for the waardering: copied to the next year, frozen after payouts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from appreciation.models import AppreciationYear, PayoutForm
from appreciation.waardering.services import copy_next_year
from tests.factories import AppreciationYearFactory


@pytest.mark.django_db
def test_defaults_follow_the_seed_plan():
    rules = AppreciationYearFactory()
    assert rules.amount_adult_cents == 7500 and rules.budget_cents == 10_000_000
    assert (rules.min_hours_per_week, rules.min_months_of_care) == (8, 3)
    assert rules.payout_young == PayoutForm.BANK  # the annual report: 155 young paid
    assert rules.is_open(datetime.date(2026, 11, 10)) and not rules.is_open(
        datetime.date(2026, 11, 11))


@pytest.mark.django_db
def test_the_next_year_is_a_copy_with_the_window_moved_on():
    rules = AppreciationYearFactory(amount_adult_cents=8000, max_per_address=2,
                                    window_opens=datetime.date(2026, 2, 1),
                                    window_closes=datetime.date(2026, 2, 28))
    following = copy_next_year(rules)
    assert following.year == 2027 and following.amount_adult_cents == 8000
    assert following.max_per_address == 2 and following.payouts_made_at is None
    assert (following.window_opens, following.window_closes) == (
        datetime.date(2027, 2, 1), datetime.date(2027, 2, 28))
    assert copy_next_year(rules) == following  # twice: still one 2027


@pytest.mark.django_db
def test_a_reversed_window_is_refused():
    with pytest.raises(ValidationError):
        AppreciationYear(year=2026, window_opens=datetime.date(2026, 11, 1),
                         window_closes=datetime.date(2026, 9, 1)).full_clean()
    with pytest.raises(IntegrityError):
        AppreciationYearFactory(window_opens=datetime.date(2026, 11, 1),
                                window_closes=datetime.date(2026, 9, 1))


@pytest.mark.django_db
def test_coordinators_edit_a_year_until_payouts_are_made(client, login_fully):
    rules = AppreciationYearFactory()
    login_fully(client, "coordinator")
    url = f"/beheer/appreciation/appreciationyear/{rules.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="amount_adult_cents"' in page.content.decode()
    AppreciationYear.objects.filter(pk=rules.pk).update(payouts_made_at=timezone.now())
    frozen = client.get(url).content.decode()
    assert 'name="amount_adult_cents"' not in frozen  # read-only now
    response = client.post(url, {"year": 2026, "amount_adult_cents": 1})
    assert response.status_code == 403
    rules.refresh_from_db()
    assert rules.amount_adult_cents == 7500


@pytest.mark.django_db
def test_consulenten_do_not_edit_the_rules(client, login_fully):
    AppreciationYearFactory()
    login_fully(client, "consulent")
    assert client.get("/beheer/appreciation/appreciationyear/", follow=True).status_code == 403
