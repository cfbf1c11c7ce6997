"""Mijn gegevens: sign-in by a single-use link, the caregiver's own data, and its changes."""

import datetime
import json
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_fsm_log.models import StateLog

from core import clock
from registrations import services
from registrations.models import (
    AccessToken,
    Caregiver,
    State,
    TokenPurpose,
)
from registrations.selfservice_session import CAREGIVER_KEY
from tests.factories import CaregiverFactory, GuardianFactory, RetentionNoticeFactory
from tests.support import link_token

BASE = "/mijn-gegevens/"
PROTECTED = ["", "contact", "nieuwsbrief-stoppen", "zorg-gestopt", "download.json",
             "overzicht", "uitschrijven"]
CSRF = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


@pytest.fixture
def riet(db):
    return CaregiverFactory(complete=True)


@pytest.fixture
def other(db):
    """Caregiver B: nothing A does may show or change anything of B."""
    return CaregiverFactory(complete=True, first_name="Bram", last_name="Visser",
                            email="bram@example.nl", recipient="Truus Visser", phone="0687654321")


def snapshot(caregiver):
    return Caregiver.objects.filter(pk=caregiver.pk).values().get()


def request_link(client, email, capture):
    with capture(execute=True):
        return client.post(f"{BASE}inloggen", {"email": email})


# --- asking for a link and using it -----------------------------------------------------
@pytest.mark.django_db
def test_home_and_footer_point_to_mijn_gegevens(client):
    html = client.get("/").content.decode()
    assert f'href="{BASE}inloggen"' in html and 'href="/aanmelden"' in html
    page = client.get(f"{BASE}inloggen").content.decode()
    assert ">E-mailadres" in page and "Stuur mij een link" in page


@pytest.mark.django_db
def test_known_and_unknown_address_get_the_same_page(client, riet, inline_tasks, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    unknown = request_link(client, "niemand@example.nl", django_capture_on_commit_callbacks)
    assert mailoutbox == []
    known = request_link(client, " RIET@example.nl ", django_capture_on_commit_callbacks)
    assert unknown.status_code == known.status_code == 200
    assert CSRF.sub("", unknown.content.decode()) == CSRF.sub("", known.content.decode())
    assert "Kijk in uw e-mail" in known.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["riet@example.nl"]
    assert re.search(r"http://\S+/mijn-gegevens/link/\S+", mailoutbox[0].body)


@pytest.mark.django_db
@pytest.mark.parametrize("value, message", [
    ("", "Vul uw e-mailadres in."),
    ("riet@", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
    ("riet@example.nl<script>alert(1)</script>", "Vul een e-mailadres in zoals"),
    ("ri\x00et@example.nl", "Gebruik alleen gewone letters, cijfers en leestekens."),
    ("' OR 1=1 --", "Vul een e-mailadres in zoals"),
    ("x" * 5000 + "@example.nl", "Zorg dat deze waarde"),
])
def test_wrong_email_is_explained_and_kept(client, riet, mailoutbox, value, message):
    response = client.post(f"{BASE}inloggen", {"email": value})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'id="id_email_error"' in html and "<script>alert" not in html
    if value and value.isprintable() and len(value) < 200 and not set(value) & set("<'"):
        assert f'value="{value}"' in html
    if "<script>" in value:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert mailoutbox == [] and not AccessToken.objects.exists()


@pytest.mark.django_db
def test_mailed_link_shows_a_button_and_only_the_post_signs_in(
        client, riet, inline_tasks, mailoutbox, django_capture_on_commit_callbacks):
    request_link(client, "riet@example.nl", django_capture_on_commit_callbacks)
    path = re.search(r"/mijn-gegevens/link/\S+", mailoutbox[0].body).group(0)
    for _ in range(2):  # a mail scanner opening the link uses nothing
        page = client.get(path)
        assert page.status_code == 200 and "Open Mijn gegevens" in page.content.decode()
    assert AccessToken.objects.get().used_at is None
    assert "Riet" not in page.content.decode()
    key_before = client.session.session_key
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == BASE
    assert client.session.session_key != key_before  # a new session: no fixation
    html = client.get(BASE).content.decode()
    assert "Riet Bakker" in html and "Henk Bakker" in html and "Lindenlaan 12a" in html
    assert "U bent ingeschreven als mantelzorger." in html
    assert services.PROCESSING_CONSENT[1] in html
    again = Client().post(path)  # the link works once
    assert again.status_code == 400 and "Deze link werkt niet meer" in again.content.decode()


@pytest.mark.django_db
def test_expired_link_is_refused(client, riet):
    token = link_token(riet)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        response = client.post(f"{BASE}link/{token}")
    assert response.status_code == 400
    assert client.get(BASE)["Location"] == f"{BASE}inloggen"


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["", "x", "a" * 500, "..%2F..%2Fetc%2Fpasswd",
                                    "' OR 1=1 --", "last-char", "other-purpose"])
def test_tampered_link_is_refused(client, riet, tamper):
    raw = link_token(riet)
    token = {"last-char": raw[:-1] + ("A" if raw[-1] != "A" else "B"),
             "other-purpose": link_token(riet, purpose=TokenPurpose.CONFIRM_EMAIL),
             }.get(tamper, tamper)
    response = client.post(f"{BASE}link/{token}")
    assert response.status_code in (400, 404)
    assert client.get(BASE).status_code == 302


# --- the session --------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("page", PROTECTED)
def test_every_page_needs_a_signed_in_caregiver(client, page):
    response = client.get(BASE + page)
    assert response.status_code == 302 and response["Location"] == f"{BASE}inloggen"


@pytest.mark.django_db
def test_session_ends_after_thirty_minutes_without_activity(client, riet, sign_in):
    sign_in(client, riet)
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(minutes=20)):
        assert client.get(BASE).status_code == 200  # activity extends the session
    with time_machine.travel(start + datetime.timedelta(minutes=40)):
        assert client.get(f"{BASE}contact").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=71)):
        response = client.get(BASE, follow=True)
    assert response.redirect_chain == [(f"{BASE}inloggen", 302)]
    assert "Daarom bent u uitgelogd" in response.content.decode()
    assert client.get(BASE).status_code == 302  # and it stays ended


@pytest.mark.django_db
def test_ended_registration_ends_the_session_and_refuses_links(client, riet, sign_in):
    sign_in(client, riet)
    token = link_token(riet)
    services.end_registration(riet, reason="consulent")
    assert client.get(BASE)["Location"] == f"{BASE}inloggen"
    assert client.post(f"{BASE}link/{token}").status_code == 400


@pytest.mark.django_db
def test_logout_is_a_post_and_forgets_the_caregiver(client, riet, sign_in):
    sign_in(client, riet)
    assert client.get(f"{BASE}uitloggen").status_code == 405
    response = client.post(f"{BASE}uitloggen", follow=True)
    assert "U bent uitgelogd" in response.content.decode()
    assert client.get(BASE).status_code == 302


@pytest.mark.django_db
def test_a_caregiver_never_sees_or_changes_someone_else(client, riet, other, sign_in):
    sign_in(client, riet)
    before = snapshot(other)
    for query in (f"?id={other.pk}", f"?caregiver={other.pk}", f"?pk={other.pk}"):
        html = client.get(BASE + query).content.decode()
        assert "Riet Bakker" in html and "Bram" not in html and "Truus" not in html
    client.post(f"{BASE}contact", {"email": "x@example.nl", "phone": "", "channel": "post",
                                   "caregiver": other.pk, "id": other.pk, "pk": other.pk})
    client.post(f"{BASE}nieuwsbrief-stoppen", {"caregiver": other.pk})
    assert snapshot(other) == before
    riet.refresh_from_db()
    assert riet.email == "x@example.nl" and not riet.wants_newsletter
    from registrations import urls_selfservice

    routes = [str(p.pattern) for p in urls_selfservice.urlpatterns]
    assert [r for r in routes if "<" in r] == ["link/<str:token>"]  # no ids in any URL


@pytest.mark.django_db
def test_changes_need_a_csrf_token(riet):
    client = Client(enforce_csrf_checks=True)
    path = f"{BASE}link/{link_token(riet)}"
    assert client.post(path).status_code == 403  # the link's button needs the token too
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                      client.get(path).content.decode()).group(1)
    assert client.post(path, {"csrfmiddlewaretoken": token})["Location"] == BASE
    before = snapshot(riet)
    for page in ("contact", "nieuwsbrief-stoppen", "uitschrijven", "uitloggen"):
        assert client.post(BASE + page, {"channel": "post"}).status_code == 403
    assert snapshot(riet) == before


# --- the actions ------------------------------------------------------------------------
@pytest.mark.django_db
def test_change_phone_channel_and_newsletter(client, riet, other, mailoutbox, sign_in):
    sign_in(client, riet)
    before_other, before = snapshot(other), snapshot(riet)
    form = client.get(f"{BASE}contact").content.decode()
    assert 'value="riet@example.nl"' in form and 'value="0612345678"' in form
    response = client.post(f"{BASE}contact", {"email": "riet@example.nl",
                                              "phone": "06-1111 2222", "channel": "post"},
                           follow=True)
    assert "Uw gegevens zijn opgeslagen." in response.content.decode()
    assert "Klik op de link" not in response.content.decode()
    after = snapshot(riet)
    changed = {k for k in after if after[k] != before[k]}
    # The version tells a consulent's open edit form that it is out of date.
    assert changed == {"phone", "channel", "wants_newsletter", "version"}
    assert after["phone"] == "0611112222" and after["channel"] == "post"
    assert after["wants_newsletter"] is False and after["email_confirmed_at"]
    assert snapshot(other) == before_other and mailoutbox == []


@pytest.mark.django_db
def test_a_new_email_address_is_confirmed_again(client, riet, inline_tasks, mailoutbox,
                                                django_capture_on_commit_callbacks, sign_in):
    sign_in(client, riet)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}contact", {"email": "Riet.Nieuw@Example.nl",
                                                  "phone": "", "channel": "email",
                                                  "wants_newsletter": "on"}, follow=True)
    assert "Klik op de link in die e-mail" in response.content.decode()
    assert "nog niet bevestigd" in response.content.decode()
    riet.refresh_from_db()
    assert riet.email == "riet.nieuw@example.nl" and riet.email_confirmed_at is None
    assert [m.to for m in mailoutbox] == [["riet.nieuw@example.nl"]]
    assert "/bevestigen/" in mailoutbox[0].body


CONTACT_OK = {"email": "riet@example.nl", "phone": "0612345678", "channel": "email",
              "wants_newsletter": "on"}
WRONG_CONTACT = [
    ("email", "riet@", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
    ("email", "<script>alert(1)</script>", "Vul een e-mailadres in zoals"),
    ("email", "a\x00@example.nl", "Gebruik alleen gewone letters, cijfers en leestekens."),
    ("email", "riet\u202e@example.nl", "Gebruik alleen gewone letters"),
    ("email", "x" * 5000, "Zorg dat deze waarde"),
    ("phone", "0'; DROP TABLE x; --", "Vul een telefoonnummer in"),
    ("phone", "06\x001234567", "Gebruik alleen gewone letters, cijfers en leestekens."),
    ("phone", "06\x071234567", "Gebruik alleen gewone letters"),
    ("phone", "9" * 5000, "Zorg dat deze waarde"),
    ("channel", "<script>", "Selecteer een geldige keuze"),
    ("channel", "", "Kies hoe u post wilt krijgen."),
]


@pytest.mark.django_db
@pytest.mark.parametrize("field, value, message", WRONG_CONTACT)
def test_wrong_contact_details_are_explained_and_nothing_changes(client, riet, field, value,
                                                                 message, sign_in):
    sign_in(client, riet)
    before = snapshot(riet)
    response = client.post(f"{BASE}contact", {**CONTACT_OK, field: value,
                                              "wants_newsletter": ""})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert f'id="id_{field}_error"' in html and "<script>alert" not in html
    if value and value.isprintable() and len(value) < 200 and not set(value) & set("<'"):
        assert f'value="{value}"' in html
    assert snapshot(riet) == before


@pytest.mark.django_db
def test_email_channel_needs_an_email_address(client, riet, sign_in):
    sign_in(client, riet)
    before = snapshot(riet)
    response = client.post(f"{BASE}contact", {**CONTACT_OK, "email": ""})
    assert "U heeft geen e-mailadres ingevuld" in response.content.decode()
    assert snapshot(riet) == before


@pytest.mark.django_db
def test_stop_the_newsletter_keeps_the_registration(client, riet, other, sign_in):
    sign_in(client, riet)
    before, before_other = snapshot(riet), snapshot(other)
    page = client.get(f"{BASE}nieuwsbrief-stoppen").content.decode()
    assert "U blijft wel ingeschreven" in page and snapshot(riet) == before
    response = client.post(f"{BASE}nieuwsbrief-stoppen", follow=True)
    assert "U krijgt de nieuwsbrief niet meer" in response.content.decode()
    after = snapshot(riet)
    assert {k for k in after if after[k] != before[k]} == {"wants_newsletter"}
    assert snapshot(other) == before_other


@pytest.mark.django_db
def test_report_that_care_ended(client, riet, other, sign_in):
    sign_in(client, riet)
    before_other = snapshot(other)
    page = client.get(f"{BASE}zorg-gestopt").content.decode()
    assert "U blijft dan nog 2 jaar ingeschreven" in page and "nieuwsbrief" in page
    day = clock.today() - datetime.timedelta(days=10)
    response = client.post(f"{BASE}zorg-gestopt", {"ended_on": day.strftime("%d-%m-%Y"),
                                                   "reason": "overlijden"}, follow=True)
    riet.refresh_from_db()
    assert riet.state == State.VOORMALIG and riet.care_ended_on == day
    assert riet.care_end_reason == "overlijden" and riet.wants_newsletter
    html = response.content.decode()
    end = riet.retention_end().strftime("%d-%m-%Y")
    assert f"U blijft ingeschreven tot en met {end}" in html
    assert f'href="{BASE}zorg-gestopt"' not in html  # only offered while actief
    assert client.get(f"{BASE}zorg-gestopt")["Location"] == BASE
    assert StateLog.objects.for_(riet).get().state == State.VOORMALIG
    assert snapshot(other) == before_other


WRONG_END = [
    ("ended_on", "01-01-2999", "Deze datum ligt in de toekomst."),
    ("ended_on", "31-02-2024", "Vul de datum in zoals 15-03-1958"),
    ("ended_on", "01-01-1850", "Controleer het jaar."),
    ("ended_on", "01-01-2000", "Deze datum ligt voor uw inschrijving"),
    ("ended_on", "0\x001-01-2024", "Vul de datum in zoals"),
    ("ended_on", "<script>alert(1)</script>", "Vul de datum in zoals"),
    ("ended_on", "1; DELETE FROM registrations_caregiver", "Vul de datum in zoals"),
    ("ended_on", "9" * 5000, "Vul de datum in zoals"),
    ("ended_on", "", "Vul een datum in."),
    ("reason", "' OR 1=1 --", "Selecteer een geldige keuze"),
    ("reason", "", "Kies een reden."),
]


@pytest.mark.django_db
@pytest.mark.parametrize("field, value, message", WRONG_END)
def test_wrong_end_of_care_is_explained_and_nothing_changes(client, riet, field, value,
                                                            message, sign_in):
    sign_in(client, riet)
    before = snapshot(riet)
    data = {"ended_on": clock.today().strftime("%d-%m-%Y"), "reason": "opname", field: value}
    response = client.post(f"{BASE}zorg-gestopt", data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert f'id="id_{field}_error"' in html and "<script>alert" not in html
    if field == "ended_on" and value and value.isprintable() and len(value) < 200:
        assert f'value="{value}"' in html or "<" in value
    assert snapshot(riet) == before and not StateLog.objects.exists()


@pytest.mark.django_db
def test_download_all_my_data_as_json(client, riet, other, sign_in):
    services.end_care(riet, clock.today(), "opname")
    RetentionNoticeFactory(caregiver=riet)
    RetentionNoticeFactory(caregiver=other)
    services.end_care(other, clock.today(), "overlijden")
    riet.refresh_from_db()
    sign_in(client, riet)
    response = client.get(f"{BASE}download.json")
    assert response["Content-Disposition"].startswith('attachment; filename="mijn-gegevens-')
    raw = response.content.decode()
    for foreign in ("Bram", "Visser", "bram@example.nl", "Truus", "0687654321", "overlijden"):
        assert foreign not in raw
    data = json.loads(raw)
    person = data["mantelzorger"]
    assert person["voornaam"] == "Riet" and person["postcode"] == "3845 AB"
    assert person["status"] == {"code": "voormalig", "tekst": "Voormalig mantelzorger"}
    assert person["inschrijving_stopt_op"] == riet.retention_end().isoformat()
    assert [r["naam"] for r in data["naasten"]] == ["Henk Bakker"]
    assert data["toestemmingen"][0]["tekst"] == services.PROCESSING_CONSENT[1]
    assert data["toestemmingen"][0]["op"]
    assert [h["naar"]["code"] for h in data["geschiedenis"]] == ["voormalig"]
    assert len(data["brieven"]) == 1 and data["ouder_of_voogd"] is None


@pytest.mark.django_db
def test_printable_page_shows_the_same_data(client, riet, other, sign_in):
    sign_in(client, riet)
    html = client.get(f"{BASE}overzicht").content.decode()
    assert "Al mijn gegevens" in html and "Henk Bakker" in html and "02-01-1950" in html
    assert services.PROCESSING_CONSENT[1] in html and "Bram" not in html
    assert "@media print" in open("static/css/site.css").read()


@pytest.mark.django_db
def test_young_caregiver_sees_their_guardian(client, sign_in):
    young = CaregiverFactory(complete=True, young=True, first_name="Sam", email="riet@example.nl")
    GuardianFactory(caregiver=young)  # Anja de Vries, anja@example.nl
    sign_in(client, young)
    html = client.get(BASE).content.decode()
    assert "Anja de Vries" in html and "wachten nog op toestemming" in html
    assert client.get(f"{BASE}download.json").json()["ouder_of_voogd"]["naam"] == "Anja de Vries"


@pytest.mark.django_db
def test_ask_to_be_removed(client, riet, other, sign_in):
    sign_in(client, riet)
    before_other = snapshot(other)
    page = client.get(f"{BASE}uitschrijven").content.decode()
    assert "Uw inschrijving stopt meteen." in page and "Na 30 dagen wissen wij" in page
    assert Caregiver.objects.get(pk=riet.pk).state == State.ACTIEF
    response = client.post(f"{BASE}uitschrijven", follow=True)
    assert response.redirect_chain == [(f"{BASE}uitgeschreven", 302)]
    html = response.content.decode()
    assert "U bent uitgeschreven" in html and "Riet" not in html
    riet.refresh_from_db()
    assert riet.state == State.BEEINDIGD and riet.end_reason == "eigen_verzoek"
    assert riet.ended_on == clock.today()
    assert CAREGIVER_KEY not in client.session  # signed out, not merely refused
    assert client.get(BASE)["Location"] == f"{BASE}inloggen"
    assert client.post(f"{BASE}uitschrijven").status_code == 302
    assert snapshot(other) == before_other
