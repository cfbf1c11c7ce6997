"""The coordinator's campaign forms after issue 19: the supplier's code list (duplicates,
empty lines, a huge file, not UTF-8, codes of another campaign), making codes only for
"eigen codes", marking a posted card, and the campaign settings in Beheer (a Dutch message
next to the field, what was typed kept, nothing half-saved). Hostile input with Hypothesis."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from appreciation.campaigns import services as campaigns
from appreciation.campaigns.forms_backoffice import UploadCodesForm
from appreciation.models import Campaign, CampaignRoute, CodeSource, TicketCode
from tests.factories import CaregiverFactory
from tests.security.hostile import PAGE_EXAMPLES, hostile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("summer")]

ADMIN_ADD = reverse("admin:appreciation_campaign_add")


def url(name, campaign, *args):
    return reverse(f"appreciation:campaign_{name}", args=[campaign.pk, *args])


def upload(client, campaign, content: bytes, name="codes.csv"):
    return client.post(url("upload_codes", campaign),
                       {"laden-file": SimpleUploadedFile(name, content, "text/csv")})


def field_errors(response, form="upload_form", field="file") -> list[str]:
    return list(response.context[form].errors.get(field, []))


# --- the supplier's list ------------------------------------------------------------------

def test_codes_of_another_campaign_are_named_by_line_and_nothing_is_added(as_coordinator,
                                                                         make_campaign):
    make_campaign(usual=True, name="Attentie 2025", codes=["HCK001", "HCK002"])
    campaign = make_campaign(usual=True, name="Attentie 2026")
    response = upload(as_coordinator, campaign, b"code\nHCK100\nHCK002\n\nHCK101\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Regel 3: Deze code hoort al bij de campagne Attentie 2025." in html
    assert field_errors(response)[0].startswith("1 regel klopt niet")
    assert not campaign.codes.exists()


def test_duplicates_and_empty_lines(as_coordinator, make_campaign):
    campaign = make_campaign(usual=True)
    response = upload(as_coordinator, campaign, b"A1\n\n\nA2\nA1\n")
    assert "Regel 5: Deze code staat er twee keer in." in response.content.decode()
    assert not campaign.codes.exists()
    response = upload(as_coordinator, campaign, b"\n\nA1\n  \nA2\n\n")
    assert response.status_code == 302
    assert sorted(campaign.codes.values_list("code", flat=True)) == ["A1", "A2"]


@pytest.mark.parametrize("content, message", [
    (b"A1\rA2\r\nA3\n", None),
    (b'"' + b"A" * 200_000 + b'"\n', "1 regel klopt niet"),
    (b"A" * (1024 * 1024 + 1), "Het bestand is te groot: hoogstens 1 MB."),
    ("Bon-één\n".encode("latin-1"), "Het bestand is niet als UTF-8 opgeslagen."),
    (b"A1\x00\n", "Dit is geen tekstbestand."),
    (b"\n\n", "Er staan geen codes in het bestand."),
])
def test_a_file_that_cannot_be_used_gets_one_message_next_to_the_field(  # or is read right
        as_coordinator, make_campaign, content, message):
    campaign = make_campaign(usual=True)
    response = upload(as_coordinator, campaign, content)
    if message is None:  # old Mac line ends: three codes
        assert response.status_code == 302 and campaign.codes.count() == 3
        return
    assert response.status_code == 200
    assert any(error.startswith(message) for error in field_errors(response))
    assert not TicketCode.objects.exists()


def test_a_campaign_of_physical_cards_refuses_a_code_list(as_coordinator, make_campaign):
    cards = make_campaign(usual=True, code_source=CodeSource.PHYSICAL, stock_total=100)
    form = UploadCodesForm(files={"laden-file": SimpleUploadedFile("c.csv", b"A1\n")},
                           data={}, prefix="laden", campaign=cards)
    assert not form.is_valid()
    assert form.errors["file"] == [
        "Deze campagne werkt met fysieke kaarten. Daar horen geen codes bij."]
    page = as_coordinator.get(url("detail", cards)).content.decode()
    assert "Codes van de leverancier laden" not in page
    assert "Nog 100 van de 100 kaarten over." in page


# --- making codes ---------------------------------------------------------------------------

def test_making_codes_for_a_supplier_campaign_is_refused_next_to_the_field(as_coordinator,
                                                                          make_campaign):
    campaign = make_campaign(usual=True)
    page = as_coordinator.get(url("detail", campaign)).content.decode()
    assert "Codes maken</button>" not in page
    assert "Het systeem maakt zelf geen codes" in page
    response = as_coordinator.post(url("generate_codes", campaign), {"maken-count": "5"})
    assert response.status_code == 200
    assert field_errors(response, "generate_form", "count")[0].startswith(
        "Deze campagne gebruikt geen eigen codes.")
    assert 'value="5"' in response.content.decode()  # what was typed stays
    assert not TicketCode.objects.exists()


def test_own_codes_may_be_made(as_coordinator, make_campaign):
    campaign = make_campaign(usual=True, code_source=CodeSource.OWN)
    assert "Codes maken</button>" in as_coordinator.get(url("detail", campaign)).content.decode()
    response = as_coordinator.post(url("generate_codes", campaign), {"maken-count": "3"})
    assert response.status_code == 302 and campaign.codes.count() == 3


# --- physical cards: marked as posted -------------------------------------------------------

def test_a_consulent_marks_a_card_as_posted(as_consulent, make_campaign):
    cards = make_campaign(usual=True, code_source=CodeSource.PHYSICAL, stock_total=10)
    request = campaigns.ask(cards, CaregiverFactory(), route=CampaignRoute.DESK)
    page = as_consulent.get(url("detail", cards)).content.decode()
    assert "Kaart op de post voor Riet Bakker" in page
    response = as_consulent.post(url("posted", cards, request.pk), follow=True)
    assert "de kaart voor Riet Bakker is op de post gedaan" in response.content.decode()
    request.refresh_from_db()
    assert request.state == "verstuurd"
    again = as_consulent.post(url("posted", cards, request.pk), follow=True)
    assert "Deze aanvraag is intussen veranderd" in again.content.decode()


# --- campaign settings in Beheer ------------------------------------------------------------

SETTINGS = {
    "kind": "attentie", "name": "Attentie december 2026", "starts_on": "01-12-2026",
    "ends_on": "31-12-2026", "tickets_per_caregiver": "1", "code_source": "fysiek",
    "stock_total": "0", "pool_name": "Harderwijk Cadeaukaart", "handout": "code",
    "letter_text": "Een bon als dank.", "letter_text_young": "Een bon als dank je wel.",
    "invitation_subject": "", "invitation_text": "",
    "include_former": "on", "cancel_unclaimed_on_close": "on",
}


def test_physical_cards_need_their_number_and_nothing_is_saved(as_coordinator):
    response = as_coordinator.post(ADMIN_ADD, SETTINGS)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["stock_total"] == ["Bij fysieke kaarten: vul in hoeveel kaarten er zijn."]
    assert 'value="Attentie december 2026"' in response.content.decode()
    assert not Campaign.objects.exists()
    response = as_coordinator.post(ADMIN_ADD, {**SETTINGS, "stock_total": "1300"})
    assert response.status_code == 302
    saved = Campaign.objects.get()
    assert (saved.code_source, saved.stock_total, saved.include_former,
            saved.limited_stock) == ("fysiek", 1300, True, False)


def test_a_campaign_with_codes_cannot_become_physical(as_coordinator, make_campaign):
    campaign = make_campaign(usual=True, codes=2)
    change = reverse("admin:appreciation_campaign_change", args=[campaign.pk])
    data = {**SETTINGS, "kind": "zwemkaartjes", "stock_total": "40",
            "starts_on": "01-06-2026", "ends_on": "31-08-2026"}
    response = as_coordinator.post(change, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code_source"][0].startswith(
        "Er zijn al codes geladen of gemaakt.")
    campaign.refresh_from_db()
    assert campaign.code_source == CodeSource.SUPPLIER


def test_raising_the_number_of_cards_in_beheer_serves_who_waits(as_coordinator, make_campaign):
    cards = make_campaign(usual=True, code_source=CodeSource.PHYSICAL, stock_total=2,
                          starts_on=datetime.date(2026, 6, 1), ends_on=datetime.date(2026, 8, 31))
    first = campaigns.ask(cards, CaregiverFactory(), route=CampaignRoute.DESK)
    second = campaigns.ask(cards, CaregiverFactory(first_name="Bo", email="bo@example.nl"),
                           route=CampaignRoute.DESK)
    assert (first.state, second.state) == ("toegekend", "wacht_codes")
    change = reverse("admin:appreciation_campaign_change", args=[cards.pk])
    data = {**SETTINGS, "kind": "zwemkaartjes", "name": cards.name, "stock_total": "4",
            "tickets_per_caregiver": "2", "starts_on": "01-06-2026", "ends_on": "31-08-2026"}
    assert as_coordinator.post(change, data).status_code == 302
    second.refresh_from_db()
    assert second.state == "toegekend"


# --- hostile input --------------------------------------------------------------------------

@PAGE_EXAMPLES
@given(lines=st.lists(st.one_of(hostile, st.just(""), st.just("OUD1"), st.just("A1")),
                      max_size=30),
       encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
def test_any_uploaded_text_is_refused_or_added_whole_never_half(make_campaign, lines,
                                                                encoding):
    old = Campaign.objects.filter(name="Oud").first() or make_campaign(
        usual=True, name="Oud", codes=["OUD1"])
    campaign = Campaign.objects.filter(name="Nieuw").first() or make_campaign(
        usual=True, name="Nieuw")
    TicketCode.objects.filter(campaign=campaign).delete()
    content = "\n".join(lines).encode(encoding, "replace")
    form = UploadCodesForm(files={"laden-file": SimpleUploadedFile("c.csv", content)},
                           data={}, prefix="laden", campaign=campaign)
    if form.is_valid():
        codes = form.cleaned_data["codes"]
        assert "OUD1" not in codes and len(codes) == len(set(codes))
        assert all(0 < len(code) <= 40 for code in codes)
        campaigns.add_codes(campaign, codes)
        assert campaign.codes.count() == len(codes)
    else:
        assert form.errors["file"] and all(isinstance(e, str) for e in form.errors["file"])
        assert not campaign.codes.exists()
    assert list(old.codes.values_list("code", flat=True)) == ["OUD1"]


@PAGE_EXAMPLES
@given(values=st.fixed_dictionaries({}, optional={
    name: st.one_of(hostile, st.just(value)) for name, value in SETTINGS.items()}))
def test_the_settings_form_survives_hostile_input(as_coordinator, values):
    before = Campaign.objects.count()
    response = as_coordinator.post(ADMIN_ADD, values)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Campaign.objects.count() == before
    else:
        saved = Campaign.objects.latest("pk")
        saved.full_clean()
        saved.delete()


def test_all_cards_set_aside_are_marked_posted_in_one_go(as_consulent, make_campaign,
                                                         consulent):
    cards = make_campaign(usual=True, code_source=CodeSource.PHYSICAL, stock_total=4,
                          kind="attentie", name="Attentie 2026", tickets_per_caregiver=1)
    for n in range(3):
        campaigns.ask(cards, CaregiverFactory(first_name=f"P{n}", email=f"p{n}@example.nl"),
                      route=CampaignRoute.DESK)
    campaigns.cancel(cards.requests.order_by("pk").last(), by=consulent)
    page = as_consulent.get(url("detail", cards)).content.decode()
    assert "Alle 2 klaargelegde kaarten zijn op de post gedaan" in page
    response = as_consulent.post(url("posted_all", cards), follow=True)
    assert "Vastgelegd: 2 kaarten zijn op de post gedaan." in response.content.decode()
    assert sorted(cards.requests.values_list("state", flat=True)) == [
        "geannuleerd", "verstuurd", "verstuurd"]
    coded = make_campaign(usual=True, codes=2, name="Codes")
    response = as_consulent.post(url("posted_all", coded), follow=True)
    assert "Dit kan alleen bij fysieke kaarten" in response.content.decode()
