"""A second registration of someone already registered waits as "te controleren" (issue 19):
same e-mail address in any case, or the same date of birth and address. It is not activated
by its confirmation link, it is marked in the list, counted on the dashboard and found by
the filter, until a consulent says "another person" or merges it."""

import datetime

import pytest
from django.urls import reverse

from registrations import services
from registrations.models import Caregiver, Channel, RecordChange, State
from registrations.selectors import caregiver_counts
from tests.factories import CaregiverFactory, DeskCaregiverFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulent(client, db, login_fully):
    return login_fully(client, "consulent")


def registration(email="riet@example.nl", born=datetime.date(1950, 1, 2),
                 house_number="12", postcode="3845AB", first_name="Riet",
                 last_name="Bakker", surname_prefix=""):
    return services.RegistrationData(
        caregiver={"first_name": first_name, "surname_prefix": surname_prefix,
                   "last_name": last_name, "date_of_birth": born, "street": "Lindenlaan",
                   "house_number": house_number, "postcode": postcode, "city": "Harderwijk",
                   "email": email, "phone": "",
                   "channel": Channel.EMAIL if email else Channel.POST,
                   "wants_newsletter": False, "parent_of_disabled_child": False,
                   "migration_background": False},
        care_recipients=[{"name": "Henk", "relationship": "partner",
                          "lives_in_municipality": True, "living_together": True,
                          "care_kinds": ["huishouden"], "hours_per_week": 20,
                          "care_since": datetime.date(2019, 3, 1)}])


def confirm(caregiver):
    _token, raw = services.issue_token(caregiver, "email", datetime.timedelta(days=1))
    return services.confirm_email(raw)


def test_same_email_in_another_case_waits_and_is_not_activated_by_its_link(db):
    CaregiverFactory(email="riet@example.nl")
    second = services.register(registration(email="RIET@Example.NL", born=datetime.date(
        1961, 5, 5), postcode="3841AA"))
    assert second.duplicate_check and second.state == State.AANGEMELD
    second = confirm(second)
    assert second.state == State.AANGEMELD  # confirmed, but still waiting for a consulent
    assert RecordChange.objects.filter(caregiver=second, kind="dubbel").exists()


def test_same_date_of_birth_and_address_waits_even_when_a_consulent_enters_it(db,
                                                                               make_staff):
    user, _password, _device = make_staff()
    CaregiverFactory(house_number="12A")
    second = services.register(registration(email="", house_number="12 a"),
                               source="consulent", by=user)
    assert second.duplicate_check and second.state == State.AANGEMELD


@pytest.mark.parametrize("changes", [
    {"email": "ander@example.nl", "born": datetime.date(1950, 1, 3)},
    {"email": "ander@example.nl", "house_number": "14"},
])
def test_someone_else_is_not_held(db, changes):
    CaregiverFactory(email="riet@example.nl")
    other = confirm(services.register(registration(**changes)))
    assert not other.duplicate_check and other.state == State.ACTIEF


def test_an_ended_or_erased_lookalike_holds_nothing_back(db):
    CaregiverFactory(state=State.BEEINDIGD, ended_on=datetime.date(2026, 1, 1))
    again = confirm(services.register(registration()))
    assert not again.duplicate_check and again.state == State.ACTIEF


def test_held_registration_is_marked_listed_counted_and_filtered(client, consulent):
    DeskCaregiverFactory(email="riet@example.nl")
    held = services.register(registration(first_name="Rietje"))
    CaregiverFactory(first_name="Anna", email="anna@example.nl")

    listing = client.get(reverse("registrations:caregiver_list")).content.decode()
    row = listing[listing.index("Bakker, Rietje"):]
    assert "te controleren: mogelijk dubbel" in row[:row.index("</tr>")]
    filtered = client.get(reverse("registrations:caregiver_list"),
                          {"to_check": "on"}).content.decode()
    assert "Bakker, Rietje" in filtered and "Anna" not in filtered

    assert caregiver_counts()["duplicates"] == 1
    dashboard = client.get(reverse("mantelzorg:dashboard")).content.decode()
    assert "waarvan 1 mogelijk dubbel" in dashboard

    page = client.get(reverse("registrations:caregiver_detail", args=[held.pk])).content.decode()
    assert "Te controleren: deze aanmelding wacht op u" in page


def test_another_person_goes_on_as_a_registration_of_its_own(client, consulent):
    riet = DeskCaregiverFactory(email="riet@example.nl")
    held = confirm(services.register(registration(first_name="Rietje")))
    response = client.post(reverse("registrations:caregiver_resolve_duplicate",
                                   args=[held.pk]), follow=True)
    assert "dit is een andere persoon" in response.content.decode()
    held.refresh_from_db()
    assert not held.duplicate_check and held.state == State.ACTIEF
    # Not suggested again on either side, and recorded on the timeline with who did it.
    assert "Mogelijk dubbel ingeschreven" not in client.get(
        reverse("registrations:caregiver_detail", args=[riet.pk])).content.decode()
    change = RecordChange.objects.get(caregiver=held, kind="geen_dubbel")
    assert change.by == consulent
    assert caregiver_counts()["duplicates"] == 0


def test_an_unconfirmed_held_registration_still_waits_for_its_confirmation(client,
                                                                          consulent):
    DeskCaregiverFactory(email="riet@example.nl")
    held = services.register(registration(first_name="Rietje"))
    client.post(reverse("registrations:caregiver_resolve_duplicate", args=[held.pk]))
    held.refresh_from_db()
    assert not held.duplicate_check and held.state == State.AANGEMELD
    assert confirm(held).state == State.ACTIEF


def test_marking_the_pair_as_different_people_releases_it_too(client, consulent):
    riet = DeskCaregiverFactory(email="riet@example.nl")
    held = confirm(services.register(registration(first_name="Rietje")))
    client.post(reverse("registrations:caregiver_not_duplicate", args=[held.pk, riet.pk]))
    held.refresh_from_db()
    assert held.state == State.ACTIEF


def test_merging_ends_the_held_registration_and_keeps_the_first(client, consulent):
    riet = DeskCaregiverFactory(email="riet@example.nl")
    held = services.register(registration(first_name="Rietje"))
    client.post(reverse("registrations:caregiver_merge", args=[held.pk, riet.pk]))
    held.refresh_from_db()
    assert held.state == State.BEEINDIGD and held.merged_into == riet
    assert caregiver_counts()["duplicates"] == 0
    assert riet.care_recipients.count() == 2


def test_resolving_a_registration_that_is_not_held_does_nothing(client, consulent):
    riet = DeskCaregiverFactory()
    response = client.post(reverse("registrations:caregiver_resolve_duplicate",
                                   args=[riet.pk]))
    assert response.status_code == 302
    assert not RecordChange.objects.filter(caregiver=riet).exists()
    assert client.get(reverse("registrations:caregiver_resolve_duplicate",
                              args=[riet.pk])).status_code == 405


def test_tussenvoegsel_typed_in_the_achternaam_online_sorts_under_v(db):
    jan = services.register(registration(email="jan@example.nl", first_name="Jan",
                                         last_name="de Vries", born=datetime.date(1970, 1, 1)))
    assert (jan.surname_prefix, jan.last_name, jan.full_name) == ("de", "Vries", "Jan de Vries")
    assert Caregiver.objects.order_by("last_name").filter(last_name__startswith="V").exists()
