"""Made-up campaigns for `make run`: this summer's swimming tickets with requests in every
state, a small pick-up campaign, and the December attentie not yet sent.

Requests are made through the services (appreciation/campaigns/services.py) with the demo staff as
actors, so codes come from stock under the campaign's lock, each request has its history
and its letters are queued as in real use. Loaded once: a campaign that already has
requests gets nothing more, and codes are only added to a campaign without codes.

The swimming tickets and the attentie use a (made-up) list from the supplier, as in real
use; the swimming tickets run out on purpose, so the warning "de voorraad is op" and people
waiting for codes show. The pick-up campaign makes its own pick-up numbers.
"""

import datetime
import random

from core import clock
from registrations.models import Caregiver, State

from ..models import Campaign, CampaignKind, CampaignRoute, CodeSource, Handout
from . import services as campaigns
from .invitations import send_invitations

SWIM_REQUESTS = 25  # 40 codes, 2 each: 20 get their codes, 5 wait for codes
PICKUP_REQUESTS = 3
INVITATION = (
    "Zorgt u voor iemand? Dan kunt u deze zomer **2 gratis zwemkaartjes** krijgen. Even "
    "ontspannen in het water, dat heeft u verdiend.\n\n"
    "- U krijgt 2 codes per brief of e-mail.\n"
    "- Zijn de kaartjes even op? Dan krijgt u ze zodra er nieuwe zijn.")
ATTENTIE_TEXT = (
    "De bon kunt u gebruiken in veel winkels in Harderwijk en Hierden. De bon is 1 jaar "
    "geldig.")
ATTENTIE_TEXT_YOUNG = (
    "De bon kun je gebruiken in veel winkels in Harderwijk en Hierden. De bon is 1 jaar "
    "geldig.")


def load_campaign_demo(consulent, coordinator) -> int:
    """The demo campaigns and their requests; returns how many requests were made."""
    today = clock.today()
    swim = _swim_campaign(today)
    pickup = _pickup_campaign(today)
    attentie = _attentie(today)
    made = 0
    if not attentie.codes.exists():
        allowed = Caregiver.objects.filter(state__in=attentie.allowed_states()).count()
        campaigns.add_codes(attentie, _supplier_codes("HCK", allowed + 20), coordinator)
    if not swim.requests.exists():
        if not swim.codes.exists():
            campaigns.add_codes(swim, _supplier_codes("ZH", 40), coordinator)
        send_invitations(today)
        made += _swim_requests(swim, consulent)
    if not pickup.requests.exists():
        _codes(pickup, 10, coordinator)
        made += _pickup_requests(pickup, consulent)
    return made


def _demo_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The real campaign runs June – August. The demo's period always includes today, so a
    new user can ask for tickets at /zwemkaartjes whenever they try it."""
    return (min(datetime.date(today.year, 6, 1), today - datetime.timedelta(days=14)),
            max(datetime.date(today.year, 8, 31), today + datetime.timedelta(days=30)))


def _swim_campaign(today) -> Campaign:
    starts_on, ends_on = _demo_period(today)
    campaign, _ = Campaign.objects.get_or_create(
        name=f"Zwemkaartjes {today.year} (demo)", defaults=dict(
            kind=CampaignKind.SWIM_TICKETS, starts_on=starts_on, ends_on=ends_on,
            tickets_per_caregiver=2, stock_total=40, pool_name="Zwembad Harderwijk",
            handout=Handout.CODE_ON_LETTER,
            invitation_subject="Gratis zwemkaartjes voor mantelzorgers",
            invitation_text=INVITATION))
    return campaign


def _pickup_campaign(today) -> Campaign:
    """A small campaign whose tickets are collected at the Servicepunt (shows `opgehaald`)."""
    starts_on, ends_on = _demo_period(today)
    campaign, _ = Campaign.objects.get_or_create(
        name=f"Zwemkaartjes ophalen {today.year} (demo)", defaults=dict(
            kind=CampaignKind.SWIM_TICKETS, starts_on=starts_on, ends_on=ends_on,
            tickets_per_caregiver=2, stock_total=10, pool_name="Zwembad Harderwijk",
            handout=Handout.PICKUP, cancel_unclaimed_on_close=True,
            code_source=CodeSource.OWN))
    return campaign


def _attentie(today) -> Campaign:
    """The December attentie: for everyone, without asking; a coordinator sends it."""
    campaign, _ = Campaign.objects.get_or_create(
        name=f"Attentie december {today.year} (demo)", defaults=dict(
            kind=CampaignKind.ATTENTIE, starts_on=datetime.date(today.year, 12, 1),
            ends_on=datetime.date(today.year, 12, 31), tickets_per_caregiver=1,
            requires_request=False, pool_name="Harderwijk Cadeaukaart",
            handout=Handout.CODE_ON_LETTER, letter_text=ATTENTIE_TEXT,
            letter_text_young=ATTENTIE_TEXT_YOUNG))
    return campaign


def _supplier_codes(prefix: str, count: int) -> list[str]:
    """A made-up list as a supplier sends it (the same list every time)."""
    rng = random.Random(prefix)  # noqa: S311 - demo data, not a secret
    return [f"{prefix}{rng.randrange(10**9):09d}{n:04d}" for n in range(count)]


def _codes(campaign: Campaign, count: int, by) -> None:
    if not campaign.codes.exists():
        campaigns.generate_codes(campaign, count, by)


def _people(count: int, skip: int = 0) -> list[Caregiver]:
    """Active demo caregivers, newest first (the waardering demo takes the oldest)."""
    active = Caregiver.objects.filter(state=State.ACTIEF, merged_into__isnull=True)
    return list(active.order_by("-pk")[skip:skip + count])


def _swim_requests(campaign: Campaign, consulent) -> int:
    """Most ask in Mijn gegevens, some on the public form, every fifth at the desk. The
    first 20 get their codes, the rest wait for codes; the last one in line cancels. (Not one with
    codes: the letter with the codes is already queued and would go out without them.)"""
    routes = [CampaignRoute.SELF_SERVICE, CampaignRoute.SELF_SERVICE,
              CampaignRoute.PUBLIC_FORM, CampaignRoute.SELF_SERVICE, CampaignRoute.DESK]
    requests = []
    for number, person in enumerate(_people(SWIM_REQUESTS)):
        route = routes[number % len(routes)]
        by = consulent if route == CampaignRoute.DESK else None
        requests.append(campaigns.ask(campaign, person, route=route, by=by))
    cancelled = requests[-1]
    campaigns.cancel(cancelled, caregiver=cancelled.caregiver,
                     reason="Kan deze zomer toch niet zwemmen")
    return len(requests)


def _pickup_requests(campaign: Campaign, consulent) -> int:
    people = _people(PICKUP_REQUESTS, skip=SWIM_REQUESTS)
    requests = [campaigns.ask(campaign, person, route=CampaignRoute.DESK, by=consulent)
                for person in people]
    campaigns.mark_picked_up(requests[0], consulent)
    return len(requests)
