"""Campaigns through the services: asking, codes from stock, the waiting list in order,
cancelling, closing, a campaign for everyone, and 50 people asking at the same moment."""

import datetime
import threading

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django_fsm_log.models import StateLog

from appreciation.campaigns import services as campaigns
from appreciation.models import (
    AppreciationLetter,
    Campaign,
    CampaignRequest,
    CampaignRoute,
    Handout,
    TicketCode,
)
from registrations.models import Caregiver, State
from worker.models import Letter

TODAY = datetime.date(2026, 7, 1)
S = "toegekend", "wachtlijst"


def ask(campaign, caregiver):
    return campaigns.ask(campaign, caregiver, route=CampaignRoute.SELF_SERVICE)


def codes_of(request):
    return sorted(request.codes.values_list("code", flat=True))


pytestmark = pytest.mark.usefixtures("summer")


@pytest.mark.django_db
def test_an_active_caregiver_gets_two_codes_and_a_letter_then_a_second_ask_is_refused(
        make_campaign, people):
    campaign = make_campaign(codes=6)
    [riet] = people(1)
    request = ask(campaign, riet)
    assert request.state == "toegekend" and request.granted_at
    assert sorted(request.codes.values_list("code", flat=True)) == ["Z0000", "Z0001"]
    assert campaigns.stock_left(campaign) == 4
    assert Letter.objects.get(campaign_request=request).kind == AppreciationLetter.CAMPAIGN_CODES
    with pytest.raises(campaigns.CampaignRefused) as refused:
        ask(campaign, riet)
    assert refused.value.code == "duplicate" and "al aangevraagd" in refused.value.message
    assert CampaignRequest.objects.count() == 1 and campaigns.stock_left(campaign) == 4


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.AANGEMELD, State.VOORMALIG, State.BEEINDIGD])
def test_a_registration_that_is_not_active_is_refused(state, make_campaign, people):
    campaign = make_campaign(codes=4)
    [person] = people(1, state=State.ACTIEF)
    Caregiver.objects.filter(pk=person.pk).update(state=state, care_ended_on=TODAY,
                                                  ended_on=TODAY)
    person.refresh_from_db()
    with pytest.raises(campaigns.CampaignRefused) as refused:
        ask(campaign, person)
    assert refused.value.code == "not_active" and not CampaignRequest.objects.exists()


@pytest.mark.django_db
def test_former_caregivers_may_ask_when_the_campaign_says_so(make_campaign, people):
    campaign = make_campaign(codes=4, include_former=True)
    [person] = people(1, state=State.ACTIEF)
    Caregiver.objects.filter(pk=person.pk).update(state=State.VOORMALIG, care_ended_on=TODAY)
    person.refresh_from_db()
    assert ask(campaign, person).state == "toegekend"


@pytest.mark.django_db
def test_outside_the_period_nothing_can_be_asked(make_campaign, people):
    [person] = people(1)
    early = make_campaign(codes=4, name="Later", starts_on=datetime.date(2026, 7, 2))
    over = make_campaign(codes=4, name="Voorbij", ends_on=datetime.date(2026, 6, 30))
    for campaign, words in ((early, "vanaf 02-07-2026"), (over, "tot en met 30-06-2026")):
        with pytest.raises(campaigns.CampaignRefused) as refused:
            ask(campaign, person)
        assert refused.value.code == "closed" and words in refused.value.message
    assert not CampaignRequest.objects.exists()


@pytest.mark.django_db
def test_added_codes_serve_the_waiting_list_in_order_and_a_cancellation_frees_codes(
        consulent, make_campaign, people):
    campaign = make_campaign(codes=2)
    first, *waiting = [ask(campaign, person) for person in people(8)]
    assert first.state == "toegekend"
    assert [r.state for r in CampaignRequest.objects.exclude(pk=first.pk)] == ["wachtlijst"] * 7
    assert campaigns.add_codes(campaign, [f"N{n}" for n in range(10)] + ["Z0000"]) == 10
    states = list(CampaignRequest.objects.order_by("requested_at", "pk")
                  .values_list("state", flat=True))
    assert states == ["toegekend"] * 6 + ["wachtlijst"] * 2
    campaigns.cancel(first, by=consulent)
    states = list(CampaignRequest.objects.order_by("requested_at", "pk")
                  .values_list("state", flat=True))
    assert states == ["geannuleerd"] + ["toegekend"] * 6 + ["wachtlijst"]
    assert campaigns.stock_left(campaign) == 0
    assert TicketCode.objects.filter(request__isnull=False).count() == 12


@pytest.mark.django_db
def test_a_new_request_does_not_jump_the_waiting_list(make_campaign, people):
    campaign = make_campaign(codes=2)
    a, b, c = people(3)
    ask(campaign, a)
    assert ask(campaign, b).state == "wachtlijst"
    campaigns.add_codes(campaign, ["LOS"])  # one code: b (waiting, needs two) stays waiting
    # The coordinator lowers the tickets per person in the admin: one would do for c now,
    # but b asked first, so c waits and the code stays for b.
    Campaign.objects.filter(pk=campaign.pk).update(tickets_per_caregiver=1)
    campaign.refresh_from_db()
    later = ask(campaign, c)
    assert later.state == "wachtlijst" and codes_of(later) == []
    assert campaigns.stock_left(campaign) == 1


@pytest.mark.django_db
def test_two_campaigns_with_free_codes_each_hand_out_only_their_own(make_campaign, people):
    """Regression guard: the hand-out takes codes from the asked campaign's stock only, and
    a waiting list of one campaign never holds back a request for another."""
    swim = make_campaign(codes=["S1", "S2"])
    autumn = make_campaign(name="Zwemkaartjes najaar 2026", codes=["N1", "N2", "N3", "N4"])
    a, b, c, d = people(4)
    assert codes_of(ask(swim, a)) == ["S1", "S2"]
    waiting = ask(swim, b)
    assert waiting.state == "wachtlijst" and codes_of(waiting) == []
    assert (campaigns.stock_left(swim), campaigns.stock_left(autumn)) == (0, 4)
    assert codes_of(ask(autumn, c)) == ["N1", "N2"]
    assert codes_of(ask(autumn, d)) == ["N3", "N4"]
    assert campaigns.add_codes(swim, ["S3", "S4"]) == 2
    waiting.refresh_from_db()
    assert waiting.state == "toegekend" and codes_of(waiting) == ["S3", "S4"]
    assert (campaigns.stock_left(swim), campaigns.stock_left(autumn)) == (0, 0)


@pytest.mark.django_db
def test_someone_no_longer_active_when_it_is_their_turn_is_passed_over_with_a_letter(
        make_campaign, people):
    campaign = make_campaign(codes=2)
    first, ended, next_one, last = people(4)
    ask(campaign, first)
    ended_request, next_request, last_request = (ask(campaign, p) for p in (ended, next_one, last))
    Caregiver.objects.filter(pk=ended.pk).update(state=State.BEEINDIGD, ended_on=TODAY)
    campaigns.add_codes(campaign, ["X1", "X2", "X3"])
    for request in (ended_request, next_request, last_request):
        request.refresh_from_db()
    assert ended_request.state == "afgewezen" and codes_of(ended_request) == []
    assert next_request.state == "toegekend" and codes_of(next_request) == ["X1", "X2"]
    assert last_request.state == "wachtlijst" and campaigns.stock_left(campaign) == 1
    letters = Letter.objects.filter(kind=AppreciationLetter.CAMPAIGN_CANCELLED)
    assert list(letters.values_list("caregiver_id", flat=True)) == [ended.pk]
    assert StateLog.objects.for_(ended_request).latest("pk").description == (
        "Niet meer actief ingeschreven")


@pytest.mark.django_db
def test_letters_that_went_out_mark_the_request_sent(make_campaign, people):
    from worker.services import dispatch_queued_letters

    campaign = make_campaign(codes=2)
    request = ask(campaign, people(1)[0])
    dispatch_queued_letters()
    request.refresh_from_db()
    assert request.state == "verstuurd"
    assert StateLog.objects.for_(request).latest("pk").state == "verstuurd"


@pytest.mark.django_db
def test_tickets_to_pick_up_are_marked_picked_up_by_staff(consulent, make_campaign, people):
    from worker.services import dispatch_queued_letters

    campaign = make_campaign(codes=2, handout=Handout.PICKUP)
    request = ask(campaign, people(1)[0])
    dispatch_queued_letters()  # the letter with the pick-up number went out
    request.refresh_from_db()
    assert request.state == "toegekend"  # not "sent": the tickets are still at the desk
    with pytest.raises(campaigns.PermissionDenied):
        campaigns.mark_picked_up(request, AnonymousUser())
    request.refresh_from_db()
    assert request.state == "toegekend"
    campaigns.mark_picked_up(request, consulent)
    request.refresh_from_db()
    assert request.state == "opgehaald"
    by_letter = ask(make_campaign(codes=2, name="Per brief"), people(1)[0])
    from django_fsm import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        campaigns.mark_picked_up(by_letter, consulent)


@pytest.mark.django_db
def test_closing_lapses_the_waiting_list_once_and_nothing_can_be_asked_after(make_campaign, people):
    campaign = make_campaign(codes=2)
    granted, waiting = (ask(campaign, person) for person in people(2))
    assert campaigns.close_finished_campaigns(datetime.date(2026, 8, 31)) == 0
    assert campaigns.close_finished_campaigns(datetime.date(2026, 9, 1)) == 1
    assert campaigns.close_finished_campaigns(datetime.date(2026, 9, 2)) == 0
    granted.refresh_from_db()
    waiting.refresh_from_db()
    assert (granted.state, waiting.state) == ("toegekend", "geannuleerd")
    assert Letter.objects.filter(kind=AppreciationLetter.CAMPAIGN_CANCELLED).count() == 1
    with time_machine.travel(datetime.datetime(2026, 9, 2, 10, 0), tick=False):
        with pytest.raises(campaigns.CampaignRefused):
            ask(campaign, people(1)[0])


@pytest.mark.django_db
@pytest.mark.parametrize("cancel_unclaimed, state, stock", [
    (True, "geannuleerd", 2),
    (False, "toegekend", 0),
])
def test_unclaimed_pickups_lapse_at_the_close_when_configured(make_campaign, people,
                                                              cancel_unclaimed, state, stock):
    campaign = make_campaign(codes=2, handout=Handout.PICKUP,
                             cancel_unclaimed_on_close=cancel_unclaimed)
    request = ask(campaign, people(1)[0])
    campaigns.close_finished_campaigns(datetime.date(2026, 9, 1))
    request.refresh_from_db()
    assert request.state == state and campaigns.stock_left(campaign) == stock


@pytest.mark.django_db
def test_the_december_attentie_goes_to_every_active_caregiver_once(coordinator, consulent,
                                                                   make_campaign, people):
    attentie = make_campaign(name="Attentie 2026", kind="attentie", requires_request=False,
                             tickets_per_caregiver=1, starts_on=datetime.date(2026, 12, 1),
                             ends_on=datetime.date(2026, 12, 31))
    people(5)
    people(2, state=State.AANGEMELD)
    with pytest.raises(campaigns.PermissionDenied):
        campaigns.grant_to_everyone(attentie, consulent)
    assert campaigns.grant_to_everyone(attentie, coordinator) == 5
    assert CampaignRequest.objects.filter(campaign=attentie, state="toegekend").count() == 5
    assert TicketCode.objects.filter(campaign=attentie, request__isnull=False).count() == 5
    assert Letter.objects.filter(kind=AppreciationLetter.CAMPAIGN_CODES).count() == 5
    people(1)
    assert campaigns.grant_to_everyone(attentie, coordinator) == 1  # only the newcomer


@pytest.mark.django_db
def test_everyone_gets_two_codes_of_their_own_topping_up_the_stock_there_is(coordinator,
                                                                           make_campaign,
                                                                           people):
    swim = make_campaign(codes=["S1", "S2", "S3", "S4"])
    attentie = make_campaign(name="Attentie 2026", kind="attentie", requires_request=False,
                             tickets_per_caregiver=2, codes=["BON-A", "BON-B", "BON-C"])
    swimmer, *others = people(3)
    ask(swim, swimmer)  # asked for another campaign: still gets the attentie
    people(1, state=State.AANGEMELD)
    assert campaigns.grant_to_everyone(attentie, coordinator) == 3
    requests = CampaignRequest.objects.filter(campaign=attentie)
    assert {r.caregiver_id for r in requests} == {p.pk for p in (swimmer, *others)}
    assert [r.codes.count() for r in requests] == [2, 2, 2]
    given = list(TicketCode.objects.filter(campaign=attentie, request__isnull=False)
                 .values_list("code", flat=True))
    assert len(given) == len(set(given)) == 6
    assert {"BON-A", "BON-B", "BON-C"} <= set(given)  # the stock first, then new codes
    assert TicketCode.objects.filter(campaign=attentie).count() == 6  # nothing made in vain
    assert campaigns.stock_left(swim) == 2
    [newcomer] = people(1)
    assert campaigns.grant_to_everyone(attentie, coordinator) == 1
    assert CampaignRequest.objects.get(campaign=attentie, caregiver=newcomer).codes.count() == 2
    assert TicketCode.objects.filter(campaign=attentie).count() == 8


def test_codes_from_a_csv_are_checked_line_by_line():
    assert campaigns.parse_codes("code\nAB-1\nAB-2\n\n") == ["AB-1", "AB-2"]
    with pytest.raises(campaigns.CodesRefused) as refused:
        campaigns.parse_codes("AB-1\nAB 2\nAB-1\n" + "X" * 41 + "\n,extra\n=cmd()")
    assert [line for line, _ in refused.value.errors] == [2, 3, 4, 5, 6]


@pytest.mark.django_db(transaction=True)
def test_fifty_people_asking_at_once_for_twenty_tickets(make_campaign, people):
    campaign = make_campaign(codes=20)
    caregivers = people(50)
    barrier = threading.Barrier(len(caregivers))
    errors = []

    def ask_at_once(person):
        try:
            barrier.wait()
            ask(campaign, person)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask_at_once, args=(p,)) for p in caregivers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    states = list(CampaignRequest.objects.values_list("state", flat=True))
    assert (states.count("toegekend"), states.count("wachtlijst")) == (10, 40)
    used = list(TicketCode.objects.filter(request__isnull=False).values_list("code", flat=True))
    assert len(used) == 20 and len(set(used)) == 20
    per_request = TicketCode.objects.filter(request__isnull=False).values("request").distinct()
    assert per_request.count() == 10
    assert campaigns.stock_left(campaign) == 0


@pytest.mark.django_db
def test_a_codes_letter_of_a_request_cancelled_before_it_went_out_is_not_sent(
        consulent, make_campaign, people):
    from worker.models import LetterStatus
    from worker.services import dispatch_queued_letters

    campaign = make_campaign(codes=2)
    request = ask(campaign, people(1)[0])
    campaigns.cancel(request, by=consulent)
    dispatch_queued_letters()
    letter = Letter.objects.get(campaign_request=request, kind=AppreciationLetter.CAMPAIGN_CODES)
    assert letter.status == LetterStatus.CANCELLED and "geannuleerd" in letter.error


@pytest.mark.django_db
def test_codes_already_printed_cannot_go_back_into_stock(consulent, settings, tmp_path,
                                                         make_campaign, people):
    from django_fsm import TransitionNotAllowed

    from registrations.models import Channel
    from worker.services import create_print_batch, dispatch_queued_letters

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media")}}}
    campaign = make_campaign(codes=2)
    [person] = people(1)
    Caregiver.objects.filter(pk=person.pk).update(channel=Channel.POST, street="Lindenlaan",
                                                  city="Harderwijk")
    request = ask(campaign, person)
    dispatch_queued_letters()
    assert create_print_batch() is not None
    with pytest.raises(TransitionNotAllowed):
        campaigns.cancel(request, by=consulent)
    request.refresh_from_db()
    assert request.state == "toegekend" and request.codes.count() == 2


@pytest.mark.django_db
def test_only_the_caregiver_themselves_or_staff_can_cancel_a_request(consulent, make_campaign,
                                                                      people):
    campaign = make_campaign(codes=2)
    riet, bram = people(2)
    request = ask(campaign, riet)
    for refused in ({"caregiver": bram}, {"by": AnonymousUser()}):
        with pytest.raises(campaigns.PermissionDenied):
            campaigns.cancel(request, **refused)
    request.refresh_from_db()
    assert request.state == "toegekend" and codes_of(request) == ["Z0000", "Z0001"]
    campaigns.cancel(request, caregiver=riet)
    request.refresh_from_db()
    assert request.state == "geannuleerd" and campaigns.stock_left(campaign) == 2


@pytest.mark.django_db
def test_tickets_to_pick_up_can_be_cancelled_after_the_letter_went_out(consulent, make_campaign,
                                                                     people):
    """The letter of a pick-up campaign holds no usable code: the tickets are at the desk."""
    from worker.services import dispatch_queued_letters

    campaign = make_campaign(codes=2, handout=Handout.PICKUP)
    request = ask(campaign, people(1)[0])
    dispatch_queued_letters()
    campaigns.cancel(request, by=consulent)
    request.refresh_from_db()
    assert request.state == "geannuleerd" and campaigns.stock_left(campaign) == 2


@pytest.mark.django_db
def test_a_sent_letter_moves_its_request_to_sent_once(make_campaign, people):
    campaign = make_campaign(codes=2)
    request = ask(campaign, people(1)[0])
    letter = Letter.objects.get(campaign_request=request, kind=AppreciationLetter.CAMPAIGN_CODES)
    assert campaigns.letters_sent([letter.pk]) == 1
    assert campaigns.letters_sent([letter.pk]) == 0  # told twice: nothing more happens
    request.refresh_from_db()
    assert request.state == "verstuurd"
    assert StateLog.objects.for_(request).filter(state="verstuurd").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("state, kind", [
    (State.ACTIEF, AppreciationLetter.CAMPAIGN_DUPLICATE),
    (State.AANGEMELD, AppreciationLetter.CAMPAIGN_NOT_ACTIVE),
])
def test_a_refused_public_ask_is_told_at_most_once_a_day(make_campaign, people, state, kind):
    campaign = make_campaign(codes=4)
    [person] = people(1)
    Caregiver.objects.filter(pk=person.pk).update(postcode="3845AB")
    details = {"date_of_birth": person.date_of_birth, "postcode": "3845 AB",
               "house_number": person.house_number}
    if state == State.ACTIEF:
        ask(campaign, person)
    else:
        Caregiver.objects.filter(pk=person.pk).update(state=state)
    for _ in range(3):
        campaigns.ask_by_details(campaign, details)
    with time_machine.travel(datetime.datetime(2026, 7, 2, 10, 0), tick=False):
        campaigns.ask_by_details(campaign, details)
    letters = Letter.objects.filter(caregiver=person, kind=kind)
    assert letters.count() == 2  # one on 1 July, one on 2 July
