"""Campaigns as the annual report describes them: every registered caregiver may have them,
former caregivers within their two years included; stock is a warning to the coordinator,
not a waiting list (unless the campaign says its stock is limited); codes come from the
supplier, from physical cards or, only by explicit choice, from the product itself."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from appreciation.campaigns import services as campaigns
from appreciation.campaigns.selectors import campaign_with_counts, stock_warning
from appreciation.campaigns.stock_notice import send_stock_notice
from appreciation.models import (
    AppreciationLetter,
    Campaign,
    CampaignRequest,
    CampaignRoute,
    CodeSource,
    Handout,
    TicketCode,
)
from tests.factories import CaregiverFactory
from worker.letters import letter_html
from worker.models import Letter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("summer")]


def ask(campaign, caregiver):
    return campaigns.ask(campaign, caregiver, route=CampaignRoute.SELF_SERVICE)


def states(campaign) -> list[str]:
    return list(campaign.requests.order_by("requested_at", "pk").values_list("state", flat=True))


def codes_of(request) -> list[str]:
    return sorted(request.codes.values_list("code", flat=True))


# --- who may have it -----------------------------------------------------------------------

def test_a_new_campaign_is_for_everyone_registered_without_waiting_list_or_own_codes():
    campaign = Campaign(name="Zwemkaartjes", starts_on=datetime.date(2026, 6, 1),
                        ends_on=datetime.date(2026, 8, 31))
    assert campaign.include_former is True
    assert campaign.limited_stock is False
    assert campaign.code_source == CodeSource.SUPPLIER
    assert campaign.tickets_per_caregiver == 2


def test_a_former_caregiver_asks_two_swimming_tickets_and_gets_them(make_campaign):
    campaign = make_campaign(usual=True, codes=["A1", "A2", "A3"])
    former = CaregiverFactory(former=True)
    request = ask(campaign, former)
    assert request.state == "toegekend" and codes_of(request) == ["A1", "A2"]
    assert Letter.objects.filter(kind=AppreciationLetter.CAMPAIGN_CODES,
                                 caregiver=former).count() == 1


def test_an_ended_registration_still_may_not_ask(make_campaign):
    campaign = make_campaign(usual=True, codes=2)
    with pytest.raises(campaigns.CampaignRefused) as refused:
        ask(campaign, CaregiverFactory(ended=True))
    assert refused.value.code == "not_active" and not CampaignRequest.objects.exists()


def test_a_former_caregiver_is_never_told_the_registration_is_not_active(make_campaign):
    """A campaign only for current caregivers: the former caregiver hears why, not "uw
    inschrijving is niet actief" (it is still running)."""
    campaign = make_campaign(usual=True, include_former=False, codes=2)
    with pytest.raises(campaigns.CampaignRefused) as refused:
        ask(campaign, CaregiverFactory(former=True))
    assert refused.value.message == (
        "Dit is alleen voor mensen die nu voor iemand zorgen. Bel ons gerust, dan kijken we "
        "samen wat kan.")
    assert not CampaignRequest.objects.exists()


def test_the_letter_to_a_former_caregiver_who_used_the_public_form_says_why(make_campaign):
    campaign = make_campaign(usual=True, include_former=False, codes=2)
    former = CaregiverFactory(former=True)
    campaigns.ask_by_details(campaign, {"date_of_birth": former.date_of_birth,
                                        "postcode": former.postcode,
                                        "house_number": former.house_number})
    letter = Letter.objects.get(kind=AppreciationLetter.CAMPAIGN_NOT_ACTIVE)
    html = letter_html(letter)
    assert "Zwemkaartjes zomer 2026 is alleen voor mensen die nu voor iemand zorgen." in html
    assert "U blijft wel ingeschreven" in html
    assert "niet actief" not in html


def test_a_former_caregiver_in_mijn_gegevens_sees_no_not_active_text(client, make_campaign,
                                                                     sign_in):
    make_campaign(usual=True, include_former=False, codes=2)
    former = CaregiverFactory(former=True, complete=True)
    sign_in(client, former)
    html = client.get("/mijn-gegevens/campagnes/").content.decode()
    assert "alleen voor mensen die nu voor iemand zorgen" in html
    assert "niet actief" not in html


# --- stock is a warning, not a waiting list ---------------------------------------------------

def test_when_codes_run_out_the_request_stands_and_waits_for_codes(make_campaign):
    campaign = make_campaign(usual=True, codes=["A1", "A2", "A3"])
    first, second = CaregiverFactory(first_name="An"), CaregiverFactory(first_name="Bo")
    assert ask(campaign, first).state == "toegekend"
    waiting = ask(campaign, second)  # one code left, two needed
    assert waiting.state == "wacht_codes" and codes_of(waiting) == []
    assert campaigns.stock_left(campaign) == 1  # nothing given half
    # no waiting-list letter: the person gets the codes letter when codes arrive
    assert not Letter.objects.filter(kind=AppreciationLetter.CAMPAIGN_WAITLIST).exists()
    log = StateLog.objects.for_(waiting).latest("pk")
    assert (log.state, log.description) == ("wacht_codes",
                                            "Geen codes meer: wacht op nieuwe codes")


def test_codes_added_go_to_who_waits_for_codes_in_the_order_they_asked(make_campaign):
    campaign = make_campaign(usual=True, codes=2)
    people = [CaregiverFactory(first_name=f"P{n}", email=f"p{n}@example.nl") for n in range(4)]
    requests = [ask(campaign, person) for person in people]
    assert states(campaign) == ["toegekend"] + ["wacht_codes"] * 3
    assert campaigns.add_codes(campaign, ["N1", "N2", "N3", "N4", "N5"]) == 5
    assert states(campaign) == ["toegekend"] * 3 + ["wacht_codes"]
    assert codes_of(CampaignRequest.objects.get(pk=requests[1].pk)) == ["N1", "N2"]
    assert codes_of(CampaignRequest.objects.get(pk=requests[2].pk)) == ["N3", "N4"]
    assert Letter.objects.filter(kind=AppreciationLetter.CAMPAIGN_CODES).count() == 3


def test_a_new_request_does_not_pass_someone_waiting_for_codes(make_campaign):
    campaign = make_campaign(usual=True, codes=2, tickets_per_caregiver=2)
    a, b, c = (CaregiverFactory(first_name=n, email=f"{n}@example.nl") for n in "abc")
    ask(campaign, a)
    ask(campaign, b)
    campaigns.add_codes(campaign, ["L1"])  # one code: b needs two
    Campaign.objects.filter(pk=campaign.pk).update(tickets_per_caregiver=1)
    campaign.refresh_from_db()
    assert ask(campaign, c).state == "wacht_codes"


def test_a_limited_campaign_still_has_its_waiting_list(make_campaign):
    campaign = make_campaign(usual=True, limited_stock=True, codes=2)
    ask(campaign, CaregiverFactory(first_name="An"))
    second = ask(campaign, CaregiverFactory(first_name="Bo", email="bo@example.nl"))
    assert second.state == "wachtlijst"
    assert Letter.objects.filter(kind=AppreciationLetter.CAMPAIGN_WAITLIST).count() == 1


def test_exactly_enough_codes_are_handed_out_one_short_waits(make_campaign):
    campaign = make_campaign(usual=True, tickets_per_caregiver=3, codes=5)
    assert ask(campaign, CaregiverFactory(first_name="An")).state == "toegekend"
    assert ask(campaign, CaregiverFactory(first_name="Bo", email="bo@example.nl")
               ).state == "wacht_codes"
    campaigns.add_codes(campaign, ["X1"])
    assert states(campaign) == ["toegekend", "toegekend"]
    assert campaigns.stock_left(campaign) == 0


def test_closing_lets_the_waiting_list_lapse_but_keeps_who_waits_for_codes(make_campaign):
    owed = make_campaign(usual=True, codes=2, name="Zonder wachtlijst")
    limited = make_campaign(usual=True, limited_stock=True, codes=2, name="Met wachtlijst")
    people = [CaregiverFactory(first_name=f"P{n}", email=f"p{n}@example.nl") for n in range(2)]
    for campaign in (owed, limited):
        for person in people:
            ask(campaign, person)
    assert campaigns.close_finished_campaigns(datetime.date(2026, 9, 1)) == 2
    assert states(owed) == ["toegekend", "wacht_codes"]
    assert states(limited) == ["toegekend", "geannuleerd"]
    campaigns.add_codes(Campaign.objects.get(pk=owed.pk), ["LATE1", "LATE2"])
    assert states(owed) == ["toegekend", "toegekend"]


def test_who_waits_for_codes_may_cancel_and_nothing_is_freed(make_campaign):
    campaign = make_campaign(usual=True, codes=0)
    riet = CaregiverFactory()
    request = ask(campaign, riet)
    assert request.state == "wacht_codes"
    campaigns.cancel(request, caregiver=riet)
    assert states(campaign) == ["geannuleerd"] and not TicketCode.objects.exists()


# --- the coordinator is warned ---------------------------------------------------------------

def test_the_warning_names_the_campaign_and_how_many_wait(make_campaign):
    campaign = make_campaign(usual=True, codes=2)
    assert stock_warning(campaign_with_counts(campaign.pk)) == ""
    ask(campaign, CaregiverFactory(first_name="An"))
    assert stock_warning(campaign_with_counts(campaign.pk)) == (
        "Zwemkaartjes zomer 2026: de voorraad is op. Nieuwe aanvragen wachten tot er codes "
        "bij komen.")
    for n in range(2):
        ask(campaign, CaregiverFactory(first_name=f"W{n}", email=f"w{n}@example.nl"))
    assert stock_warning(campaign_with_counts(campaign.pk)) == (
        "Zwemkaartjes zomer 2026: de voorraad is op. 2 mantelzorgers wachten op codes. Laad "
        "nieuwe codes van de leverancier.")


def test_a_limited_campaign_or_one_with_stock_gives_no_warning(make_campaign):
    limited = make_campaign(usual=True, limited_stock=True, codes=0, name="Beperkt")
    ask(limited, CaregiverFactory())
    stocked = make_campaign(usual=True, codes=4, name="Genoeg")
    ask(stocked, CaregiverFactory(first_name="Bo", email="bo@example.nl"))
    assert stock_warning(campaign_with_counts(limited.pk)) == ""
    assert stock_warning(campaign_with_counts(stocked.pk)) == ""


def test_the_dashboard_and_the_campaign_pages_show_the_warning(as_coordinator, make_campaign):
    campaign = make_campaign(usual=True, codes=0)
    ask(campaign, CaregiverFactory())
    expected = "1 mantelzorger wacht op codes"
    for page in ("/backoffice/", "/backoffice/campagnes/",
                 f"/backoffice/campagnes/{campaign.pk}/"):
        assert expected in as_coordinator.get(page).content.decode(), page


def test_coordinators_get_the_warning_by_e_mail_once_a_day(make_campaign, make_staff):
    coordinator = make_staff("coordinator")[0]
    coordinator.email = "coordinator@servicepunt.example"
    coordinator.save()
    consulent = make_staff("consulent")[0]
    consulent.email = "consulent@servicepunt.example"
    consulent.save()
    campaign = make_campaign(usual=True, codes=2)
    ask(campaign, CaregiverFactory(first_name="An", email="an@example.nl"))
    campaigns.add_codes(campaign, ["C3", "C4"])
    assert send_stock_notice() == 0  # stock left: nothing to say
    ask(campaign, CaregiverFactory(first_name="Bo", email="bo@example.nl"))
    ask(campaign, CaregiverFactory(first_name="Cor", email="cor@example.nl"))
    mail.outbox.clear()
    assert send_stock_notice() == 1
    assert send_stock_notice() == 0  # the same day: nothing again
    [message] = mail.outbox
    assert message.subject == "Campagnes: de voorraad is op"
    assert message.to == ["coordinator@servicepunt.example"]
    assert "1 mantelzorger wacht op codes" in message.body
    assert f"/backoffice/campagnes/{campaign.pk}/" in message.body
    assert "Cor" not in message.body  # no names


# --- where codes come from ------------------------------------------------------------------

def test_the_product_makes_no_codes_for_a_supplier_or_card_campaign(make_campaign):
    for source in (CodeSource.SUPPLIER, CodeSource.PHYSICAL):
        campaign = make_campaign(usual=True, code_source=source, stock_total=10,
                                 name=f"Bron {source}")
        with pytest.raises(campaigns.CampaignRefused) as refused:
            campaigns.generate_codes(campaign, 5)
        assert refused.value.code == "not_own_codes"
    assert not TicketCode.objects.exists()
    own = make_campaign(usual=True, code_source=CodeSource.OWN, name="Eigen")
    assert campaigns.generate_codes(own, 3) == 3


def test_the_attentie_for_everyone_never_invents_supplier_codes(make_campaign, coordinator):
    attentie = make_campaign(usual=True, name="Attentie 2026", kind="attentie",
                             requires_request=False, tickets_per_caregiver=1,
                             codes=["BON1", "BON2"])
    people = [CaregiverFactory(first_name=f"P{n}", email=f"p{n}@example.nl")
              for n in range(3)]
    people.append(CaregiverFactory(first_name="Fien", former=True))
    assert campaigns.grant_to_everyone(attentie, coordinator) == 4
    assert sorted(TicketCode.objects.values_list("code", flat=True)) == ["BON1", "BON2"]
    assert sorted(states(attentie)) == ["toegekend", "toegekend", "wacht_codes",
                                        "wacht_codes"]
    assert attentie.requests.filter(caregiver=people[-1]).exists()  # former included
    campaigns.add_codes(attentie, ["BON3", "BON4"])
    assert states(attentie) == ["toegekend"] * 4


def test_the_attentie_with_own_codes_makes_what_it_needs(make_campaign, coordinator):
    attentie = make_campaign(usual=True, name="Attentie 2026", kind="attentie",
                             requires_request=False, tickets_per_caregiver=1,
                             code_source=CodeSource.OWN)
    CaregiverFactory(first_name="An"), CaregiverFactory(first_name="Fien", former=True)
    assert campaigns.grant_to_everyone(attentie, coordinator) == 2
    assert states(attentie) == ["toegekend", "toegekend"]
    assert all(code.startswith("BON-") for code in
               TicketCode.objects.values_list("code", flat=True))


def test_physical_cards_are_set_aside_while_they_last_then_wait(make_campaign):
    cards = make_campaign(usual=True, code_source=CodeSource.PHYSICAL, stock_total=4,
                          name="Kaarten")
    people = [CaregiverFactory(first_name=f"P{n}", email=f"p{n}@example.nl") for n in range(3)]
    requests = [ask(cards, person) for person in people]
    assert [r.state for r in requests] == ["toegekend", "toegekend", "wacht_codes"]
    assert not TicketCode.objects.exists() and campaigns.stock_left(cards) == 0
    assert not Letter.objects.filter(kind=AppreciationLetter.CAMPAIGN_CODES).exists()
    Campaign.objects.filter(pk=cards.pk).update(stock_total=6)
    assert campaigns.stock_changed(Campaign.objects.get(pk=cards.pk)) == 1
    assert states(cards) == ["toegekend"] * 3


def test_staff_mark_a_posted_card_and_only_for_cards_by_post(make_campaign, consulent):
    cards = make_campaign(usual=True, code_source=CodeSource.PHYSICAL, stock_total=4,
                          name="Kaarten")
    request = ask(cards, CaregiverFactory())
    with pytest.raises(PermissionDenied):
        campaigns.mark_posted(request, AnonymousUser())
    assert campaigns.mark_posted(request, consulent).state == "verstuurd"
    coded = make_campaign(usual=True, codes=2, name="Codes")
    other = ask(coded, CaregiverFactory(first_name="Bo", email="bo@example.nl"))
    with pytest.raises(TransitionNotAllowed):
        campaigns.mark_posted(other, consulent)
    pickup = make_campaign(usual=True, code_source=CodeSource.PHYSICAL, stock_total=4,
                           handout=Handout.PICKUP, name="Ophalen")
    handed = ask(pickup, CaregiverFactory(first_name="Cor", email="cor@example.nl"))
    with pytest.raises(TransitionNotAllowed):
        campaigns.mark_posted(handed, consulent)
    assert campaigns.mark_picked_up(handed, consulent).state == "opgehaald"


def test_a_card_campaign_takes_no_codes(make_campaign):
    cards = make_campaign(usual=True, code_source=CodeSource.PHYSICAL, stock_total=4)
    with pytest.raises(campaigns.CampaignRefused) as refused:
        campaigns.add_codes(cards, ["A1"])
    assert refused.value.code == "physical" and not TicketCode.objects.exists()


def test_codes_another_campaign_has_are_refused_with_their_lines(make_campaign):
    make_campaign(usual=True, name="Zomer 2025", codes=["OUD1", "OUD2"])
    new = make_campaign(usual=True, name="Zomer 2026")
    text = "code\nNIEUW1\n\nOUD2\nNIEUW2\n"
    taken = campaigns.codes_elsewhere(new, campaigns.parse_codes(text))
    assert taken == {"OUD2": "Zomer 2025"}
    with pytest.raises(campaigns.CodesRefused) as refused:
        campaigns.parse_codes(text, taken=taken)
    assert refused.value.errors == [(4, "Deze code hoort al bij de campagne Zomer 2025.")]


def test_a_former_caregiver_passed_over_in_line_is_not_told_not_active(make_campaign):
    """Care ended while waiting, in a campaign only for current caregivers: the letter says
    why, without "niet meer actief"."""
    campaign = make_campaign(usual=True, include_former=False, codes=0)
    riet = CaregiverFactory()
    ask(campaign, riet)
    riet.end_care(on=datetime.date(2026, 6, 30), reason="overlijden")
    riet.save()
    campaigns.add_codes(campaign, ["A1", "A2"])
    assert states(campaign) == ["afgewezen"]
    letter = Letter.objects.get(kind=AppreciationLetter.CAMPAIGN_CANCELLED)
    html = letter_html(letter)
    assert "Zwemkaartjes zomer 2026 is alleen voor mensen die nu voor iemand zorgen." in html
    assert "niet meer actief" not in html
