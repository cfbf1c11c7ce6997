"""Issue 14 item 10: the AVG data download (Mijn gegevens, art. 15 and 20) holds everything.

A caregiver who used every feature downloads her data. Every kind of record is in the file
with its key values: waardering request (IBAN, reference, payment), campaign requests (the
codes), self-checks (each answer), contact moments, follow-up, letters, newsletters, links
and when staff looked at her record. The apps above the registrations add their parts
through registrations/extensions.py. Another caregiver's data is not in it.
"""

import datetime
import json

import pytest
from django.test import Client

from appreciation.campaigns import services as campaigns
from appreciation.models import CampaignRoute, Route
from insight import services as insight
from registrations.models import Caregiver, State
from tests.every_feature import GUARDIAN, IBAN, PERSON, RECIPIENT, use_every_feature
from tests.factories import CampaignFactory
from tests.support import OTHER_IBAN, caregiver_details, request_data, sign_in, submit


@pytest.fixture
def wilhelmina(waardering_day, media, consulent, coordinator, inline_tasks,
               django_capture_on_commit_callbacks):
    return use_every_feature(waardering_day, consulent, coordinator,
                             django_capture_on_commit_callbacks)


@pytest.fixture
def someone_else(wilhelmina, consulent):
    """Riet Bakker, with a waardering request, a campaign request and a self-check."""
    request = submit(request_data(iban=OTHER_IBAN))
    riet = Caregiver.objects.get(pk=request.caregiver_id)
    Caregiver.objects.filter(pk=riet.pk).update(state=State.ACTIEF)
    riet.refresh_from_db()
    today = datetime.date(2026, 9, 16)
    campaigns.ask(CampaignFactory(name="Kerstpakket Riet", starts_on=today, ends_on=today,
                                  codes=["RIET-CODE-1"]), riet, route=CampaignRoute.DESK,
                  by=consulent)
    insight.record_contact(riet, consulent, on=today, kind="telefoon",
                           outcome="Riet heeft vragen over respijtzorg")
    return riet


@pytest.mark.django_db
def test_the_download_holds_every_kind_of_record_and_nobody_elses(wilhelmina, someone_else):
    client = sign_in(Client(), wilhelmina.caregiver)
    response = client.get("/mijn-gegevens/download.json")
    assert response.status_code == 200
    text = response.content.decode()
    data = json.loads(text)

    assert data["mantelzorger"]["voornaam"] == PERSON["first_name"]
    assert [r["naam"] for r in data["naasten"]] == [RECIPIENT, GUARDIAN["name"]]
    # What a consulent corrected, before and after, without naming the consulent.
    street = [c for change in data["wijzigingen"] for c in change["veranderingen"]
              if c["gegeven"] == "Straat"]
    assert {"gegeven": "Straat", "was": "Klaproosstraat", "wordt": "Klaproosplein"} in street
    assert all(change["door_medewerker"] for change in data["wijzigingen"])
    assert data["ouder_of_voogd"]["e_mailadres"] == GUARDIAN["email"]

    [waardering] = data["waarderingsaanvragen"]
    request, batch = wilhelmina.request, wilhelmina.batch
    assert (waardering["referentie"], waardering["iban"], waardering["bedrag"]) == (
        request.reference, IBAN, "€ 75,00")
    assert waardering["tenaamstelling"] == "W. Zandvliet-Oostergo"
    assert waardering["naam_naaste"] == RECIPIENT
    assert waardering["status"]["code"] == "uitbetaald"
    assert waardering["betaalronde"] == batch.message_id and waardering["uitbetaald_op"]
    assert waardering["controles"] and all("goed" in check for check in waardering["controles"])
    assert [h["naar"]["code"] for h in waardering["geschiedenis"]][-1] == "uitbetaald"

    campaign_requests = {r["campagne"]: r for r in data["campagne_aanvragen"]}
    assert campaign_requests["Attentie"]["status"]["code"] == "geannuleerd"
    assert "06 8765 4321" in campaign_requests["Attentie"]["geschiedenis"][-1]["omschrijving"]
    assert campaign_requests["Zwemkaartjes zomer 2026"]["codes"] == ["Z0000", "Z0001"]

    checks = data["zelftests"]
    assert [check["score"] for check in checks] == [14, 15]
    assert checks[0]["antwoorden"][3] == {
        "uitspraak": "Ik maak me veel zorgen over mijn naaste of over hoe het verder moet.",
        "antwoord": "Vaak"}
    [contact] = data["contactmomenten"]
    assert contact["uitkomst"] == "Wilhelmina gebeld op 0687654321, gaat goed"
    assert contact["soort_contact"]["code"] == "telefoon"
    assert {task["reden_vervallen"] for task in data["opvolging"]} == {
        "", "Wilhelmina Zandvliet belt zelf terug"}

    letters = data["brieven"]
    assert {letter["verstuurd"] for letter in letters} >= {"per e-mail", "per post"}
    assert {letter["soort"]["code"] for letter in letters} >= {
        "waardering_ontvangen", "waardering_goedgekeurd", "campagne_codes"}
    [newsletter] = data["nieuwsbrieven"]
    assert newsletter["status"]["code"] == "mislukt"
    # The mail server's answer, as stored: with the address left out (worker/smtp.py).
    assert "Recipient address rejected" in newsletter["reden_niet_verstuurd"]
    assert PERSON["email"] not in newsletter["reden_niet_verstuurd"]
    assert {link["waarvoor"]["code"] for link in data["links"]} >= {"email", "ouder",
                                                                   "inloggen"}
    assert [access["wat"] for access in data["ingezien_door_medewerkers"]] == [
        "bekeken", "gewijzigd"]
    headings = [part["titel"] for part in data["over_dit_bestand"]["onderdelen"]]
    assert "Mantelzorgwaardering" in headings and "Contact met een consulent" in headings

    for theirs in ("Riet", "Bakker", OTHER_IBAN, "RIET-CODE-1", "Kerstpakket", "respijtzorg",
                   someone_else.appreciation_requests.get().reference):
        assert theirs not in text


@pytest.mark.django_db
def test_the_printable_page_shows_the_same_parts(wilhelmina, someone_else):
    client = sign_in(Client(), wilhelmina.caregiver)
    page = client.get("/mijn-gegevens/overzicht").content.decode()
    for heading in ("Mantelzorgwaardering", "Zwemkaartjes en andere campagnes",
                    "Zelftest: hoe zwaar is de zorg?", "Contact met een consulent",
                    "Afspraken om te bellen of langs te komen", "Nieuwsbrieven",
                    "Wanneer medewerkers de gegevens bekeken"):
        assert f">{heading}</h2>" in page, heading
    for value in (IBAN, wilhelmina.request.reference, "Z0001", "gaat goed", "Vaak"):
        assert value in page, value
    assert "Riet" not in page and "RIET-CODE-1" not in page


@pytest.mark.django_db
def test_a_request_on_her_behalf_shows_who_asked_and_the_typed_name_not_their_contact(
        waardering_year, inline_tasks):
    """AVG art. 15: the name typed on the public form is data held about her, so it is in the
    file; the person who asked on her behalf is named with their relation, but their phone
    number and e-mail address are theirs, not hers (art. 15(4))."""
    requester = {"name": "Jan de Buurman", "relation": "buurman",
                 "contact": "jan.buurman@example.nl 06 1122 3344"}
    request = submit(request_data(caregiver=caregiver_details(first_name="Rietje"),
                                  requester=requester), route=Route.ON_BEHALF)
    assert (request.typed_name, request.requester_contact) == (
        "Rietje Bakker", requester["contact"])
    caregiver = Caregiver.objects.get(pk=request.caregiver_id)
    client = sign_in(Client(), caregiver)
    text = client.get("/mijn-gegevens/download.json").content.decode()
    [waardering] = json.loads(text)["waarderingsaanvragen"]
    assert waardering["ingevulde_naam"] == "Rietje Bakker"
    assert (waardering["aangevraagd_door"], waardering["relatie_aanvrager"]) == (
        "Jan de Buurman", "buurman")
    for theirs in ("jan.buurman@example.nl", "06 1122 3344", "1122"):
        assert theirs not in text
    page = client.get("/mijn-gegevens/overzicht").content.decode()
    assert "Rietje Bakker" in page and "Jan de Buurman" in page
    assert "jan.buurman@example.nl" not in page and "1122 3344" not in page
