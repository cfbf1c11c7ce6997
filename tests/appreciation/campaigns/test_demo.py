"""The campaign demo of `make run`: this summer's swimming tickets open today with requests
in every state, a pick-up campaign, the December attentie not yet sent; the stock adds up,
no code is given twice, and loading twice adds nothing."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count

from appreciation.campaigns import services as campaigns
from appreciation.models import Campaign, CampaignRequest, TicketCode
from registrations.models import Caregiver
from worker.models import Letter, Newsletter

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 8, 20)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(datetime.datetime(2026, 8, 20, 10, 0), tick=False):
        yield


def states(campaign) -> Counter:
    return Counter(campaign.requests.values_list("state", flat=True))


def everything() -> tuple:
    return (Campaign.objects.count(), CampaignRequest.objects.count(),
            TicketCode.objects.count(), Letter.objects.count(), Newsletter.objects.count(),
            list(TicketCode.objects.order_by("pk").values_list("code", "request_id")))


def test_the_demo_has_campaigns_in_every_state_once():
    call_command("load_demo_data", caregivers=120)
    swim = Campaign.objects.get(name="Zwemkaartjes 2026 (demo)")
    assert swim.is_open(TODAY) and swim.requires_request
    assert swim.codes.count() == 40 and campaigns.stock_left(swim) == 0
    assert states(swim) == {"toegekend": 20, "wacht_codes": 4, "geannuleerd": 1}
    assert (swim.code_source, swim.limited_stock, swim.include_former) == (
        "leverancier", False, True)  # as in real use: the supplier's list, no waiting list
    assert swim.invitation is not None
    assert swim.invitation.audience == {"campaign": swim.pk}

    pickup = Campaign.objects.get(name="Zwemkaartjes ophalen 2026 (demo)")
    assert pickup.is_open(TODAY) and pickup.handout == "ophalen"
    assert pickup.code_source == "eigen"  # pick-up numbers are the Servicepunt's own
    assert states(pickup) == {"opgehaald": 1, "toegekend": 2}

    attentie = Campaign.objects.get(name="Attentie december 2026 (demo)")
    assert attentie.kind == "attentie" and not attentie.requires_request
    assert (attentie.starts_on, attentie.ends_on) == (datetime.date(2026, 12, 1),
                                                      datetime.date(2026, 12, 31))
    assert attentie.tickets_per_caregiver == 1
    assert not attentie.requests.exists() and attentie.code_source == "leverancier"
    allowed = Caregiver.objects.filter(state__in=["actief", "voormalig"]).count()
    assert attentie.codes.count() == allowed + 20  # the supplier's list covers everyone

    # The stock adds up: every granted or collected request holds exactly its tickets,
    # nobody else holds a code, and a code belongs to one request at most.
    holding = dict(TicketCode.objects.filter(request__isnull=False).values_list("request")
                   .annotate(n=Count("id")))
    granted = CampaignRequest.objects.filter(state__in=["toegekend", "verstuurd", "opgehaald"])
    assert holding == {pk: 2 for pk in granted.values_list("pk", flat=True)}
    codes = list(TicketCode.objects.values_list("campaign", "code"))
    assert len(codes) == len(set(codes)) == 50 + allowed + 20
    assert Letter.objects.filter(campaign_request__campaign=swim, kind="campagne_codes") \
        .count() == 20

    before = everything()
    call_command("load_demo_data", caregivers=120)
    assert everything() == before
