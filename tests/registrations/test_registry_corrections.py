"""Consulenten keep the registry right (issue 19): correcting a caregiver's details, adding,
correcting and ending the care for each naaste, every change on the timeline with who,
when, before and after; and what two consulenten editing at once see."""

import datetime

import pytest
from django.urls import reverse

from core import clock
from registrations import services, services_records
from registrations.models import (
    AccessToken,
    Caregiver,
    CareRecipient,
    District,
    PostcodeRange,
    RecordChange,
    State,
    TokenPurpose,
)
from tests.factories import CaregiverFactory, CareRecipientFactory, DeskCaregiverFactory

D = datetime.date


@pytest.fixture
def consulent(client, db, login_fully):
    return login_fully(client, "consulent")


@pytest.fixture
def wijken(db):
    """3845: Stadsdennen, 3849: Hierden (a coordinator's postcode table, in short)."""
    stad = District.objects.get(name="Stadsdennen")
    hierden = District.objects.get(name="Hierden")
    PostcodeRange.objects.create(first="3845AA", last="3845ZZ", district=stad)
    PostcodeRange.objects.create(first="3849AA", last="3849ZZ", district=hierden)
    return stad, hierden


def desk(**kwargs):
    """The back office's usual case, by post (it has no e-mail address)."""
    kwargs.setdefault("channel", "post")
    return DeskCaregiverFactory(**kwargs)


def edit_data(caregiver, **changes):
    data = {
        "first_name": caregiver.first_name, "surname_prefix": caregiver.surname_prefix,
        "last_name": caregiver.last_name,
        "date_of_birth": caregiver.date_of_birth.strftime("%d-%m-%Y"),
        "street": caregiver.street, "house_number": caregiver.house_number,
        "postcode": caregiver.postcode, "city": caregiver.city, "email": caregiver.email,
        "phone": caregiver.phone, "channel": caregiver.channel,
        "version": caregiver.version,
    }
    if caregiver.wants_newsletter:
        data["wants_newsletter"] = "on"
    data.update(changes)
    return data


def recipient_data(**changes):
    data = {"name": "Truus Bakker", "date_of_birth": "01-02-1931", "relationship": "ouder",
            "lives_in_municipality": "ja", "living_together": "nee",
            "care_kinds": ["vervoer", "administratie"], "hours_per_week": "6",
            "care_since": "01-06-2022", "care_need": "ouderdom"}
    data.update(changes)
    return data


def detail(client, caregiver) -> str:
    return client.get(reverse("registrations:caregiver_detail",
                              args=[caregiver.pk])).content.decode()


# --- the caregiver's details -----------------------------------------------------------------

def test_an_address_correction_derives_the_wijk_again_and_shows_before_and_after(
        client, consulent, wijken):
    stad, hierden = wijken
    riet = desk(postcode="3845AB", district=stad)
    url = reverse("registrations:caregiver_edit", args=[riet.pk])
    form = client.get(url).content.decode()
    assert 'value="Lindenlaan"' in form and 'value="3845 AB"' in form

    response = client.post(url, edit_data(riet, street="Dorpsstraat", house_number="3",
                                          postcode="3849 kl", city="Hierden"))
    assert response.status_code == 302
    riet.refresh_from_db()
    assert (riet.street, riet.postcode, riet.city, riet.district) == (
        "Dorpsstraat", "3849KL", "Hierden", hierden)
    assert riet.version == 2

    page = detail(client, riet)
    for line in ("Straat: Lindenlaan → Dorpsstraat", "Postcode: 3845 AB → 3849 KL",
                 "Woonplaats: Harderwijk → Hierden", "Wijk: Stadsdennen → Hierden",
                 "Gegevens aangepast"):
        assert line in page
    change = RecordChange.objects.get(caregiver=riet)
    assert change.by == consulent
    assert abs(change.at - clock.now()) < datetime.timedelta(minutes=1)


def test_a_postcode_outside_every_range_makes_the_wijk_unknown(client, consulent, wijken):
    stad, _hierden = wijken
    riet = desk(postcode="3845AB", district=stad)
    client.post(reverse("registrations:caregiver_edit", args=[riet.pk]),
                edit_data(riet, postcode="8011 AB", city="Zwolle"))
    riet.refresh_from_db()
    assert riet.district is None
    assert "Wijk: Stadsdennen → Onbekend" in detail(client, riet)


def test_nothing_changed_records_nothing(client, consulent):
    riet = desk()
    response = client.post(reverse("registrations:caregiver_edit", args=[riet.pk]),
                           edit_data(riet))
    assert response.status_code == 302
    riet.refresh_from_db()
    assert riet.version == 1 and not RecordChange.objects.filter(caregiver=riet).exists()


def test_a_new_email_address_must_be_confirmed_again(client, consulent,
                                                     django_capture_on_commit_callbacks):
    riet = CaregiverFactory(email="riet@example.nl")
    assert riet.email_confirmed_at is not None
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("registrations:caregiver_edit", args=[riet.pk]),
                    edit_data(riet, email="Riet.Nieuw@Example.nl"))
    riet.refresh_from_db()
    assert riet.email == "riet.nieuw@example.nl" and riet.email_confirmed_at is None
    token = AccessToken.objects.get(caregiver=riet, purpose=TokenPurpose.CONFIRM_EMAIL)
    assert token.still_sent_to(AccessToken.address_for(riet, TokenPurpose.CONFIRM_EMAIL))
    assert len(callbacks) == 1  # the confirmation mail, after the commit


def test_name_with_tussenvoegsel_sorts_under_the_achternaam(client, consulent):
    desk(first_name="Anna", last_name="Bakker")
    jan = desk(first_name="Jan", last_name="Dekker")
    desk(first_name="Piet", last_name="Zwart")
    client.post(reverse("registrations:caregiver_edit", args=[jan.pk]),
                edit_data(jan, surname_prefix="de", last_name="Vries"))
    jan.refresh_from_db()
    assert (jan.surname_prefix, jan.last_name, jan.full_name) == ("de", "Vries", "Jan de Vries")

    listing = client.get(reverse("registrations:caregiver_list")).content.decode()
    assert listing.index("Bakker, Anna") < listing.index("Vries, Jan de") < listing.index(
        "Zwart, Piet")
    assert "Achternaam: Dekker → Vries" in detail(client, jan)
    assert "<h1>Jan de Vries</h1>" in detail(client, jan)
    # Found by the whole name, tussenvoegsel included.
    assert "Vries, Jan de" in client.get(reverse("registrations:caregiver_list"),
                                         {"q": "de vries"}).content.decode()


def test_a_tussenvoegsel_typed_in_the_achternaam_is_kept_apart(client, consulent):
    jan = desk(first_name="Jan", last_name="Dekker")
    client.post(reverse("registrations:caregiver_edit", args=[jan.pk]),
                edit_data(jan, surname_prefix="", last_name="van der Berg"))
    jan.refresh_from_db()
    assert (jan.surname_prefix, jan.last_name) == ("van der", "Berg")


@pytest.mark.parametrize("field, value, message", [
    ("postcode", "12345", "Vul een postcode in zoals 3841 AB."),
    ("date_of_birth", "01-01-2999", "Deze datum ligt in de toekomst."),
    ("date_of_birth", "31-02-1950", "Vul de datum in zoals 15-03-1958"),
    ("last_name", "", "Vul uw achternaam in."),
    ("first_name", "Ri\x00et", "Gebruik alleen gewone letters"),
    ("email", "riet@", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
    ("house_number", "", "Vul uw huisnummer in."),
])
def test_wrong_input_gets_a_message_keeps_what_was_typed_and_saves_nothing(
        client, consulent, field, value, message):
    riet = desk()
    typed = edit_data(riet, street="Nieuwe Straat", **{field: value})
    response = client.post(reverse("registrations:caregiver_edit", args=[riet.pk]), typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Nieuwe Straat"' in page  # what was typed stays
    assert 'aria-invalid="true"' in page
    riet.refresh_from_db()
    assert riet.street == "Lindenlaan" and riet.version == 1
    assert not RecordChange.objects.filter(caregiver=riet).exists()


def test_mail_by_email_needs_an_email_address(client, consulent):
    riet = desk(channel="post")
    response = client.post(reverse("registrations:caregiver_edit", args=[riet.pk]),
                           edit_data(riet, channel="email", email=""))
    assert "Er is geen e-mailadres ingevuld" in response.content.decode()


def test_two_consulenten_editing_at_once_never_overwrite_silently(client, consulent, wijken,
                                                                    login_fully):
    riet = desk(phone="0611111111")
    opened = edit_data(riet)  # both opened the form at version 1
    colleague = type(client)()
    login_fully(colleague, "coordinator")
    url = reverse("registrations:caregiver_edit", args=[riet.pk])
    assert colleague.post(url, {**opened, "phone": "0622222222"}).status_code == 302

    response = client.post(url, {**opened, "street": "Kerkstraat", "phone": "0633333333"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Een collega heeft deze gegevens net aangepast" in page
    assert "0622222222" in page  # what the colleague saved is shown
    assert 'value="Kerkstraat"' in page and 'value="0633333333"' in page  # typed values kept
    riet.refresh_from_db()
    assert (riet.phone, riet.street, riet.version) == ("0622222222", "Lindenlaan", 2)

    # Saving again, now knowingly, goes through (the form carries the new version).
    assert 'name="version" value="2"' in page
    again = client.post(url, {**opened, "street": "Kerkstraat", "phone": "0633333333",
                              "version": "2"})
    assert again.status_code == 302
    riet.refresh_from_db()
    assert (riet.phone, riet.street) == ("0633333333", "Kerkstraat")


def test_the_persons_own_contact_change_also_makes_an_open_form_stale(client, consulent):
    riet = desk(channel="post")
    opened = edit_data(riet)
    services.update_contact_details(riet, email="", phone="0644444444", channel="post",
                                    wants_newsletter=False)
    response = client.post(reverse("registrations:caregiver_edit", args=[riet.pk]),
                           {**opened, "city": "Hierden"})
    assert "Een collega heeft deze gegevens net aangepast" in response.content.decode()
    riet.refresh_from_db()
    assert riet.phone == "0644444444" and riet.city == "Harderwijk"


def test_a_stale_version_is_refused_by_the_service_itself(db):
    riet = desk()
    services_records.update_caregiver(riet, {"city": "Hierden"}, version=1, by=None)
    with pytest.raises(services_records.StaleEdit):
        services_records.update_caregiver(riet, {"city": "Ermelo"}, version=1, by=None)
    riet.refresh_from_db()
    assert riet.city == "Hierden"


def test_ended_registrations_cannot_be_edited(client, consulent):
    gone = desk(state=State.BEEINDIGD, ended_on=clock.today())
    response = client.post(reverse("registrations:caregiver_edit", args=[gone.pk]),
                           edit_data(gone, city="Hierden"), follow=True)
    assert "Dit kan niet meer" in response.content.decode()
    gone.refresh_from_db()
    assert gone.city == "Harderwijk"
    assert "Gegevens aanpassen" not in detail(client, gone)


def test_tampered_ids_are_404(client, consulent):
    riet = desk()
    other = desk(first_name="Piet")
    theirs = other.care_recipients.get()
    for url in (reverse("registrations:caregiver_edit", args=[987654]),
                reverse("registrations:caregiver_edit_recipient", args=[riet.pk, theirs.pk]),
                reverse("registrations:caregiver_end_recipient", args=[riet.pk, theirs.pk])):
        assert client.get(url).status_code == 404


# --- naasten -----------------------------------------------------------------------------------

def test_a_second_naaste_is_added_and_shown_with_the_change_on_the_timeline(client, consulent):
    riet = desk()
    url = reverse("registrations:caregiver_add_recipient", args=[riet.pk])
    assert client.post(url, recipient_data()).status_code == 302
    truus = CareRecipient.objects.get(caregiver=riet, name="Truus Bakker")
    assert (truus.relationship, truus.hours_per_week, truus.care_kinds) == (
        "ouder", 6, ["vervoer", "administratie"])
    page = detail(client, riet)
    assert "Naaste van Riet" in page and "Truus Bakker (Ouder)" in page
    assert "Naaste toegevoegd" in page and "Naam: Truus Bakker" in page


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Vul de naam in."),
    ("hours_per_week", "169", "Een week heeft 168 uur"),
    ("hours_per_week", "tien", "Vul een heel getal in"),
    ("care_since", "01-01-2999", "Deze datum ligt in de toekomst."),
    ("relationship", "baas", "Selecteer een geldige keuze"),
    ("care_kinds", [], "Kies minstens één ding."),
])
def test_wrong_naaste_input_gets_a_message_and_adds_nothing(client, consulent, field, value,
                                                           message):
    riet = desk()
    response = client.post(reverse("registrations:caregiver_add_recipient", args=[riet.pk]),
                           recipient_data(**{field: value, "date_of_birth": "02-03-1932"}))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'value="02-03-1932"' in page
    assert riet.care_recipients.count() == 1


def test_a_naaste_is_corrected_with_before_and_after(client, consulent):
    riet = desk()
    naaste = riet.care_recipients.get()
    url = reverse("registrations:caregiver_edit_recipient", args=[riet.pk, naaste.pk])
    form = client.get(url).content.decode()
    assert 'value="Naaste van Riet"' in form
    response = client.post(url, recipient_data(name="Naaste van Riet", hours_per_week="14",
                                               relationship="partner", version="1"))
    assert response.status_code == 302
    naaste.refresh_from_db()
    assert naaste.hours_per_week == 14 and naaste.version == 2
    page = detail(client, riet)
    assert "Naaste aangepast" in page and "Uren per week: 10 → 14" in page
    assert "Naaste: Naaste van Riet" in page


def test_a_stale_naaste_form_is_refused_with_what_was_typed(client, consulent):
    riet = desk()
    naaste = riet.care_recipients.get()
    services_records.update_recipient(naaste, {"hours_per_week": 12}, version=1, by=None)
    url = reverse("registrations:caregiver_edit_recipient", args=[riet.pk, naaste.pk])
    response = client.post(url, recipient_data(hours_per_week="30", version="1"))
    page = response.content.decode()
    assert "Een collega heeft deze gegevens net aangepast" in page and 'value="30"' in page
    naaste.refresh_from_db()
    assert naaste.hours_per_week == 12


def test_former_caregiver_caring_for_someone_new_is_active_again(client, consulent):
    riet = desk(state=State.VOORMALIG, care_ended_on=clock.today(),
                                care_end_reason="overlijden")
    client.post(reverse("registrations:caregiver_add_recipient", args=[riet.pk]),
                recipient_data())
    riet.refresh_from_db()
    assert riet.state == State.ACTIEF and riet.care_ended_on is None


# --- the end of care, per naaste -------------------------------------------------------------

def end(client, caregiver, recipient, **data):
    return client.post(reverse("registrations:caregiver_end_recipient",
                               args=[caregiver.pk, recipient.pk]),
                       {"version": recipient.version, **data})


def test_caring_for_two_parents_ends_only_with_the_last_care(client, consulent):
    riet = desk()
    mother = riet.care_recipients.get()
    father = CareRecipientFactory(caregiver=riet, name="Vader", relationship="ouder")
    first_end, last_end = clock.today() - datetime.timedelta(days=30), clock.today()
    mothers_page = reverse("registrations:caregiver_end_recipient", args=[riet.pk, mother.pk])
    assert "zorgt nog voor 1 andere naaste" in client.get(mothers_page).content.decode()

    end(client, riet, father, ended_on=first_end.strftime("%d-%m-%Y"), reason="overlijden")
    riet.refresh_from_db()
    father.refresh_from_db()
    assert riet.state == State.ACTIEF and father.care_ended_on == first_end
    assert "Dit is de laatste naaste" in client.get(mothers_page).content.decode()

    end(client, riet, mother, ended_on=last_end.strftime("%d-%m-%Y"), reason="hersteld")
    riet.refresh_from_db()
    assert riet.state == State.VOORMALIG
    assert (riet.care_ended_on, riet.care_end_reason) == (last_end, "hersteld")
    assert riet.retention_end().year == last_end.year + 2  # two years from the last care
    page = detail(client, riet)
    assert "Zorg voor naaste gestopt" in page and "Status: Actief → Voormalig mantelzorger" in page


def test_the_last_care_counts_by_its_date_not_by_the_order_it_was_entered(db):
    riet = desk()
    mother = riet.care_recipients.get()
    father = CareRecipientFactory(caregiver=riet, name="Vader", relationship="ouder")
    later, earlier = clock.today(), clock.today() - datetime.timedelta(days=60)
    services_records.end_recipient_care(father, on=later, reason="overlijden", version=1,
                                        by=None)
    services_records.end_recipient_care(mother, on=earlier, reason="hersteld", version=1,
                                        by=None)
    riet.refresh_from_db()
    assert (riet.state, riet.care_ended_on, riet.care_end_reason) == (
        State.VOORMALIG, later, "overlijden")


def test_opname_with_care_going_on_keeps_the_naaste_and_the_caregiver_active(client,
                                                                              consulent):
    riet = desk()
    naaste = riet.care_recipients.get()
    day = clock.today() - datetime.timedelta(days=5)
    response = end(client, riet, naaste, ended_on=day.strftime("%d-%m-%Y"), reason="opname",
                   still_caring="ja")
    assert response.status_code == 302
    naaste.refresh_from_db()
    riet.refresh_from_db()
    assert naaste.cared_for and naaste.admitted_on == day and not naaste.living_together
    assert riet.state == State.ACTIEF
    page = detail(client, riet)
    assert "Naaste opgenomen, zorg gaat door" in page and "de zorg gaat door" in page


def test_opname_without_care_going_on_ends_the_care(client, consulent):
    riet = desk()
    naaste = riet.care_recipients.get()
    end(client, riet, naaste, ended_on=clock.today().strftime("%d-%m-%Y"), reason="opname",
        still_caring="nee")
    riet.refresh_from_db()
    assert (riet.state, riet.care_end_reason) == (State.VOORMALIG, "opname")


@pytest.mark.parametrize("data, message", [
    ({"reason": "opname"}, "Kies of de mantelzorger na de opname blijft zorgen."),
    ({"reason": "weg"}, "Kies wat er is gebeurd."),
    ({"ended_on": "01-01-2019"}, "Deze datum ligt voor het begin van de zorg"),
    ({"ended_on": "01-01-2999"}, "Deze datum ligt in de toekomst."),
])
def test_wrong_end_of_care_input_changes_nothing(client, consulent, data, message):
    riet = desk()
    naaste = riet.care_recipients.get()
    response = end(client, riet, naaste, **{"ended_on": clock.today().strftime("%d-%m-%Y"),
                                            "reason": "overlijden", **data})
    assert response.status_code == 200 and message in response.content.decode()
    naaste.refresh_from_db()
    riet.refresh_from_db()
    assert naaste.cared_for and naaste.admitted_on is None and riet.state == State.ACTIEF


def test_ending_all_care_at_once_ends_every_naaste(db):
    riet = desk()
    CareRecipientFactory(caregiver=riet, name="Vader", relationship="ouder")
    services.end_care(riet, clock.today(), "overlijden")
    assert not CareRecipient.objects.filter(caregiver=riet, care_ended_on__isnull=True).exists()


# --- erasure --------------------------------------------------------------------------------

def test_erasure_clears_the_tussenvoegsel_and_the_recorded_corrections(db):
    from registrations import retention

    jan = desk(first_name="Jan", surname_prefix="de", last_name="Vries")
    bystander = desk(first_name="Els", surname_prefix="van", last_name="Dam")
    for person in (jan, bystander):
        services_records.update_caregiver(person, {"street": "Kerkstraat"}, version=1,
                                          by=None)
    services.end_registration(jan)
    later = clock.today() + datetime.timedelta(days=400)
    retention.run_daily(later)
    jan.refresh_from_db()
    bystander.refresh_from_db()
    assert jan.state == State.GEWIST and jan.surname_prefix == "" and jan.last_name == ""
    assert not RecordChange.objects.filter(caregiver=jan).exists()
    assert bystander.surname_prefix == "van"
    assert RecordChange.objects.filter(caregiver=bystander).count() == 1
    assert Caregiver.objects.filter(pk=bystander.pk, state=State.ACTIEF).exists()


def test_a_death_of_one_of_two_naasten_proposes_aftercare_while_care_goes_on(db):
    from insight.models import FollowUpTask

    riet = desk()
    father = CareRecipientFactory(caregiver=riet, name="Vader", relationship="ouder")
    services_records.end_recipient_care(father, on=clock.today(), reason="overlijden",
                                        version=1, by=None)
    riet.refresh_from_db()
    assert riet.state == State.ACTIEF
    tasks = FollowUpTask.objects.filter(caregiver=riet, kind="nazorg")
    assert tasks.count() >= 1
    assert min(task.due_on for task in tasks) > clock.today()


def test_a_caregiver_with_two_naasten_says_for_whom_the_care_stopped(client, db):
    from tests.support import sign_in

    riet = desk(email="riet@example.nl", channel="email")
    mother = riet.care_recipients.get()
    father = CareRecipientFactory(caregiver=riet, name="Vader", relationship="ouder")
    sign_in(client, riet)
    page = client.get(reverse("registrations:care_ended")).content.decode()
    assert "Voor wie stopt de zorg?" in page and "Voor al mijn naasten" in page
    day = clock.today().strftime("%d-%m-%Y")
    refused = client.post(reverse("registrations:care_ended"),
                          {"ended_on": day, "reason": "overlijden"})
    assert "Kies voor wie de zorg stopt." in refused.content.decode()

    client.post(reverse("registrations:care_ended"),
                {"recipient": str(father.pk), "ended_on": day, "reason": "overlijden"})
    riet.refresh_from_db()
    father.refresh_from_db()
    assert riet.state == State.ACTIEF and father.care_ended_on == clock.today()
    assert CareRecipient.objects.get(pk=mother.pk).cared_for
    change = RecordChange.objects.get(caregiver=riet, kind="naaste_gestopt")
    assert change.by is None  # the person, not a staff member


def test_one_naaste_is_not_asked_for_whom(client, db):
    from tests.support import sign_in

    riet = desk(email="riet@example.nl", channel="email")
    sign_in(client, riet)
    assert "Voor wie stopt de zorg?" not in client.get(
        reverse("registrations:care_ended")).content.decode()
