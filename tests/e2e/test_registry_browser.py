"""A consulent keeps the registry right in a real browser (issue 19): corrects an address
(the timeline shows before and after, the wijk is looked up again) and adds a second
naaste, by keyboard and visible labels, with axe-core on every page."""

from registrations.models import CareRecipient, District, PostcodeRange
from tests.e2e.browser import assert_no_axe_violations, staff_login
from tests.factories import DeskCaregiverFactory


def wijk(name: str, code: str) -> District:
    # get_or_create: transactional tests before this one may have flushed the wijken.
    return District.objects.get_or_create(name=name, defaults={"cbs_code": code})[0]


def test_consulent_corrects_an_address_and_adds_a_second_naaste(page, axe):
    stad, hierden = wijk("Stadsdennen", "WK024305"), wijk("Hierden", "WK024315")
    PostcodeRange.objects.create(first="3845AA", last="3845ZZ", district=stad)
    PostcodeRange.objects.create(first="3849AA", last="3849ZZ", district=hierden)
    riet = DeskCaregiverFactory(postcode="3845AB", district=stad, channel="post")

    staff_login(page)
    page.get_by_role("link", name="Mantelzorgers", exact=True).click()
    page.get_by_role("link", name="Bakker, Riet").click()
    assert_no_axe_violations(axe, page)

    page.get_by_role("link", name="Gegevens aanpassen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/mantelzorgers/{riet.pk}/aanpassen/")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Straat", exact=True).fill("Dorpsstraat")
    page.get_by_label("Huisnummer", exact=True).fill("3")
    page.get_by_label("Postcode", exact=True).fill("3849 KL")
    page.get_by_label("Woonplaats", exact=True).fill("Hierden")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/mantelzorgers/{riet.pk}/")
    assert_no_axe_violations(axe, page)
    timeline = page.get_by_role("table", name="Veranderingen van status en aangepaste gegevens")
    text = timeline.inner_text()
    assert "Postcode: 3845 AB → 3849 KL" in text and "Wijk: Stadsdennen → Hierden" in text
    assert "Straat: Lindenlaan → Dorpsstraat" in text
    riet.refresh_from_db()
    assert riet.district == hierden

    page.get_by_role("link", name="Naaste toevoegen").click()
    page.wait_for_url("**/naasten/nieuw/")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Naam van de naaste").fill("Truus Bakker")
    page.get_by_label("Ouder", exact=True).check()
    page.get_by_role("group", name="Woont de naaste in Harderwijk of Hierden?") \
        .get_by_label("Ja").check()
    page.get_by_role("group", name="Wonen de mantelzorger en de naaste samen?") \
        .get_by_label("Nee").check()
    page.get_by_label("Vervoer naar afspraken").check()
    page.get_by_label("Hoeveel uur per week zorgt de mantelzorger ongeveer?").fill("6")
    page.get_by_label("Sinds wanneer zorgt de mantelzorger?").fill("01-06-2022")
    page.get_by_role("button", name="Naaste toevoegen").click()
    page.wait_for_url(f"**/mantelzorgers/{riet.pk}/")
    assert_no_axe_violations(axe, page)
    assert page.get_by_role("heading", name="Truus Bakker (Ouder)").is_visible()
    assert page.get_by_role("heading", name="Naaste van Riet (Partner)").is_visible()
    assert CareRecipient.objects.filter(caregiver=riet).count() == 2

    # Ending the care for one of two naasten: the page says the registration stays active.
    page.get_by_role("link", name="Zorg gestopt of opname").first.click()
    assert "De inschrijving blijft actief" in page.content()
    assert_no_axe_violations(axe, page)
