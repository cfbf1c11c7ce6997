"""Issue 19 in a browser: a former caregiver asks two zwemkaartjes in Mijn gegevens and gets
them, and a coordinator filters the caregiver list by a target group. axe-core on every
page on the way."""

import datetime

import time_machine
from playwright.sync_api import expect

from appreciation.models import CampaignRequest
from tests.e2e.browser import assert_no_axe_violations, sign_in, staff_login
from tests.factories import CampaignFactory, CaregiverFactory

SUMMER = datetime.datetime(2026, 7, 1, 10, 0)
CONSENT = datetime.datetime(2025, 3, 1, 10, 0, tzinfo=datetime.UTC)


def test_a_former_caregiver_asks_two_swimming_tickets_and_gets_them(page, axe, inline_tasks):
    with time_machine.travel(SUMMER, tick=True):
        campaign = CampaignFactory(usual=True, codes=["SYPEL-0001", "SYPEL-0002",
                                                      "SYPEL-0003"])
        riet = CaregiverFactory(former=True, recipient=True)  # care ended 700 days ago
        sign_in(page, axe)
        page.get_by_role("link", name="Zwemkaartjes en acties: aanvragen en bekijken").click()
        page.wait_for_url("**/mijn-gegevens/campagnes/")
        expect(page.get_by_text("niet actief")).to_have_count(0)
        assert_no_axe_violations(axe, page)

        page.get_by_role("button", name="Zwemkaartjes aanvragen").click()
        expect(page.get_by_role("status")).to_contain_text(
            "Uw aanvraag is binnen. U krijgt een brief of e-mail met de codes.")
        assert_no_axe_violations(axe, page)

        request = CampaignRequest.objects.get(caregiver=riet, campaign=campaign)
        assert sorted(request.codes.values_list("code", flat=True)) == ["SYPEL-0001",
                                                                        "SYPEL-0002"]
        page.reload()
        for code in ("SYPEL-0001", "SYPEL-0002"):
            expect(page.get_by_text(code, exact=True)).to_be_visible()
        assert_no_axe_violations(axe, page)


def test_a_coordinator_filters_the_caregiver_list_by_a_target_group(page, axe):
    CaregiverFactory(first_name="Emma", last_name="Ouder", email="emma@example.nl",
                     date_of_birth=datetime.date(1980, 4, 1), parent_of_disabled_child=True,
                     target_group_consent_at=CONSENT)
    CaregiverFactory(first_name="Riet", last_name="Bakker",
                     date_of_birth=datetime.date(1980, 4, 1))
    CaregiverFactory(first_name="Wim", last_name="Oud", email="wim@example.nl",
                     date_of_birth=datetime.date(1940, 1, 1))
    staff_login(page, username="carla", role="coordinator")
    page.goto("/backoffice/mantelzorgers/")
    assert_no_axe_violations(axe, page)

    page.get_by_label("Doelgroep").select_option(
        label="Ouders van een kind met een ernstige meervoudige beperking (EMB)")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**target_group=emb**")
    expect(page.get_by_role("status")).to_have_text("1 mantelzorger gevonden")
    expect(page.get_by_role("link", name="Ouder, Emma")).to_be_visible()
    expect(page.get_by_role("link", name="Bakker, Riet")).to_have_count(0)
    assert_no_axe_violations(axe, page)

    page.get_by_label("Doelgroep").select_option(label="Mantelzorgers van 70 jaar of ouder")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**target_group=70plus**")
    expect(page.get_by_role("link", name="Oud, Wim")).to_be_visible()
    expect(page.get_by_role("link", name="Ouder, Emma")).to_have_count(0)
    assert_no_axe_violations(axe, page)
