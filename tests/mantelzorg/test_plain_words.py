"""Plain words: the back office says "betaalronde", "drukwerk" and "achtergrondtaken", never
batch, worker or beat, and counts of one read in the singular ("1 aanvraag", "1 code").
A young caregiver who cannot ask for a campaign in Mijn gegevens reads why with "je"."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from appreciation.models import PaymentBatch
from registrations.models import RegistrationRules, State
from registrations.views_selfservice import _retention_words
from tests.factories import CampaignFactory, CaregiverFactory, years_ago
from tests.support import approved, login_fully, sign_in

pytestmark = pytest.mark.django_db

JARGON = re.compile(r"\b(batch\w*|\w*batch(es)?|worker|beat)\b", re.IGNORECASE)


def visible(html: str) -> str:
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_one_payment_round_of_one_request_is_said_in_the_singular(waardering_year, consulent):
    approved(consulent, 1)
    client = Client()
    login_fully(client, "coordinator")
    page = client.get(reverse("appreciation:payout_list")).content.decode()
    assert "Betaalronde voor de bank maken" in page and JARGON.findall(visible(page)) == []

    response = client.post(reverse("appreciation:payout_create", args=[2026]),
                           {"payout_form": "bank"}, follow=True)
    batch = PaymentBatch.objects.get()
    page = response.content.decode()
    assert f"Betaalronde {batch.message_id} is gemaakt met 1 aanvraag." in page
    assert JARGON.findall(visible(page)) == []
    confirm = client.get(reverse("appreciation:payout_mark_paid", args=[batch.pk]))
    assert f"Is betaalronde {batch.message_id} uitbetaald?" in confirm.content.decode()


def test_post_and_system_pages_use_plain_words(client):
    login_fully(client, "coordinator")
    for name in ("worker:print_batches", "worker:system"):
        page = client.get(reverse(name)).content.decode()
        assert JARGON.findall(visible(page)) == [], name
    assert "Er is nog geen drukwerk." in client.get(reverse("worker:print_batches")) \
        .content.decode()
    assert "Achtergrondtaken" in client.get(reverse("worker:system")).content.decode()


@pytest.mark.parametrize(("months", "words"), [(1, "1 maand"), (18, "18 maanden"),
                                               (24, "2 jaar")])
def test_how_long_someone_stays_registered_after_the_care_ended(months, words):
    assert _retention_words(RegistrationRules(former_retention_months=months)) == words


@pytest.mark.parametrize(("young", "expected"), [
    (True, "Je inschrijving bij het Servicepunt is nu niet actief. Daarom kun je dit niet"),
    (False, "Uw inschrijving bij het Servicepunt is nu niet actief. Daarom kunt u dit niet"),
])
def test_a_refusal_in_mijn_gegevens_follows_the_person(young, expected):
    with time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0), tick=False):
        campaign = CampaignFactory(codes=2)
        caregiver = CaregiverFactory(state=State.AANGEMELD, complete=True,
                                     date_of_birth=years_ago(19 if young else 60))
        client = sign_in(Client(), caregiver)
        page = client.post(f"/mijn-gegevens/campagnes/{campaign.pk}/aanvragen", follow=True)
    assert expected in page.content.decode()
