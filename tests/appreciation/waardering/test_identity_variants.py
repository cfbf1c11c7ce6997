"""Issue 14 review, item 1: house numbers are compared in one canonical form everywhere
('12a', '12 a', '12-A' are one address), so a variant spelling does not make a registered
caregiver look like a newcomer; and a registration made through the request itself is
never paid by bulk approval before a consulent has checked it."""

import re

import pytest
from django.urls import reverse

from appreciation.models import AppreciationRequest
from appreciation.waardering import services
from appreciation.waardering.request_checks import compute_checks
from registrations.models import Caregiver, State
from registrations.selectors import find_caregiver, possible_duplicates
from tests.factories import CaregiverFactory
from tests.support import OTHER_IBAN, caregiver_details, request_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]

VARIANTS = ["12 a", "12-a", " 12 - A", "12.A"]
EMAIL_LINK = re.compile(r"/bevestigen/([A-Za-z0-9_-]+)")


@pytest.fixture
def riet(db):
    """Registered, house number on file as '12a'."""
    return CaregiverFactory(complete=True)


@pytest.mark.parametrize("typed", VARIANTS)
def test_a_house_number_variant_is_linked_to_the_registered_caregiver(riet, typed,
                                                                       coordinator,
                                                                       waardering_year):
    """Regression: '12 a' did not find the caregiver on file as '12a', so a stranger who
    typed her name and birth date became a 'newcomer': confirmed at once, no code to her
    own channel, no name or IBAN check, and their own e-mail confirmation made it active."""
    assert riet.house_number == "12a"
    assert find_caregiver(riet.date_of_birth, "3845 ab", typed) == riet
    request = submit(request_data(
        caregiver=caregiver_details(first_name=riet.first_name, last_name=riet.last_name,
                                    date_of_birth=riet.date_of_birth, postcode="3845 AB",
                                    house_number=typed, email="karel@example.com"),
        iban=OTHER_IBAN))
    assert Caregiver.objects.count() == 1
    assert request.caregiver_id == riet.pk and not request.caregiver_was_unknown
    assert request.needs_confirmation and request.caregiver_confirmed_at is None
    assert services.bulk_approve([request.pk], coordinator) == (0, 1)


def test_duplicate_and_per_address_checks_count_house_number_variants(riet, waardering_year):
    """Regression: the checks compared house numbers with `iexact`, so a second registration
    of the same person at '12-A' (a consulent's intake, say) passed as 'no other request'."""
    waardering_year.max_per_address = 1
    waardering_year.save()
    first = submit(caregiver=riet)
    twin = CaregiverFactory(first_name="Riet", last_name="Bakker", house_number="12-A",
                            date_of_birth=riet.date_of_birth, email="riet2@example.nl")
    assert list(possible_duplicates(twin)) == [riet]
    second = submit(request_data(recipient=None), caregiver=twin)
    failed = {check["code"]: check for check in compute_checks(second) if not check["ok"]}
    assert {"duplicate", "per_address"} <= set(failed)
    assert first.pk != second.pk


def _confirm_links(mailoutbox) -> list[str]:
    return [found for message in mailoutbox for found in EMAIL_LINK.findall(message.body)]


def test_a_registration_made_through_the_request_waits_for_a_consulents_check(
        client, login_fully, coordinator, waardering_year, inline_tasks, mailoutbox,
        django_capture_on_commit_callbacks):
    """Regression: a newcomer's request counts as confirmed at once; once they confirmed
    their own typed e-mail address the registration was active, every check green, and
    bulk approval paid it. Now a check fails until a consulent checked the registration,
    which they can do from the caregiver page (linked from the request), and the request's
    checks follow at once."""
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(request_data(caregiver=caregiver_details(
            house_number="12 b", email="nieuw@example.com")))
    assert request.caregiver_was_unknown and request.caregiver_confirmed_at is not None
    [link] = _confirm_links(mailoutbox)
    assert client.post(f"/bevestigen/{link}").status_code == 200
    newcomer = Caregiver.objects.get(pk=request.caregiver_id)
    assert newcomer.state == State.ACTIEF and newcomer.checked_by_consulent_at is None

    request = services.recheck(request)
    failed = [check for check in request.checks if not check["ok"]]
    assert [check["code"] for check in failed] == ["registration_checked"]
    assert failed[0]["label"] == "Inschrijving gecontroleerd door een consulent"
    assert services.bulk_approve([request.pk], coordinator) == (0, 1)

    login_fully(client, "consulent")
    detail = client.get(reverse("appreciation:review_detail", args=[request.pk]))
    caregiver_url = reverse("registrations:caregiver_detail", args=[newcomer.pk])
    assert "Naar de inschrijving" in detail.content.decode()
    assert caregiver_url in detail.content.decode()
    page = client.get(caregiver_url).content.decode()
    mark = reverse("registrations:caregiver_mark_checked", args=[newcomer.pk])
    assert f'action="{mark}"' in page
    assert "Ingeschreven via een aanvraag voor de mantelzorgwaardering" in page

    assert client.post(mark).status_code == 302
    request = AppreciationRequest.objects.get(pk=request.pk)
    assert request.checks_passed, request.checks
    assert f'action="{mark}"' not in client.get(caregiver_url).content.decode()
    assert services.bulk_approve([request.pk], coordinator) == (1, 0)


def test_a_consulents_paper_entry_of_a_newcomer_needs_no_second_check(consulent,
                                                                       waardering_year):
    """The consulent's intake is the check: the new check is green from the start."""
    request = submit(request_data(), by=consulent, route="consulent")
    check = next(c for c in request.checks if c["code"] == "registration_checked")
    assert check["ok"]
