"""Inloggen met DigiD for caregivers, against the real demo provider process acting as the
DigiD broker: signing in by BSN pseudonym, linking, Machtigen, and no BSN kept anywhere."""

import datetime
import json
import subprocess

import pytest
import time_machine
from django.contrib.sessions.models import Session

from appreciation.models import AppreciationRequest, CampaignRequest, RequestState
from registrations import retention
from registrations.digid import pseudonym_of
from registrations.models import Caregiver, RegistrationRules, State
from tests.appreciation.waardering import wizard
from tests.factories import CaregiverFactory
from tests.oidc_provider import at_real_time, through_provider
from tests.registrations import wizard as registration
from tests.support import link_token, request_data, sign_in, submit, test_database_url

pytestmark = pytest.mark.django_db
START = "/mijn-gegevens/digid/"
LINK_PAGE = "/mijn-gegevens/digid/koppelen"
RIET_BSN, NEW_BSN, AGENT_BSN, REPRESENTEE_BSN = "999990019", "999990020", "999990044", \
    "999990056"
ALL_BSNS = [RIET_BSN, NEW_BSN, AGENT_BSN, REPRESENTEE_BSN]


def with_digid(client, identity, next_url=""):
    with at_real_time():
        return through_provider(client, f"{START}?next={next_url}" if next_url else START,
                                identity)


@pytest.fixture
def riet(digid):
    return CaregiverFactory(complete=True, first_name="Riet",
                            bsn_pseudonym=pseudonym_of(RIET_BSN))


def test_the_button_is_on_mijn_gegevens_only_when_digid_is_configured(client, settings):
    assert "Inloggen met DigiD" not in client.get("/mijn-gegevens/inloggen").content.decode()
    assert client.get(START).status_code == 404
    settings.DIGID = {**settings.DIGID, "issuer": "http://127.0.0.1:9", "client_id": "x"}
    page = client.get("/mijn-gegevens/inloggen").content.decode()
    assert "Inloggen met DigiD" in page and 'href="/mijn-gegevens/digid/?next=' in page


def test_a_linked_caregiver_signs_in_with_digid(client, riet):
    response = with_digid(client, "digid-mantelzorger")
    assert response.status_code == 302 and response["Location"] == "/mijn-gegevens/"
    page = client.get("/mijn-gegevens/")
    assert page.status_code == 200 and "Riet" in page.content.decode()


def test_a_waardering_asked_with_digid_is_confirmed_without_a_link(client, riet,
                                                                   waardering_year):
    assert "Inloggen met DigiD" in client.get("/waardering").content.decode()
    assert with_digid(client, "digid-mantelzorger", "/waardering")["Location"] == "/waardering"
    wizard.fill(client, steps=[("zorg", wizard.CARE), ("betaling", wizard.PAYMENT),
                               ("belasting", wizard.SKIP_BURDEN)])
    assert wizard.send(client).status_code == 302
    request = AppreciationRequest.objects.get(caregiver=riet)
    assert request.state == RequestState.INGEDIEND
    assert request.caregiver_confirmed_at is not None and not request.needs_confirmation
    assert request.confirm_code_hash == "" and request.mandate_representative == ""


def test_the_swimming_tickets_page_offers_digid(client, digid, make_campaign):
    with time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0), tick=False):
        make_campaign()
        page = client.get("/zwemkaartjes").content.decode()
    assert 'href="/mijn-gegevens/digid/?next=/mijn-gegevens/campagnes/"' in page


def test_someone_unknown_is_offered_to_register_and_is_linked_after(client, digid):
    response = with_digid(client, "digid-nieuw")
    assert response["Location"] == "/mijn-gegevens/digid/onbekend"
    page = client.get(response["Location"]).content.decode()
    assert "Wij kennen u nog niet" in page and 'href="/aanmelden"' in page
    assert client.get("/mijn-gegevens/").status_code == 302  # not signed in
    registration.fill(client)
    registration.submit(client)
    caregiver = Caregiver.objects.get()
    assert caregiver.bsn_pseudonym == pseudonym_of(NEW_BSN)


def test_a_registered_caregiver_links_digid_by_opening_their_link_once(client, digid):
    riet = CaregiverFactory(complete=True, first_name="Riet", last_name="Bakker")
    with_digid(client, "digid-mantelzorger")
    opened = client.post(f"/mijn-gegevens/link/{link_token(riet)}")
    assert opened["Location"] == LINK_PAGE
    page = client.get(LINK_PAGE).content.decode()
    assert "U bent ingelogd als Riet Bakker" in page and "DigiD koppelen" in page
    assert client.post(LINK_PAGE, {"koppelen": "1"})["Location"] == "/mijn-gegevens/"
    riet.refresh_from_db()
    assert riet.bsn_pseudonym == pseudonym_of(RIET_BSN)
    client.post("/mijn-gegevens/uitloggen")
    assert with_digid(client, "digid-mantelzorger")["Location"] == "/mijn-gegevens/"


def test_signed_in_by_link_digid_is_linked_when_they_choose_so(client, digid):
    riet = CaregiverFactory(complete=True, first_name="Riet")
    sign_in(client, riet)
    assert with_digid(client, "digid-mantelzorger")["Location"] == LINK_PAGE
    client.post(LINK_PAGE, {"koppelen": "1"})
    riet.refresh_from_db()
    assert riet.bsn_pseudonym == pseudonym_of(RIET_BSN)


def test_not_my_registration_links_nothing(client, digid):
    """Someone left signed in on a shared computer; the next person uses DigiD."""
    riet = CaregiverFactory(complete=True, first_name="Riet")
    sign_in(client, riet)
    with_digid(client, "digid-nieuw")
    assert client.post(LINK_PAGE, {"niet": "1"})["Location"] == "/mijn-gegevens/"
    riet.refresh_from_db()
    assert riet.bsn_pseudonym == ""
    assert client.get(LINK_PAGE)["Location"] == "/mijn-gegevens/"  # nothing waits any more


def test_a_new_registration_takes_digid_over_from_an_ended_one(client, riet):
    Caregiver.objects.filter(pk=riet.pk).update(state=State.BEEINDIGD,
                                                ended_on=datetime.date(2026, 1, 1))
    assert with_digid(client, "digid-mantelzorger")["Location"] == "/mijn-gegevens/digid/onbekend"
    registration.fill(client)
    registration.submit(client)
    riet.refresh_from_db()
    again = Caregiver.objects.exclude(pk=riet.pk).get()
    assert (riet.bsn_pseudonym, again.bsn_pseudonym) == ("", pseudonym_of(RIET_BSN))


def test_machtigen_records_the_representee_and_the_representative(client, digid,
                                                                  waardering_year):
    caregiver = CaregiverFactory(complete=True, first_name="Truus",
                                 bsn_pseudonym=pseudonym_of(REPRESENTEE_BSN))
    assert with_digid(client, "digid-gemachtigde", "/waardering")["Location"] == "/waardering"
    wizard.fill(client, steps=[("zorg", wizard.CARE), ("betaling", wizard.PAYMENT),
                               ("belasting", wizard.SKIP_BURDEN)])
    wizard.send(client)
    request = AppreciationRequest.objects.get(caregiver=caregiver)
    assert request.mandate_representee == pseudonym_of(REPRESENTEE_BSN)
    assert request.mandate_representative == pseudonym_of(AGENT_BSN)
    assert request.requester_name == "Gemachtigde (DigiD Machtigen)"
    assert request.caregiver_confirmed_at is not None


def test_machtigen_for_someone_not_registered_signs_nobody_in(client, digid):
    response = with_digid(client, "digid-gemachtigde")
    assert response.status_code == 200
    assert "Deze persoon is nog niet ingeschreven" in response.content.decode()
    assert client.get("/mijn-gegevens/").status_code == 302


def test_signing_out_ends_the_digid_session_at_the_broker_too(client, riet):
    with_digid(client, "digid-mantelzorger")
    response = client.post("/mijn-gegevens/uitloggen")
    location = response["Location"]
    assert "/session/end?" in location and "id_token_hint" not in location
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2F" in location
    assert client.get("/mijn-gegevens/").status_code == 302


@pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only
def test_the_bsn_is_stored_nowhere_and_logged_nowhere(client, digid, waardering_year, caplog):
    """Every DigiD flow once (sign-in, a request, Machtigen, unknown and then registered),
    then the whole database as pg_dump writes it and every log line: no BSN anywhere."""
    CaregiverFactory(complete=True, bsn_pseudonym=pseudonym_of(REPRESENTEE_BSN))
    CaregiverFactory(complete=True, first_name="Riet", bsn_pseudonym=pseudonym_of(RIET_BSN))
    caplog.set_level("DEBUG")
    with_digid(client, "digid-mantelzorger", "/waardering")
    wizard.fill(client, steps=[("zorg", wizard.CARE), ("betaling", wizard.PAYMENT),
                               ("belasting", wizard.SKIP_BURDEN)])
    wizard.send(client)
    client.post("/mijn-gegevens/uitloggen")
    with_digid(client, "digid-gemachtigde", "/waardering")
    with_digid(client, "digid-nieuw")
    registration.fill(client)
    registration.submit(client)
    dump = subprocess.run(["pg_dump", "--data-only", "--no-owner", test_database_url()],
                          capture_output=True, text=True, timeout=60, check=True).stdout
    assert pseudonym_of(NEW_BSN) in dump  # the dump does hold the pseudonyms
    # Session data is signed and compressed in the dump: read it decoded as well.
    sessions = json.dumps([session.get_decoded() for session in Session.objects.all()])
    assert Session.objects.exists()
    for bsn in ALL_BSNS:
        assert bsn not in dump, f"BSN {bsn} in the database"
        assert bsn not in sessions, f"BSN {bsn} in a session"
        assert bsn not in caplog.text, f"BSN {bsn} in the logs"


def test_erasure_empties_the_pseudonyms(waardering_year, settings):
    """The service records Machtigen on the request; erasure takes both pseudonyms away."""
    settings.BSN_PSEUDONYM_KEY = "k" * 40
    truus = CaregiverFactory(complete=True, bsn_pseudonym=pseudonym_of(REPRESENTEE_BSN))
    request = submit(request_data(caregiver={}, mandate_representative=pseudonym_of(AGENT_BSN)),
                     caregiver=truus)
    assert (request.mandate_representee, request.mandate_representative) == (
        pseudonym_of(REPRESENTEE_BSN), pseudonym_of(AGENT_BSN))
    Caregiver.objects.filter(pk=truus.pk).update(state=State.BEEINDIGD,
                                                 ended_on=datetime.date(2025, 1, 1))
    retention.erase_ended_registrations(datetime.date(2026, 9, 15),
                                        RegistrationRules.current())
    truus.refresh_from_db()
    request.refresh_from_db()
    assert truus.state == State.GEWIST and truus.bsn_pseudonym == ""
    assert (request.mandate_representee, request.mandate_representative) == ("", "")


def test_machtigen_on_the_swimming_tickets_records_both_too(client, digid, make_campaign):
    truus = CaregiverFactory(complete=True, bsn_pseudonym=pseudonym_of(REPRESENTEE_BSN))
    with time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0), tick=False):
        campaign = make_campaign(codes=4)
        with_digid(client, "digid-gemachtigde")
        response = client.post(f"/mijn-gegevens/campagnes/{campaign.pk}/aanvragen")
    assert response.status_code == 302
    asked = CampaignRequest.objects.get(caregiver=truus)
    assert (asked.mandate_representee, asked.mandate_representative) == (
        pseudonym_of(REPRESENTEE_BSN), pseudonym_of(AGENT_BSN))


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/x",
                                       "javascript:alert(1)", "mijn-gegevens"])
def test_digid_never_sends_anyone_elsewhere(client, riet, elsewhere):
    assert with_digid(client, "digid-mantelzorger", elsewhere)["Location"] == "/mijn-gegevens/"
