"""The target groups the policy plan names (young caregivers, parents of a child with a severe
multiple disability, a migration background, 70 and older), consent respected: a filter in
the caregiver list and newsletter audiences."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from registrations.models import Caregiver, State
from registrations.selectors import search_caregivers
from tests.factories import CaregiverFactory
from tests.security.hostile import PAGE_EXAMPLES, check_answer, hostile
from worker.models import Newsletter
from worker.newsletters import audience_counts

TODAY = datetime.date(2026, 12, 5)
BORN = datetime.date(1980, 4, 1)
CONSENT = datetime.datetime(2025, 3, 1, 10, 0, tzinfo=datetime.UTC)
LIST = reverse("registrations:caregiver_list")


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 12, 5, 10, 0), tick=False):
        yield


@pytest.fixture
def people(db):
    """One person per group, and bystanders at each group's edge."""
    return {
        "emb": CaregiverFactory(first_name="Emma", last_name="Ouder",
                                date_of_birth=BORN, parent_of_disabled_child=True,
                                target_group_consent_at=CONSENT),
        "migratie": CaregiverFactory(first_name="Ahmet", last_name="Yilmaz",
                                     date_of_birth=BORN, migration_background=True,
                                     target_group_consent_at=CONSENT),
        # consent given, but no group ticked
        "consent_only": CaregiverFactory(first_name="Cor", last_name="Toestemming",
                                         date_of_birth=BORN, target_group_consent_at=CONSENT),
        "70": CaregiverFactory(first_name="Wim", last_name="Zeventig",
                               date_of_birth=datetime.date(1956, 12, 5)),  # 70 today
        "69": CaregiverFactory(first_name="Bep", last_name="Bijna",
                               date_of_birth=datetime.date(1956, 12, 6)),  # 70 tomorrow
        "young": CaregiverFactory(first_name="Sem", last_name="Jong",
                                  date_of_birth=datetime.date(2004, 1, 1)),  # 22
        "adult": CaregiverFactory(first_name="Riet", last_name="Midden",
                                  date_of_birth=datetime.date(1975, 5, 5)),
        "former_emb": CaregiverFactory(first_name="Fien", last_name="Voormalig", former=True,
                                       date_of_birth=BORN, parent_of_disabled_child=True,
                                       target_group_consent_at=CONSENT),
    }


@pytest.fixture
def consulent_client(client, login_fully):
    login_fully(client, "consulent")
    return client


def names(queryset) -> set[str]:
    return {c.first_name for c in queryset}


@pytest.mark.parametrize("group, expected", [
    ("emb", {"Emma", "Fien"}),
    ("migratie", {"Ahmet"}),
    ("70plus", {"Wim"}),
    ("jong", {"Sem"}),
])
def test_each_group_finds_its_people_and_no_one_else(people, group, expected):
    assert names(search_caregivers(target_group=group)) == expected


def test_the_flags_cannot_exist_without_consent(people):
    """Consent respected: the database refuses a group without the consent to record it,
    so no filter can find someone who did not agree."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Caregiver.objects.filter(pk=people["adult"].pk).update(migration_background=True)


def test_the_caregiver_list_filters_by_target_group(client, people, login_fully):
    login_fully(client, "consulent")
    html = client.get(LIST, {"target_group": "emb"}).content.decode()
    assert "Ouder, Emma" in html and "Voormalig, Fien" in html
    assert "Yilmaz, Ahmet" not in html and "Midden, Riet" not in html
    assert "2 mantelzorgers gevonden" in html
    html = client.get(LIST, {"target_group": "70plus", "state": State.ACTIEF}).content.decode()
    assert "Zeventig, Wim" in html and "Bijna, Bep" not in html


@pytest.mark.parametrize("value", ["bestaat-niet", "' OR 1=1 --", "<script>", "\x00", "x" * 500])
def test_a_strange_target_group_shows_everyone_with_a_dutch_message(client, people,
                                                                    login_fully, value):
    login_fully(client, "consulent")
    response = client.get(LIST, {"target_group": value})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert response.context["page"].paginator.count == len(people)


def test_a_newsletter_for_one_target_group(people):
    Caregiver.objects.update(wants_newsletter=True)
    Caregiver.objects.filter(first_name="Ahmet").update(wants_newsletter=False)
    assert audience_counts({"target_groups": ["emb"]}) == {"email": 2, "post": 0}
    assert audience_counts({"target_groups": ["migratie"]}) == {"email": 0, "post": 0}
    assert audience_counts({"target_groups": ["emb", "70plus"]}) == {"email": 3, "post": 0}
    assert audience_counts({"target_groups": ["70plus"], "states": ["voormalig"]}) == {
        "email": 0, "post": 0}
    # unknown names are left out, not an error
    assert audience_counts({"target_groups": ["onbekend"]}) == {"email": 0, "post": 0}


def test_the_newsletter_form_stores_the_target_groups(client, people, login_fully):
    login_fully(client, "consulent")
    form = client.get(reverse("worker:newsletter_new")).content.decode()
    assert "Mantelzorgers van 70 jaar of ouder" in form
    response = client.post(reverse("worker:newsletter_new"), {
        "subject": "Voor ouders van een kind met EMB", "body": "Een avond voor ouders.",
        "target_groups": ["emb"]})
    newsletter = Newsletter.objects.get()
    assert response.status_code == 302
    assert newsletter.audience == {"target_groups": ["emb"]}
    page = client.get(response["Location"]).content.decode()
    assert "2 per e-mail (bevestigd adres) en 0 per post." in page


def test_the_newsletter_form_refuses_an_unknown_group_and_keeps_the_text(client, people,
                                                                        login_fully):
    login_fully(client, "consulent")
    response = client.post(reverse("worker:newsletter_new"), {
        "subject": "Nieuws", "body": "Tekst die blijft staan.", "target_groups": ["hackers"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Selecteer een geldige keuze" in html and "Tekst die blijft staan." in html
    assert not Newsletter.objects.exists()


@PAGE_EXAMPLES
@given(group=st.one_of(hostile, st.sampled_from(["jong", "emb", "migratie", "70plus"])),
       groups=st.lists(st.one_of(hostile, st.sampled_from(["emb", "70plus"])), max_size=4))
def test_hostile_target_groups_never_break_the_list_or_the_newsletter(consulent_client,
                                                                      people, group, groups):
    client = consulent_client
    response = client.get(LIST, {"target_group": group})
    check_answer(response, {"target_group": group})
    posted = {"subject": "Nieuws", "body": "Tekst", "target_groups": groups}
    response = client.post(reverse("worker:newsletter_new"), posted)
    check_answer(response, posted)
    for newsletter in Newsletter.objects.all():
        assert set(newsletter.audience.get("target_groups", [])) <= {"emb", "70plus"}
        newsletter.delete()
