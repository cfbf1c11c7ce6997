"""Asking for tickets, the details `make mutate` found untested: the whole sentence a
refused caregiver (or coordinator) reads, who the timeline says handed out or queued a
request and what it says to set aside, and that serving the waiting list goes by the moment
people asked, not by row number."""

import datetime

import pytest
from django_fsm_log.models import StateLog

from appreciation.campaigns import services as campaigns
from appreciation.models import (
    Campaign,
    CampaignRequest,
    CampaignRequestState,
    CampaignRoute,
    CodeSource,
    TicketCode,
)
from registrations.models import State
from tests.factories import CaregiverFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("summer")]


def refusal(campaign, caregiver) -> campaigns.CampaignRefused:
    with pytest.raises(campaigns.CampaignRefused) as refused:
        campaigns.ask(campaign, caregiver, route=CampaignRoute.SELF_SERVICE)
    return refused.value


def test_a_campaign_for_everyone_says_there_is_nothing_to_ask(make_campaign):
    refused = refusal(make_campaign(requires_request=False), CaregiverFactory())
    assert refused.message == ("Dit hoeft u niet aan te vragen: u krijgt het vanzelf als u "
                               "ingeschreven bent.")


def test_someone_not_registered_as_active_is_told_to_call(make_campaign):
    refused = refusal(make_campaign(codes=2), CaregiverFactory(state=State.AANGEMELD))
    assert (refused.code, refused.message) == ("not_active", (
        "Uw inschrijving bij het Servicepunt is nu niet actief. Daarom kunt u dit niet "
        "aanvragen. Bel ons gerust, dan kijken we samen wat kan."))


def test_asking_twice_says_where_to_see_the_first_request(make_campaign):
    campaign, caregiver = make_campaign(codes=4), CaregiverFactory()
    campaigns.ask(campaign, caregiver, route=CampaignRoute.SELF_SERVICE)

    refused = refusal(campaign, caregiver)

    assert (refused.code, refused.message) == ("duplicate", (
        "U heeft dit al aangevraagd. U kunt het één keer aanvragen. In Mijn "
        "gegevens ziet u hoe het ervoor staat."))


def latest_log(request) -> tuple:
    log = StateLog.objects.for_(request).latest("pk")
    return log.state, log.by, log.description


def test_the_timeline_names_the_consulent_who_asked_at_the_desk(make_campaign, consulent):
    campaign = make_campaign(codes=2, tickets_per_caregiver=2)
    served = campaigns.ask(campaign, CaregiverFactory(), route=CampaignRoute.DESK,
                           by=consulent)
    queued = campaigns.ask(campaign, CaregiverFactory(first_name="Bert"),
                           route=CampaignRoute.DESK, by=consulent)

    assert latest_log(served) == (CampaignRequestState.TOEGEKEND, consulent,
                                  "2 codes gereserveerd")
    assert latest_log(queued) == (CampaignRequestState.WACHTLIJST, consulent,
                                  "Geen kaartjes meer: op de wachtlijst")


def test_one_code_on_the_timeline_is_one_code(make_campaign):
    campaign = make_campaign(codes=1, tickets_per_caregiver=1)
    served = campaigns.ask(campaign, CaregiverFactory(), route=CampaignRoute.SELF_SERVICE)

    assert latest_log(served)[2] == "1 code gereserveerd"


def test_the_waiting_list_is_served_in_the_order_people_asked(make_campaign, coordinator):
    campaign = make_campaign(codes=0, tickets_per_caregiver=1)
    first_row, second_row, third_row = (
        campaigns.ask(campaign, CaregiverFactory(first_name=name),
                      route=CampaignRoute.SELF_SERVICE)
        for name in ("Anna", "Bert", "Cor"))
    # The second row asked first (a request typed in later at the desk, say).
    CampaignRequest.objects.filter(pk=second_row.pk).update(
        requested_at=datetime.datetime(2026, 6, 2, 9, 0, tzinfo=datetime.UTC))

    served = campaigns.serve_waiting_list(campaign, coordinator)
    assert served == 0  # no stock: nobody served, and the count says so
    campaigns.add_codes(campaign, ["A1"], coordinator)

    states = dict(CampaignRequest.objects.filter(campaign=campaign)
                  .values_list("pk", "state"))
    assert states == {second_row.pk: CampaignRequestState.TOEGEKEND,
                      first_row.pk: CampaignRequestState.WACHTLIJST,
                      third_row.pk: CampaignRequestState.WACHTLIJST}


def test_of_two_who_asked_at_the_same_moment_the_one_stored_first_is_served_first(
        make_campaign, coordinator):
    """Requests typed in together (a batch from the desk) can carry the same moment; then
    the one stored first goes first. Nothing else may decide: here Anna asked first but
    registered after Bert, and her request row changed last, so PostgreSQL's own order (of
    the table, or of an index on the caregiver) puts Bert first."""
    campaign = make_campaign(codes=0, tickets_per_caregiver=1)
    bert, anna = CaregiverFactory(first_name="Bert"), CaregiverFactory(first_name="Anna")
    stored_first, stored_second = (
        campaigns.ask(campaign, caregiver, route=CampaignRoute.SELF_SERVICE)
        for caregiver in (anna, bert))
    moment = datetime.datetime(2026, 6, 2, 9, 0, tzinfo=datetime.UTC)
    for request in (stored_second, stored_first):  # Anna's row is written last
        CampaignRequest.objects.filter(pk=request.pk).update(requested_at=moment)

    campaigns.add_codes(campaign, ["A1"], coordinator)

    states = dict(CampaignRequest.objects.filter(campaign=campaign)
                  .values_list("pk", "state"))
    assert states == {stored_first.pk: CampaignRequestState.TOEGEKEND,
                      stored_second.pk: CampaignRequestState.WACHTLIJST}


def test_serving_the_waiting_list_returns_how_many_got_their_codes(make_campaign,
                                                                   coordinator):
    campaign = make_campaign(codes=0, tickets_per_caregiver=1)
    for name in ("Anna", "Bert", "Cor"):
        campaigns.ask(campaign, CaregiverFactory(first_name=name),
                      route=CampaignRoute.SELF_SERVICE)
    # Two codes straight into stock (add_codes would serve the list itself).
    TicketCode.objects.bulk_create(TicketCode(campaign=campaign, code=code,
                                              added_at=datetime.datetime(2026, 7, 1,
                                                                         tzinfo=datetime.UTC))
                                   for code in ("A1", "A2"))

    assert campaigns.serve_waiting_list(campaign, coordinator) == 2
    assert campaigns.serve_waiting_list(campaign, coordinator) == 0


def test_the_timeline_says_how_many_cards_to_set_aside_and_who_did(make_campaign, consulent,
                                                                   coordinator):
    cards = make_campaign(usual=True, code_source=CodeSource.PHYSICAL, stock_total=2,
                          tickets_per_caregiver=2)
    at_the_desk = campaigns.ask(cards, CaregiverFactory(), route=CampaignRoute.DESK,
                                by=consulent)
    waiting = campaigns.ask(cards, CaregiverFactory(first_name="Bert"),
                            route=CampaignRoute.SELF_SERVICE)
    assert waiting.state == CampaignRequestState.WACHT_OP_CODES
    Campaign.objects.filter(pk=cards.pk).update(stock_total=4)

    assert campaigns.stock_changed(Campaign.objects.get(pk=cards.pk), coordinator) == 1

    # What staff read on each request: the cards to put in an envelope, and who said so.
    assert latest_log(at_the_desk) == (CampaignRequestState.TOEGEKEND, consulent,
                                       "2 kaarten klaarleggen")
    assert latest_log(waiting) == (CampaignRequestState.TOEGEKEND, coordinator,
                                   "2 kaarten klaarleggen")


def test_making_codes_for_a_supplier_campaign_is_refused_with_the_way_out(make_campaign,
                                                                          coordinator):
    supplier = make_campaign(usual=True, name="Zwemkaartjes van het zwembad")
    with pytest.raises(campaigns.CampaignRefused) as refused:
        campaigns.generate_codes(supplier, 5, coordinator)
    # The whole sentence the coordinator reads next to the field: what to do instead.
    assert (refused.value.code, refused.value.message) == ("not_own_codes", (
        "Deze campagne gebruikt geen eigen codes. Laad de codes van de leverancier, of kies "
        "in de instellingen voor eigen codes als de winkel die accepteert."))
    assert not TicketCode.objects.filter(campaign=supplier).exists()
