"""Campaign services, the details `make mutate` showed untested: the exact Dutch refusal,
the header and length rules of a codes file, the shape of generated codes, who is recorded
as handling a hand-out, which requests a sent letter moves, and what closing writes."""

import datetime
import re

import pytest
from django_fsm_log.models import StateLog

from appreciation.campaigns import services as campaigns
from appreciation.campaigns.views_public import refusal_words
from appreciation.models import (
    AppreciationLetter,
    CampaignRequest,
    CampaignRoute,
    Handout,
    TicketCode,
)
from registrations.models import Caregiver
from worker.models import Letter

TODAY = datetime.date(2026, 7, 1)

pytestmark = pytest.mark.usefixtures("summer")


def ask(campaign, caregiver):
    return campaigns.ask(campaign, caregiver, route=CampaignRoute.SELF_SERVICE)


def last_log(request):
    return StateLog.objects.for_(request).latest("pk")


def codes_letter(request, kind=AppreciationLetter.CAMPAIGN_CODES):
    return Letter.objects.get(campaign_request=request, kind=kind).pk


@pytest.mark.django_db
@pytest.mark.parametrize("period, message", [
    ({"starts_on": datetime.date(2026, 7, 2)}, "U kunt dit aanvragen vanaf 02-07-2026."),
    ({"ends_on": datetime.date(2026, 6, 30)},
     "Aanvragen kon tot en met 30-06-2026. Dat is voorbij."),
])
def test_outside_the_period_the_refusal_reads_exactly(make_campaign, people, period, message):
    campaign = make_campaign(codes=2, **period)
    with pytest.raises(campaigns.CampaignRefused) as refused:
        ask(campaign, people(1)[0])
    assert refused.value.message == message
    assert str(refused.value) == message  # what a log or traceback shows


def test_a_codes_file_may_start_with_a_codes_header_and_hold_codes_of_forty_signs():
    longest = "A" * campaigns.MAX_CODE_LENGTH
    assert campaigns.parse_codes(f"Codes\n{longest}\nAB-1\n") == [longest, "AB-1"]
    assert campaigns.parse_codes("CODE\nAB-1\n") == ["AB-1"]
    with pytest.raises(campaigns.CodesRefused) as refused:
        campaigns.parse_codes("AB-1\nAB-1\n")
    assert refused.value.errors == [(2, "Deze code staat er twee keer in.")]
    assert "Deze code staat er twee keer in." in str(refused.value)


@pytest.mark.django_db
def test_generated_codes_serve_the_waiting_list_in_the_name_of_the_coordinator(
        coordinator, make_campaign, people):
    campaign = make_campaign(kind="anders", name="Bioscoopbonnen")
    waiting = ask(campaign, people(1)[0])
    assert waiting.state == "wachtlijst"
    assert campaigns.generate_codes(campaign, 3, coordinator) == 3
    waiting.refresh_from_db()
    assert waiting.state == "toegekend"
    log = last_log(waiting)
    assert (log.state, log.by) == ("toegekend", coordinator)
    codes = TicketCode.objects.filter(campaign=campaign).values_list("code", flat=True)
    assert len(codes) == 3
    for code in codes:  # three groups of four, read aloud at a desk: no 0/O, no 1/I
        assert re.fullmatch(r"CODE-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}",
                            code), code


@pytest.mark.django_db
def test_a_sent_letter_moves_only_its_own_request_and_only_a_codes_letter_counts(
        make_campaign, people):
    campaign = make_campaign(codes=4)
    first, second, late = (ask(campaign, person) for person in people(3))
    assert late.state == "wachtlijst"
    campaigns.add_codes(campaign, ["X1", "X2"])
    late.refresh_from_db()
    assert late.state == "toegekend"
    # The first's codes letter and the late one's waiting-list letter went out.
    sent = [codes_letter(first), codes_letter(late, AppreciationLetter.CAMPAIGN_WAITLIST)]
    assert campaigns.letters_sent(sent) == 1
    states = {r.pk: r.state for r in CampaignRequest.objects.all()}
    assert states == {first.pk: "verstuurd", second.pk: "toegekend", late.pk: "toegekend"}
    assert last_log(first).description == "Brief met de codes verstuurd"
    assert campaigns.letters_sent([codes_letter(second), codes_letter(late)]) == 2


@pytest.mark.django_db
def test_everyone_gets_it_in_the_name_of_the_coordinator_who_sent_it(coordinator,
                                                                     make_campaign, people):
    attentie = make_campaign(name="Attentie 2026", kind="attentie", requires_request=False,
                             tickets_per_caregiver=1)
    people(2)
    assert campaigns.grant_to_everyone(attentie, coordinator) == 2
    for request in CampaignRequest.objects.filter(campaign=attentie):
        assert request.handled_by == coordinator
        log = last_log(request)
        assert (log.state, log.by) == ("toegekend", coordinator)


@pytest.mark.django_db
def test_closing_counts_every_campaign_and_frees_lapsed_codes_completely(make_campaign,
                                                                         people):
    pickup = make_campaign(codes=2, handout=Handout.PICKUP, name="Ophalen")
    swim = make_campaign(codes=2)
    riet, bram = people(2)
    unclaimed = ask(pickup, riet)
    ask(swim, riet)
    waiting = ask(swim, bram)
    assert campaigns.close_finished_campaigns(datetime.date(2026, 9, 1)) == 2
    for request in (unclaimed, waiting):
        request.refresh_from_db()
        assert request.state == "geannuleerd"
        assert last_log(request).description == "De periode is voorbij"
    freed = TicketCode.objects.filter(campaign=pickup)
    assert [(c.request_id, c.assigned_at) for c in freed] == [(None, None), (None, None)]


@pytest.mark.django_db
def test_a_waiting_list_switched_to_everyone_is_served_first_and_nothing_breaks(
        coordinator, make_campaign, people):
    """Bug (found through the mutants of grant_to_everyone): a campaign with people on its
    waiting list, switched in the admin to 'everyone gets it', crashed on sending: the
    generated codes went to the waiting list first and the newcomers found none left."""
    from appreciation.models import Campaign
    from registrations.models import Caregiver, State

    campaign = make_campaign(codes=2)
    first, waiting, ended, newcomer = people(4)
    ask(campaign, first)
    waiting_request, ended_request = ask(campaign, waiting), ask(campaign, ended)
    Caregiver.objects.filter(pk=ended.pk).update(state=State.BEEINDIGD, ended_on=TODAY)
    Campaign.objects.filter(pk=campaign.pk).update(requires_request=False)
    campaign.refresh_from_db()
    assert campaigns.grant_to_everyone(campaign, coordinator) == 2  # waiting + newcomer
    states = {r.caregiver_id: r.state for r in CampaignRequest.objects.all()}
    assert states == {first.pk: "toegekend", waiting.pk: "toegekend",
                      ended.pk: "afgewezen", newcomer.pk: "toegekend"}
    for request in (waiting_request, ended_request):
        assert last_log(request).by == coordinator
    assert campaigns.stock_left(campaign) == 0  # nothing made in vain


@pytest.mark.django_db
def test_a_waiting_list_switched_to_everyone_takes_the_stock_there_is(coordinator,
                                                                      make_campaign, people):
    """Someone waits for two codes with one left; the campaign then gives one each, to
    everyone: the one left goes to them, in the coordinator's name, and none is made."""
    from appreciation.models import Campaign

    campaign = make_campaign(codes=3)
    first, waiting = people(2)
    ask(campaign, first)
    request = ask(campaign, waiting)
    Campaign.objects.filter(pk=campaign.pk).update(requires_request=False,
                                                   tickets_per_caregiver=1)
    campaign.refresh_from_db()
    assert campaigns.grant_to_everyone(campaign, coordinator) == 1
    request.refresh_from_db()
    assert request.state == "toegekend" and last_log(request).by == coordinator
    assert TicketCode.objects.filter(campaign=campaign).count() == 3


@pytest.mark.django_db
def test_asking_for_yourself_records_no_representative(make_campaign, people):
    # Signed in with one's own DigiD (a pseudonym on file) and no mandate: the request must
    # not say that someone else asked, on the timeline or in what erasure has to empty.
    caregiver = people(1)[0]
    Caregiver.objects.filter(pk=caregiver.pk).update(bsn_pseudonym="pseudoniem-eigen")
    caregiver.refresh_from_db()

    asked = ask(make_campaign(codes=2), caregiver)

    assert (asked.mandate_representee, asked.mandate_representative) == ("", "")


@pytest.mark.django_db
def test_a_representative_is_recorded_only_for_someone_with_a_digid_pseudonym(
        make_campaign, people):
    # DigiD Machtigen is recorded as the pair (who was represented, who acted); without the
    # represented person's own pseudonym there is no such pair to record.
    caregiver = people(1)[0]

    asked = campaigns.ask(make_campaign(codes=2), caregiver, route=CampaignRoute.SELF_SERVICE,
                          mandate_representative="pseudoniem-gemachtigde")

    assert (asked.mandate_representee, asked.mandate_representative) == ("", "")


@pytest.mark.django_db
def test_a_young_caregiver_hears_in_je_that_this_needs_no_request(make_campaign, people):
    campaign = make_campaign(codes=2, requires_request=False)
    with pytest.raises(campaigns.CampaignRefused) as refused:
        ask(campaign, people(1)[0])

    assert refusal_words(refused.value, True, campaign) == (
        "Dit hoef je niet aan te vragen: je krijgt het vanzelf als je ingeschreven bent.")
