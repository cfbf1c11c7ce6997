"""Back office: list and filters, detail (every view logged), actions, intake, duplicates."""

import datetime

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from core import clock
from registrations.models import (
    Caregiver,
    District,
    EndReason,
    Source,
    StaffAccess,
    State,
)
from tests.factories import DeskCaregiverFactory, GuardianFactory


@pytest.fixture
def consulent(client, db, login_fully):
    return login_fully(client, "consulent")


def listed(client, **params):
    html = client.get(reverse("registrations:caregiver_list"), params).content.decode()
    return html


@pytest.mark.django_db
def test_anonymous_and_roleless_users_are_kept_out(client, django_user_model):
    riet = DeskCaregiverFactory()
    for url in (
        reverse("registrations:caregiver_list"),
        reverse("registrations:caregiver_detail", args=[riet.pk]),
        reverse("registrations:caregiver_intake"),
    ):
        assert client.get(url)["Location"].startswith("/backoffice/inloggen/")
    client.force_login(django_user_model.objects.create_user("zomaar"))
    assert client.get(reverse("registrations:caregiver_list")).status_code == 403


def test_search_and_filters_include_and_exclude(client, consulent):
    stad = District.objects.get(name="Stadsdennen")
    riet = DeskCaregiverFactory(email="riet@example.nl", district=stad)
    today = clock.today()
    sem = DeskCaregiverFactory(
        first_name="Sem",
        last_name="Jansen",
        date_of_birth=today.replace(year=today.year - 15),
        postcode="3849KL",
        channel="post",
    )
    gone = DeskCaregiverFactory(
        first_name="Truus", last_name="Weg", state=State.BEEINDIGD, ended_on=today
    )
    erased = DeskCaregiverFactory(
        first_name="Anon", last_name="Iem", state=State.GEWIST, ended_on=today
    )

    html = listed(client)
    assert "Bakker, Riet" in html and "Jansen, Sem" in html and "Weg, Truus" in html
    assert f"#{erased.pk}<" not in html  # erased rows are not listed by default
    assert "Dementie" not in html  # health information never in a list
    html = listed(client, q="bakk")
    assert "Bakker, Riet" in html and "Jansen" not in html
    assert "Bakker, Riet" in listed(client, q="riet@example")
    assert "Jansen, Sem" in listed(client, q="3849 kl") and "Bakker" not in listed(
        client, q="3849 kl"
    )
    html = listed(client, age_group="jong")
    assert "Jansen, Sem" in html and "Bakker, Riet" not in html
    html = listed(client, age_group="volwassen")
    assert "Bakker, Riet" in html and "Jansen, Sem" not in html
    html = listed(client, district=stad.pk)
    assert "Bakker, Riet" in html and "Jansen" not in html
    html = listed(client, district="onbekend")
    assert "Jansen, Sem" in html and "Bakker, Riet" not in html
    html = listed(client, channel="post")
    assert "Jansen, Sem" in html and "Bakker" not in html
    html = listed(client, state="beeindigd")
    assert "Weg, Truus" in html and "Bakker" not in html
    assert gone.pk and sem.pk and riet.pk


def test_young_filter_at_the_age_boundary(client, consulent):
    today = clock.today()
    just_young = DeskCaregiverFactory(
        first_name="Jong",
        last_name="Nog",
        date_of_birth=today.replace(year=today.year - 25) + datetime.timedelta(days=1),
    )
    just_adult = DeskCaregiverFactory(
        first_name="Net", last_name="Volwassen", date_of_birth=today.replace(year=today.year - 25)
    )
    html = listed(client, age_group="jong")
    assert "Nog, Jong" in html and "Volwassen, Net" not in html
    assert just_young.age() == 24 and just_adult.age() == 25


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": "' OR 1=1 --"},
        {"q": "<script>alert(1)</script>"},
        {"state": "bestaat-niet"},
        {"district": "999999"},
        {"pagina": "-1"},
        {"pagina": "abc"},
        {"q": "a\x00b"},
    ],
)
def test_hostile_list_parameters_never_error(client, consulent, params):
    DeskCaregiverFactory()
    response = client.get(reverse("registrations:caregiver_list"), params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_detail_is_logged_every_time_and_shows_the_timeline(client, consulent):
    riet = DeskCaregiverFactory()
    for _ in range(2):
        page = client.get(reverse("registrations:caregiver_detail", args=[riet.pk]))
        assert page.status_code == 200
    views = StaffAccess.objects.filter(caregiver=riet, user=consulent, action="bekeken")
    assert views.count() == 2
    assert "Dementie" in page.content.decode()  # the detail page may show it


def test_timeline_shows_transitions_without_a_staff_member(client, consulent):
    from registrations import services

    new = DeskCaregiverFactory(state=State.AANGEMELD, email="new@example.nl")
    token, raw = services.issue_token(new, "email", datetime.timedelta(days=1))
    services.confirm_email(raw)
    page = client.get(reverse("registrations:caregiver_detail", args=[new.pk])).content.decode()
    assert "systeem of mantelzorger" in page and "E-mailadres bevestigd" in page


def test_tampered_id_is_a_404(client, consulent):
    assert client.get(reverse("registrations:caregiver_detail", args=[987654])).status_code == 404
    assert client.get("/backoffice/mantelzorgers/abc/").status_code == 404


def test_end_care_resume_and_end_registration_are_recorded(client, consulent):
    riet = DeskCaregiverFactory()
    url = reverse("registrations:caregiver_end_care", args=[riet.pk])
    response = client.post(
        url, {"ended_on": clock.today().strftime("%d-%m-%Y"), "reason": "overlijden"}
    )
    assert response.status_code == 302
    riet.refresh_from_db()
    assert riet.state == State.VOORMALIG and riet.care_end_reason == "overlijden"
    client.post(reverse("registrations:caregiver_resume_care", args=[riet.pk]))
    riet.refresh_from_db()
    assert riet.state == State.ACTIEF and riet.care_ended_on is None
    client.post(
        reverse("registrations:caregiver_end_registration", args=[riet.pk]), {"confirm": "on"}
    )
    riet.refresh_from_db()
    assert riet.state == State.BEEINDIGD and riet.end_reason == EndReason.CONSULENT
    logs = StateLog.objects.for_(riet).order_by("pk")
    assert [log.transition for log in logs] == ["end_care", "resume_care", "end_registration"]
    assert all(log.by == consulent for log in logs)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"ended_on": "01-01-2999", "reason": "overlijden"}, "Deze datum ligt in de toekomst."),
        ({"ended_on": "gisteren", "reason": "overlijden"}, "Vul de datum in zoals"),
        ({"ended_on": "", "reason": "verzonnen"}, "Vul een datum in."),
    ],
)
def test_wrong_end_of_care_input_changes_nothing(client, consulent, data, message):
    riet = DeskCaregiverFactory()
    response = client.post(reverse("registrations:caregiver_end_care", args=[riet.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    riet.refresh_from_db()
    assert riet.state == State.ACTIEF


def test_a_transition_that_is_not_allowed_gives_a_message(client, consulent):
    riet = DeskCaregiverFactory()
    response = client.post(
        reverse("registrations:caregiver_resume_care", args=[riet.pk]), follow=True
    )
    assert "Dit kan nu niet meer" in response.content.decode()
    riet.refresh_from_db()
    assert riet.state == State.ACTIEF
    assert not StateLog.objects.for_(riet).exists()


def test_consulent_checks_a_registration_without_email(client, consulent):
    new = DeskCaregiverFactory(state=State.AANGEMELD)
    assert f"/backoffice/mantelzorgers/{new.pk}/" in listed(client, to_check="on")
    client.post(reverse("registrations:caregiver_mark_checked", args=[new.pk]))
    new.refresh_from_db()
    assert new.state == State.ACTIEF and new.checked_by_consulent_at


def test_guardian_consent_by_phone_activates_a_young_caregiver(client, consulent):
    today = clock.today()
    sem = DeskCaregiverFactory(
        first_name="Sem",
        last_name="Jansen",
        date_of_birth=today.replace(year=today.year - 14),
        state=State.AANGEMELD,
        checked_by_consulent_at=clock.now(),
    )
    GuardianFactory(caregiver=sem, name="Anja Jansen", email="", phone="0612345678")
    client.post(reverse("registrations:caregiver_confirm_guardian", args=[sem.pk]))
    sem.refresh_from_db()
    assert sem.state == State.ACTIEF
    assert sem.consents.filter(kind="ouder", given_by="consulent").exists()


INTAKE = {
    "over-first_name": "Gerda",
    "over-last_name": "Mulder",
    "over-date_of_birth": "14-07-1948",
    "over-postcode": "3849 AB",
    "over-house_number": "3",
    "over-street": "Hierderweg",
    "over-city": "Hierden",
    "over-email": "",
    "over-phone": "0341 123456",
    "naaste-name": "Jan Mulder",
    "naaste-relationship": "partner",
    "naaste-lives_in_municipality": "ja",
    "naaste-living_together": "ja",
    "naaste-care_kinds": ["verzorging"],
    "naaste-hours_per_week": "30",
    "naaste-care_since": "01-01-2018",
    "contact-channel": "post",
}


def test_intake_registers_an_active_caregiver(client, consulent):
    from registrations.demo import load_example_postcode_ranges

    load_example_postcode_ranges()
    response = client.post(reverse("registrations:caregiver_intake"), INTAKE)
    caregiver = Caregiver.objects.get()
    assert response["Location"] == reverse("registrations:caregiver_detail", args=[caregiver.pk])
    assert caregiver.state == State.ACTIEF and caregiver.source == Source.CONSULENT
    assert caregiver.district.name == "Hierden" and caregiver.phone == "0341123456"
    assert caregiver.consents.get(kind="verwerking").given_by == "consulent"
    assert StateLog.objects.for_(caregiver).get().by == consulent


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("over-postcode", "12345", "Vul een postcode in zoals 3841 AB."),
        ("over-date_of_birth", "01-01-2999", "Deze datum ligt in de toekomst."),
        ("over-email", "gerda@", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        ("over-phone", "123", "Vul een telefoonnummer in van 10 cijfers"),
        ("over-first_name", "<script>alert(1)</script>" + "x" * 200, "Zorg dat deze waarde"),
        ("over-last_name", "Mul\x00der", "Gebruik alleen gewone letters"),
        ("naaste-hours_per_week", "999", "Een week heeft 168 uur."),
    ],
)
def test_intake_with_wrong_input_stores_nothing_and_keeps_values(
    client, consulent, field, value, message
):
    response = client.post(reverse("registrations:caregiver_intake"), {**INTAKE, field: value})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'value="Hierderweg"' in html
    assert "<script>alert(1)</script>" not in html
    assert not Caregiver.objects.exists()


def test_intake_under_16_needs_a_guardian(client, consulent):
    today = clock.today()
    born = today.replace(year=today.year - 15).strftime("%d-%m-%Y")
    response = client.post(
        reverse("registrations:caregiver_intake"), {**INTAKE, "over-date_of_birth": born}
    )
    assert "Vul de naam van je ouder of voogd in." in response.content.decode()
    assert not Caregiver.objects.exists()
    client.post(
        reverse("registrations:caregiver_intake"),
        {**INTAKE, "over-date_of_birth": born, "ouder-name": "Anja", "ouder-phone": "0612345678"},
    )
    caregiver = Caregiver.objects.get()
    assert caregiver.state == State.AANGEMELD  # the guardian still has to agree


def test_duplicates_by_address_and_by_email_and_merge(client, consulent):
    first = DeskCaregiverFactory(email="riet@example.nl")
    same_address = DeskCaregiverFactory(
        first_name="Riet", last_name="Bakker-de Vries", house_number="12"
    )
    same_email = DeskCaregiverFactory(
        first_name="R.",
        last_name="Bakker",
        date_of_birth=datetime.date(1951, 1, 1),
        postcode="3841AA",
        email="RIET@example.nl",
    )
    different = DeskCaregiverFactory(
        first_name="Piet", last_name="Bakker", date_of_birth=datetime.date(1950, 1, 3)
    )
    page = client.get(reverse("registrations:caregiver_detail", args=[first.pk])).content.decode()
    assert "Mogelijk dubbel ingeschreven" in page
    assert f"#{same_address.pk}," in page and f"#{same_email.pk}," in page
    assert f"#{different.pk}," not in page

    url = reverse("registrations:caregiver_merge", args=[same_address.pk, first.pk])
    assert "Ja, samenvoegen" in client.get(url).content.decode()
    client.post(url)
    same_address.refresh_from_db()
    assert same_address.state == State.BEEINDIGD
    assert same_address.end_reason == EndReason.MERGED and same_address.merged_into == first
    assert first.care_recipients.count() == 2

    client.post(reverse("registrations:caregiver_not_duplicate", args=[first.pk, same_email.pk]))
    page = client.get(reverse("registrations:caregiver_detail", args=[first.pk])).content.decode()
    assert "Mogelijk dubbel ingeschreven" not in page
    other_side = client.get(
        reverse("registrations:caregiver_detail", args=[same_email.pk])
    ).content.decode()
    assert "Mogelijk dubbel ingeschreven" not in other_side


def test_merge_of_unrelated_registrations_is_refused(client, consulent):
    a, b = (
        DeskCaregiverFactory(),
        DeskCaregiverFactory(
            first_name="Piet",
            last_name="Jansen",
            date_of_birth=datetime.date(1960, 5, 5),
            postcode="3841AA",
        ),
    )
    response = client.post(reverse("registrations:caregiver_merge", args=[a.pk, b.pk]), follow=True)
    assert "kunnen niet worden samengevoegd" in response.content.decode()
    a.refresh_from_db()
    assert a.state == State.ACTIEF


def test_erased_registration_shows_no_personal_data(client, consulent):
    gone = DeskCaregiverFactory(
        first_name="Anon",
        last_name="Iem",
        state=State.GEWIST,
        ended_on=clock.today(),
        erased_on=clock.today(),
    )
    page = client.get(reverse("registrations:caregiver_detail", args=[gone.pk])).content.decode()
    assert "De persoonsgegevens zijn gewist" in page and "Iem" not in page
