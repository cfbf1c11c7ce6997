"""Back office for campaigns: the overview and campaign page, who may do what, loading and
making codes, desk requests, cancelling and picking up, the attentie for everyone, the
export, and hostile input in every form."""

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appreciation.campaigns import services as campaigns
from appreciation.models import (
    Campaign,
    CampaignKind,
    CampaignRequest,
    CampaignRoute,
    Handout,
    TicketCode,
)
from core import roles
from registrations.models import Caregiver, State
from tests.factories import CampaignFactory, CaregiverFactory

OVERVIEW = reverse("appreciation:campaign_overview")


@pytest.fixture
def summer():
    """1 July 2026, 12:00 in Harderwijk: inside the summer campaign of `make_campaign`."""
    with time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0), tick=False):
        yield

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("summer")]


def url(name, campaign, *args):
    return reverse(f"appreciation:campaign_{name}", args=[campaign.pk, *args])


def ask(campaign, caregiver):
    return campaigns.ask(campaign, caregiver, route=CampaignRoute.SELF_SERVICE)


def upload(client, campaign, content: bytes, name="codes.csv"):
    return client.post(url("upload_codes", campaign),
                       {"laden-file": SimpleUploadedFile(name, content, "text/csv")})


def page_text(response) -> str:
    return response.content.decode()


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- pages and permissions ------------------------------------------------------------------

def test_anonymous_people_are_sent_to_the_login(client, make_campaign):
    campaign = make_campaign()
    for target in [OVERVIEW, url("detail", campaign), url("desk", campaign),
                   url("everyone", campaign), url("export", campaign)]:
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith("/backoffice/inloggen/")
    assert client.post(url("generate_codes", campaign), {"maken-count": 5}).status_code == 302
    assert not TicketCode.objects.exists()


def test_a_consulent_works_with_requests_but_stock_and_export_are_for_coordinators(
        as_consulent, make_campaign):
    campaign = make_campaign(codes=4)
    attentie = make_campaign(name="Attentie", requires_request=False)
    page = page_text(as_consulent.get(url("detail", campaign)))
    assert "Zwemkaartjes zomer 2026" in page and "Codes van de leverancier laden" not in page
    menu = f'<a href="{OVERVIEW}" aria-current="page">Campagnes</a>'
    assert menu in page_text(as_consulent.get(OVERVIEW))
    assert as_consulent.get(url("desk", campaign)).status_code == 200
    assert as_consulent.get(url("export", campaign)).status_code == 403
    assert as_consulent.get(url("everyone", attentie)).status_code == 403
    assert as_consulent.post(url("everyone", attentie)).status_code == 403
    assert as_consulent.post(url("generate_codes", campaign),
                             {"maken-count": 5}).status_code == 403
    assert upload(as_consulent, campaign, b"A1\nA2\n").status_code == 403
    assert TicketCode.objects.count() == 4 and not attentie.requests.exists()


def test_an_unknown_campaign_or_a_request_of_another_campaign_is_not_found(as_consulent,
                                                                           make_campaign, people):
    campaign, other = make_campaign(codes=2), make_campaign(name="Ander", codes=2)
    [person] = people(1)
    request = ask(other, person)
    assert (
        as_consulent.get(reverse("appreciation:campaign_detail", args=[99999])).status_code == 404
    )
    assert as_consulent.get(url("cancel", campaign, request.pk)).status_code == 404
    assert as_consulent.post(url("picked_up", campaign, request.pk)).status_code == 404
    assert (
        as_consulent.post(url("cancel", campaign, request.pk), {"reason": "weg"}).status_code == 404
    )
    assert CampaignRequest.objects.get().state == "toegekend"


def test_the_overview_shows_period_stock_and_requests_per_state(
    as_consulent, make_campaign, people
):
    campaign = make_campaign(codes=4, stock_total=400)
    make_campaign(
        name="Zwemkaartjes 2027",
        starts_on=datetime.date(2027, 6, 1),
        ends_on=datetime.date(2027, 8, 31),
    )
    for person in people(3):
        ask(campaign, person)
    response = as_consulent.get(OVERVIEW)
    page = page_text(response)
    assert "01-06-2026 – 31-08-2026" in page and "Nog niet begonnen" in page
    assert "0 van 4 codes (afspraak: 400)" in page
    [row] = [r for r in response.context["rows"] if r["campaign"].pk == campaign.pk]
    counts = {item["state"]: item["count"] for item in row["states"]}
    assert counts["toegekend"] == 2 and counts["wachtlijst"] == 1 and counts["opgehaald"] == 0
    assert row["status"] == "Open"


def queries(client, target) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured)


def test_the_overview_costs_the_same_queries_with_one_or_five_campaigns(
    as_consulent, make_campaign, people
):
    first = make_campaign(codes=4)
    for person in people(3):
        ask(first, person)
    one = queries(as_consulent, OVERVIEW)
    for n in range(4):
        campaign = make_campaign(name=f"Campagne {n}", codes=2)
        ask(campaign, Caregiver.objects.order_by("pk")[n % 3])
    assert queries(as_consulent, OVERVIEW) == one


def test_the_campaign_page_shows_the_waiting_list_in_order_and_the_codes(
    as_consulent, make_campaign, people
):
    campaign = make_campaign(codes=2)
    first, second, third = people(3)
    ask(campaign, first)
    ask(campaign, second)
    ask(campaign, third)
    response = as_consulent.get(url("detail", campaign))
    page = page_text(response)
    assert [r.caregiver for r in response.context["waiting"]] == [second, third]
    assert page.index("Persoon1 Test") < page.index("Persoon2 Test")
    assert "<code>Z0000</code>, <code>Z0001</code>" in page
    assert "01-07-2026 12:00" in page


def test_the_campaign_page_costs_the_same_queries_with_more_requests(
    as_consulent, make_campaign, people
):
    campaign = make_campaign(codes=4)
    crowd = people(12)
    for person in crowd[:3]:
        ask(campaign, person)
    few = queries(as_consulent, url("detail", campaign))
    campaigns.generate_codes(campaign, 10)
    for person in crowd[3:]:
        ask(campaign, person)
    assert campaign.requests.filter(state="wachtlijst").count() == 5
    assert queries(as_consulent, url("detail", campaign)) == few


def test_names_are_shown_as_text_not_as_markup(as_consulent, make_campaign, people):
    campaign = make_campaign(codes=2)
    [person] = people(1)
    Caregiver.objects.filter(pk=person.pk).update(first_name="<script>alert(1)</script>")
    ask(campaign, Caregiver.objects.get(pk=person.pk))
    page = page_text(as_consulent.get(url("detail", campaign)))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    search = page_text(as_consulent.get(url("desk", campaign), {"q": "<script>alert(1)"}))
    assert "<script>alert(1)" not in search


# --- codes: upload and generate (coordinators) ---------------------------------------------


def test_an_upload_with_wrong_lines_names_each_line_and_adds_nothing(as_coordinator, make_campaign):
    campaign = make_campaign()
    content = "code\nGOED1\nniet goed!\nGOED1\n" + "X" * 41 + "\n,extra\n"
    response = upload(as_coordinator, campaign, content.encode())
    page = page_text(response)
    assert response.status_code == 200
    for line in (
        "Regel 3: Gebruik alleen letters",
        "Regel 4: Deze code staat er twee keer",
        "Regel 5: De code is langer dan 40",
        "Regel 6: De eerste kolom is leeg",
    ):
        assert line in page
    assert "4 regels kloppen niet. Er is niets toegevoegd." in page
    assert not TicketCode.objects.exists()


@pytest.mark.parametrize(
    "content, words",
    [
        ("codé\n".encode("latin-1"), "niet als UTF-8"),
        (b"%PDF-1.4\x00\x01\x02binary", "geen tekstbestand"),
        (b"A" * (1024 * 1024 + 1), "te groot"),
        (b"", "leeg"),
        (b"code\n\n", "geen codes"),
    ],
)
def test_a_file_that_is_not_a_list_of_codes_gets_a_clear_message(
    as_coordinator, content, words, make_campaign
):
    campaign = make_campaign()
    response = upload(as_coordinator, campaign, content)
    assert response.status_code == 200 and words in page_text(response)
    assert not TicketCode.objects.exists()


def test_an_upload_without_a_file_asks_for_one(as_coordinator, make_campaign):
    campaign = make_campaign()
    response = as_coordinator.post(url("upload_codes", campaign), {"laden-file": "tekst"})
    assert "Kies een bestand." in page_text(response) and not TicketCode.objects.exists()


def test_a_good_upload_serves_the_waiting_list_in_order(as_coordinator, make_campaign, people):
    campaign = make_campaign()
    requests = [ask(campaign, person) for person in people(3)]
    assert {r.state for r in requests} == {"wachtlijst"}
    content = "\ufeffcode;extra\nP-001;x\nP-002\nP-003\nP-004\nP-005\n".encode()
    response = upload(as_coordinator, campaign, content.replace(b";", b","))
    assert response.status_code == 302
    assert "5 nieuwe codes toegevoegd" in messages_of(as_coordinator.get(response["Location"]))
    states = [r.state for r in CampaignRequest.objects.order_by("requested_at", "pk")]
    assert states == ["toegekend", "toegekend", "wachtlijst"]
    assert list(requests[0].codes.values_list("code", flat=True)) == ["P-001", "P-002"]
    assert campaigns.stock_left(campaign) == 1


def test_generate_codes_adds_that_many(as_coordinator, make_campaign):
    campaign = make_campaign()
    response = as_coordinator.post(url("generate_codes", campaign), {"maken-count": "6"})
    assert response.status_code == 302
    assert TicketCode.objects.filter(campaign=campaign, generated=True).count() == 6
    assert all(c.startswith("ZWEM-") for c in TicketCode.objects.values_list("code", flat=True))


@pytest.mark.parametrize("count", ["0", "-3", "abc", "99999", "", "1e3", "5; DROP TABLE"])
def test_generate_codes_refuses_a_wrong_number(as_coordinator, count, make_campaign):
    campaign = make_campaign()
    response = as_coordinator.post(url("generate_codes", campaign), {"maken-count": count})
    assert response.status_code == 200 and "error-summary" in page_text(response)
    assert not TicketCode.objects.exists()


# --- at the desk ----------------------------------------------------------------------------


def test_a_desk_request_finds_the_caregiver_and_asks_for_them(as_consulent, make_campaign, people):
    campaign = make_campaign(codes=4)
    riet, _ = people(2)
    Caregiver.objects.filter(pk=riet.pk).update(
        first_name="Riet", last_name="de Vries", date_of_birth=datetime.date(1951, 3, 15)
    )
    found = as_consulent.get(url("desk", campaign), {"q": "riet vries"})
    assert [row["caregiver"].pk for row in found.context["results"]] == [riet.pk]
    by_birth = as_consulent.get(url("desk", campaign), {"geboortedatum": "15-03-1951"})
    assert [row["caregiver"].pk for row in by_birth.context["results"]] == [riet.pk]

    response = as_consulent.post(url("desk_ask", campaign), {"caregiver": riet.pk}, follow=True)
    request = CampaignRequest.objects.get(caregiver=riet)
    assert request.route == CampaignRoute.DESK and request.state == "toegekend"
    assert request.handled_by.username == "consulent-x"
    assert "Riet de Vries krijgt een brief met de codes" in messages_of(response)

    again = as_consulent.post(url("desk_ask", campaign), {"caregiver": riet.pk}, follow=True)
    assert "al aangevraagd" in messages_of(again) and CampaignRequest.objects.count() == 1
    listed = as_consulent.get(url("desk", campaign), {"q": "Riet"})
    assert "Heeft al een aanvraag: Toegekend" in page_text(listed)


def test_a_desk_request_on_the_waiting_list_says_the_place(as_consulent, make_campaign, people):
    campaign = make_campaign(codes=2)
    first, second, third = people(3)
    ask(campaign, first)
    ask(campaign, second)
    response = as_consulent.post(url("desk_ask", campaign), {"caregiver": third.pk}, follow=True)
    assert "op de wachtlijst, plaats 2" in messages_of(response)


def test_a_desk_request_for_someone_not_active_is_refused_with_the_reason(
    as_consulent, make_campaign, people
):
    campaign = make_campaign(codes=4)
    [person] = people(1, state=State.AANGEMELD)
    response = as_consulent.post(url("desk_ask", campaign), {"caregiver": person.pk}, follow=True)
    assert "niet actief" in messages_of(response) and not CampaignRequest.objects.exists()


@pytest.mark.parametrize(
    "value", ["", "abc", "-1", "0", "99999999", "1 OR 1=1", "99999999999999999999"]
)
def test_a_tampered_caregiver_id_is_not_found(as_consulent, value, make_campaign, people):
    campaign = make_campaign(codes=4)
    people(1)
    response = as_consulent.post(url("desk_ask", campaign), {"caregiver": value}, follow=True)
    assert "niet gevonden" in messages_of(response) and not CampaignRequest.objects.exists()


def test_an_erased_registration_cannot_be_found_or_asked_for(as_consulent, make_campaign, people):
    campaign = make_campaign(codes=4)
    [person] = people(1)
    Caregiver.objects.filter(pk=person.pk).update(
        state=State.GEWIST, ended_on=datetime.date(2026, 1, 1), erased_on=datetime.date(2026, 1, 1)
    )
    found = as_consulent.get(url("desk", campaign), {"q": "Persoon0"})
    assert found.context["results"] == []
    response = as_consulent.post(url("desk_ask", campaign), {"caregiver": person.pk}, follow=True)
    assert "niet gevonden" in messages_of(response) and not CampaignRequest.objects.exists()


@pytest.mark.parametrize(
    "query, words",
    [
        ({"q": "Riet\x00"}, "gewone letters"),
        ({"q": "a\u202eb"}, "gewone letters"),
        ({"q": "x" * 101}, "hoogstens 100"),
        ({"geboortedatum": "31-02-1950"}, "15-03-1958"),
        ({"geboortedatum": "01-01-2090"}, "toekomst"),
        ({"q": "", "geboortedatum": ""}, "Vul een naam"),
    ],
)
def test_the_desk_search_refuses_hostile_input_politely(as_consulent, query, words, make_campaign):
    campaign = make_campaign()
    response = as_consulent.get(url("desk", campaign), {"q": "", **query})
    assert response.status_code == 200 and response.context["results"] is None
    assert words in page_text(response)


# --- cancel and pick up ---------------------------------------------------------------------


def test_cancelling_asks_a_reason_frees_the_codes_for_the_next_in_line(
    as_consulent, make_campaign, people
):
    campaign = make_campaign(codes=2)
    first, second = [ask(campaign, person) for person in people(2)]
    assert (first.state, second.state) == ("toegekend", "wachtlijst")
    form = as_consulent.get(url("cancel", campaign, first.pk))
    assert "Reden" in page_text(form)
    empty = as_consulent.post(url("cancel", campaign, first.pk), {"reason": "  "})
    assert "Schrijf kort op waarom" in page_text(empty)
    hostile = as_consulent.post(url("cancel", campaign, first.pk), {"reason": "weg\x07"})
    assert "gewone letters" in page_text(hostile)
    too_long = as_consulent.post(url("cancel", campaign, first.pk), {"reason": "x" * 301})
    assert "hoogstens 300" in page_text(too_long)
    first.refresh_from_db()
    assert first.state == "toegekend"

    done = as_consulent.post(
        url("cancel", campaign, first.pk), {"reason": "Belde: niet nodig"}, follow=True
    )
    assert "geannuleerd" in messages_of(done)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("geannuleerd", "toegekend")
    assert sorted(second.codes.values_list("code", flat=True)) == ["Z0000", "Z0001"]

    stale = as_consulent.post(
        url("cancel", campaign, first.pk), {"reason": "nog eens"}, follow=True
    )
    assert stale.status_code == 200 and "intussen" in messages_of(stale)
    assert "kan niet meer geannuleerd" in page_text(
        as_consulent.get(url("cancel", campaign, first.pk))
    )


def test_picking_up_is_recorded_once_and_only_for_pick_up_campaigns(
    as_consulent, make_campaign, people
):
    pickup = make_campaign(codes=2, handout=Handout.PICKUP)
    letter = make_campaign(name="Per brief", codes=2)
    person, other = people(2)
    request, by_letter = ask(pickup, person), ask(letter, other)
    page = page_text(as_consulent.get(url("detail", pickup)))
    assert "Opgehaald door Persoon0 Test" in page
    assert as_consulent.get(url("picked_up", pickup, request.pk)).status_code == 405
    assert as_consulent.get(url("desk_ask", pickup), {"caregiver": 1}).status_code == 405
    done = as_consulent.post(url("picked_up", pickup, request.pk), follow=True)
    request.refresh_from_db()
    assert request.state == "opgehaald" and "opgehaald" in messages_of(done)
    again = as_consulent.post(url("picked_up", pickup, request.pk), follow=True)
    assert again.status_code == 200 and "intussen" in messages_of(again)
    refused = as_consulent.post(url("picked_up", letter, by_letter.pk), follow=True)
    by_letter.refresh_from_db()
    assert by_letter.state == "toegekend" and "Ophalen is niet nodig" in messages_of(refused)


# --- the attentie for everyone -------------------------------------------------------------


def attentie(**extra) -> Campaign:
    return CampaignFactory(
        name="Attentie 2026",
        kind=CampaignKind.ATTENTIE,
        requires_request=False,
        tickets_per_caregiver=1,
        **extra,
    )


def test_the_attentie_shows_how_many_people_then_goes_to_all_of_them(as_coordinator, people):
    campaign = attentie()
    people(3)
    CaregiverFactory(first_name="Nieuw", last_name="Aangemeld", state=State.AANGEMELD)
    detail = page_text(as_coordinator.get(url("detail", campaign)))
    assert "Naar alle ingeschreven mantelzorgers sturen" in detail
    confirm = page_text(as_coordinator.get(url("everyone", campaign)))
    assert "Dit gaat naar 3 mantelzorgers." in confirm
    assert not CampaignRequest.objects.exists()

    done = as_coordinator.post(url("everyone", campaign), follow=True)
    assert "3 mantelzorgers krijgen het nu" in messages_of(done)
    assert list(campaign.requests.values_list("state", flat=True)) == ["toegekend"] * 3
    assert campaign.requests.filter(route=CampaignRoute.EVERYONE).count() == 3
    assert "Iedereen die het mag krijgen, heeft het al" in page_text(
        as_coordinator.get(url("everyone", campaign))
    )
    twice = as_coordinator.post(url("everyone", campaign), follow=True)
    assert "0 mantelzorgers krijgen het nu" in messages_of(twice) and campaign.requests.count() == 3


def test_a_campaign_people_ask_for_cannot_be_sent_to_everyone(
    as_coordinator, make_campaign, people
):
    campaign = make_campaign(codes=4)
    people(2)
    response = as_coordinator.post(url("everyone", campaign), follow=True)
    assert "alleen bij een open campagne" in messages_of(response)
    assert not CampaignRequest.objects.exists()
    closed = attentie(closed_at=datetime.datetime(2026, 6, 30, tzinfo=datetime.UTC))
    response = as_coordinator.get(url("everyone", closed), follow=True)
    assert "alleen bij een open campagne" in messages_of(response)


# --- the export -----------------------------------------------------------------------------


def test_the_export_lists_who_received_which_codes_safe_for_spreadsheets(
    as_coordinator, consulent, make_campaign, people
):
    campaign = make_campaign(codes=6)
    riet, hostile, waiting = people(3)
    Caregiver.objects.filter(pk=riet.pk).update(first_name="Riët", street="Vondellaan")
    Caregiver.objects.filter(pk=hostile.pk).update(
        first_name='=HYPERLINK("http://evil")', last_name="", city="@SUM(A1)", street="+31 straat"
    )
    for person in (riet, hostile):
        ask(campaign, Caregiver.objects.get(pk=person.pk))
    campaigns.cancel(ask(campaign, waiting), by=consulent)
    response = as_coordinator.get(url("export", campaign))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Campagne", "Naam", "Adres"] and len(rows) == 3
    assert rows[1][:5] == ["Zwemkaartjes zomer 2026", "Riët Test", "Vondellaan 1", "3845 AB", ""]
    assert rows[1][6:] == ["Toegekend", "Z0000 Z0001", "01-07-2026 12:00"]
    assert rows[2][1] == '\'=HYPERLINK("http://evil")'
    assert rows[2][2] == "'+31 straat 2" and rows[2][4] == "'@SUM(A1)"
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@")


# --- admin and roles ------------------------------------------------------------------------


def test_coordinators_edit_campaigns_in_admin_and_a_closed_one_is_read_only(
    as_coordinator, make_campaign
):
    open_one = make_campaign(codes=3)
    closed = make_campaign(
        name="Zomer 2025",
        starts_on=datetime.date(2025, 6, 1),
        ends_on=datetime.date(2025, 8, 31),
        closed_at=datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC),
    )
    listing = page_text(as_coordinator.get(reverse("admin:appreciation_campaign_changelist")))
    assert "Zwemkaartjes zomer 2026" in listing and "Zomer 2025" in listing
    change = reverse("admin:appreciation_campaign_change", args=[open_one.pk])
    assert 'name="_save"' in page_text(as_coordinator.get(change))
    frozen = reverse("admin:appreciation_campaign_change", args=[closed.pk])
    assert 'name="_save"' not in page_text(as_coordinator.get(frozen))
    assert as_coordinator.post(frozen, {"name": "Anders"}).status_code == 403
    closed.refresh_from_db()
    assert closed.name == "Zomer 2025"


def test_the_roles_carry_the_campaign_permissions():
    roles.ensure_roles()
    consulent = set(
        Group.objects.get(name=roles.CONSULENT).permissions.values_list("codename", flat=True)
    )
    coordinator = set(
        Group.objects.get(name=roles.COORDINATOR).permissions.values_list("codename", flat=True)
    )
    assert {"view_campaign", "view_campaignrequest", "change_campaignrequest"} <= consulent
    assert "change_campaign" not in consulent
    assert {"view_campaign", "add_campaign", "change_campaign"} <= coordinator
