"""The target groups in the annual figures: registered caregivers on 31 December who are
parents of a child with EMB or have a migration background (only with consent), and who are
70 or older (from the date of birth, exact at the birthday, also after erasure)."""

import csv
import datetime
import io

import factory
import pytest
from django.urls import reverse

from insight import reports
from registrations import retention
from registrations.models import Caregiver, State
from tests.factories import CaregiverFactory

D = datetime.date
CONSENT = datetime.datetime(2023, 2, 1, 10, 0, tzinfo=datetime.UTC)


REGISTERED = D(2023, 2, 1)
ADULT = D(1980, 1, 1)


def caregivers(n, *, registered_on=REGISTERED, born=ADULT, **fields):
    return Caregiver.objects.bulk_create(CaregiverFactory.build_batch(
        n, last_name=factory.Sequence(lambda i: f"Doelgroep{i}"), date_of_birth=born,
        street="", city="", email="", email_confirmed_at=None, registered_on=registered_on,
        activated_on=registered_on, **fields))


@pytest.fixture
def groups_2023(db):
    caregivers(3, parent_of_disabled_child=True, target_group_consent_at=CONSENT)
    caregivers(2, migration_background=True, target_group_consent_at=CONSENT)
    caregivers(1, parent_of_disabled_child=True, migration_background=True,
               target_group_consent_at=CONSENT)
    caregivers(4, target_group_consent_at=CONSENT)  # consented, no group ticked
    caregivers(2, born=D(1953, 12, 31))  # 70 on 31-12-2023
    caregivers(1, born=D(1954, 1, 1))  # 70 only in 2024
    caregivers(1, born=D(1940, 5, 5), state=State.VOORMALIG, care_ended_on=D(2023, 8, 1),
               care_end_reason="overlijden")  # former, still registered: counts
    # Not registered on 31 December 2023: not counted in any group.
    caregivers(1, registered_on=D(2024, 1, 10), born=D(1930, 1, 1),
               parent_of_disabled_child=True, target_group_consent_at=CONSENT)
    caregivers(1, parent_of_disabled_child=True, target_group_consent_at=CONSENT,
               born=D(1950, 1, 1), state=State.BEEINDIGD, ended_on=D(2023, 11, 1),
               end_reason="eigen_verzoek")
    # Registered in 2023, ended in 2024 (erased in the test): 70+ and EMB in 2023.
    caregivers(1, parent_of_disabled_child=True, target_group_consent_at=CONSENT,
               born=D(1945, 7, 7), state=State.BEEINDIGD, ended_on=D(2024, 3, 1),
               end_reason="eigen_verzoek")


def test_the_groups_count_registered_people_at_year_end(groups_2023):
    figures = reports.annual_figures(2023)
    assert figures["registered"] == 15
    assert figures["registered_emb"] == 5
    assert figures["registered_migration"] == 3
    assert figures["registered_senior"] == 4
    previous = figures["previous"]
    assert (previous["registered_emb"], previous["registered_senior"]) == (0, 0)


def test_after_erasure_70_plus_stays_and_the_consented_groups_go(groups_2023):
    before = reports.annual_figures(2023)
    assert retention.run_daily(D(2024, 4, 15)).erased == 2
    after = reports.annual_figures(2023)
    assert after["registered_senior"] == before["registered_senior"] == 4
    assert after["registered_emb"] == before["registered_emb"] - 1
    assert after["registered_migration"] == before["registered_migration"]


def test_the_page_and_the_csv_show_the_rows(groups_2023, client, make_staff, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(make_staff("consulent")[0])
    html = client.get(reverse("insight:dashboard"), {"jaar": 2023}).content.decode()
    assert ('<tr id="cijfer-registered_senior"><th scope="row">van wie 70 jaar of ouder</th>'
            '<td class="num">4</td><td class="num">0</td></tr>') in html
    assert 'id="cijfer-registered_emb"' in html and 'id="cijfer-registered_migration"' in html
    response = client.get(reverse("insight:csv", args=[2023]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    values = {key: value for key, _label, value in rows[1:]}
    assert (values["registered_emb"], values["registered_migration"],
            values["registered_senior"]) == ("5", "3", "4")


@pytest.mark.parametrize("day, born, counted", [
    (D(2023, 12, 31), D(1953, 12, 31), True),
    (D(2023, 12, 31), D(1954, 1, 1), False),
    (D(2024, 2, 29), D(1954, 2, 28), True),
    (D(2024, 2, 29), D(1954, 3, 1), False),
])
def test_seventy_at_the_boundary(db, day, born, counted):
    [person] = caregivers(1, born=born)
    assert Caregiver.objects.filter(reports.senior_at(day), pk=person.pk).exists() is counted
