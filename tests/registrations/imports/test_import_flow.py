"""The import from file to registry: what the dry run says and what the write does."""

import datetime
import threading

import pytest
from django.db import connection

from registrations.imports import jobs, services
from registrations.models import (
    Caregiver,
    CareRecipient,
    ImportRow,
    ImportState,
    RegistrationLetter,
    RegistryImport,
    Source,
    State,
)
from tests.factories import CaregiverFactory
from tests.registrations.import_files import (
    csv_bytes,
    dry_run,
    import_file,
    person,
    upload,
    write,
)
from worker.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media):
    return media


def test_a_file_is_cleaned_as_the_forms_clean_and_written_with_its_provenance():
    registry_import = import_file(csv_bytes([person()]))
    assert registry_import.state == ImportState.DONE, registry_import.message
    jan = Caregiver.objects.get()
    # The tussenvoegsel column stays apart: sorted under V, written "Jan de Vries".
    assert (jan.first_name, jan.surname_prefix, jan.last_name) == ("Jan", "de", "Vries")
    assert jan.full_name == "Jan de Vries"
    assert jan.date_of_birth == datetime.date(1958, 3, 15)
    assert (jan.postcode, jan.house_number) == ("3841AB", "12a")
    assert jan.email == "jan.de.vries@example.nl"
    assert jan.phone == "0612345678"
    assert jan.registered_on == datetime.date(2021, 1, 5)
    assert jan.wants_newsletter is True
    assert jan.state == State.ACTIEF and jan.source == Source.IMPORT
    assert jan.external_id == "A1" and jan.registry_import == registry_import
    assert f"import #{registry_import.pk}" in jan.legal_basis
    truus = CareRecipient.objects.get(caregiver=jan)
    assert (truus.name, truus.relationship, truus.hours_per_week) == (
        "Truus de Vries", "ouder", 10)
    assert truus.care_since == datetime.date(2020, 6, 1)
    letter = Letter.objects.get(caregiver=jan)
    assert letter.kind == RegistrationLetter.IMPORT_NOTICE
    # The cleaned lines held personal data only until the write.
    assert list(ImportRow.objects.values_list("data", "caregiver")) == [({}, jan.pk)]


def test_the_dry_run_writes_nothing_and_says_what_would_happen():
    registry_import = dry_run(upload(csv_bytes([person(), person(
        Klantnummer="A2", Voornaam="Piet", Geboortedatum="31/02/1960")])))
    assert registry_import.state == ImportState.CHECKED
    assert registry_import.summary["nieuw"] == 1 and registry_import.summary["geweigerd"] == 1
    refused = ImportRow.objects.get(outcome="geweigerd")
    assert refused.line == 3
    assert "Regel 3" in refused.reasons[0] and "geboortedatum" in refused.reasons[0]
    assert not Caregiver.objects.exists() and not Letter.objects.exists()


def test_the_same_file_twice_creates_nothing_twice():
    content = csv_bytes([person(), person(Naaste="Kees de Vries", Relatie="vader")])
    import_file(content)
    second = dry_run(upload(content))
    assert second.summary["ongewijzigd"] == 2 and second.summary["nieuw"] == 0
    write(second)
    assert Caregiver.objects.count() == 1
    assert CareRecipient.objects.count() == 2
    assert Letter.objects.count() == 1


def test_a_second_file_with_changes_updates_what_changed_and_says_so():
    import_file(csv_bytes([person()]))
    changed = dry_run(upload(csv_bytes([person(Telefoon="0341-123456", **{"Uren per week": "20"}),
                                        person(Naaste="Kees de Vries", Relatie="vader")])))
    rows = {row.line: row for row in ImportRow.objects.filter(registry_import=changed)}
    assert rows[2].outcome == "bijgewerkt" and rows[3].outcome == "bijgewerkt"
    assert "telefoonnummer gewijzigd" in rows[2].reasons[0]
    assert "naaste Truus de Vries" in rows[2].reasons[0]
    assert "nieuwe naaste: Kees de Vries" in rows[3].reasons[0]
    write(changed)
    jan = Caregiver.objects.get()
    assert jan.phone == "0341123456"
    assert sorted(jan.care_recipients.values_list("name", "hours_per_week")) == [
        ("Kees de Vries", 10), ("Truus de Vries", 20)]


def test_without_a_number_people_are_matched_on_date_of_birth_and_address():
    import_file(csv_bytes([person(Klantnummer="")]))
    again = dry_run(upload(csv_bytes([person(Klantnummer="", Voornaam="Johannes")])))
    assert ImportRow.objects.get(registry_import=again).outcome == "bijgewerkt"
    write(again)
    assert Caregiver.objects.get().first_name == "Johannes"


def test_a_house_number_typed_otherwise_on_file_is_the_same_address():
    """'12 A' typed in a form here is the file's 12 + a: one person, not a new one."""
    existing = CaregiverFactory(first_name="Jan", last_name="de Vries", email="",
                                date_of_birth=datetime.date(1958, 3, 15), postcode="3841AB",
                                house_number="12 A")
    registry_import = dry_run(upload(csv_bytes([person(Klantnummer="")])))
    row = ImportRow.objects.get(registry_import=registry_import)
    assert row.outcome == "bijgewerkt" and row.caregiver_id == existing.pk


def test_a_registration_with_the_same_email_is_a_possible_duplicate():
    existing = CaregiverFactory(email="jan.de.vries@example.nl", postcode="3842CD")
    registry_import = dry_run(upload(csv_bytes([person()])))
    row = ImportRow.objects.get(registry_import=registry_import)
    assert row.outcome == "mogelijk_dubbel"
    assert f"#{existing.pk}" in row.reasons[0]
    write(registry_import)
    assert Caregiver.objects.count() == 2


def test_confirm_only_after_the_dry_run():
    registry_import = upload(csv_bytes([person()]))
    with pytest.raises(services.NotReady):
        services.confirm(registry_import, by=None)


@pytest.mark.django_db(transaction=True)
def test_two_dry_runs_of_one_file_confirmed_together_create_everyone_once():
    content = csv_bytes([person(Klantnummer=f"A{n}", **{"E-mail": f"{n}@x.nl"})
                         for n in range(20)])
    first, second = dry_run(upload(content)), dry_run(upload(content))
    assert first.summary["nieuw"] == second.summary["nieuw"] == 20  # both saw nobody yet
    for registry_import in (first, second):
        services.confirm(registry_import, by=None)

    def run(pk):
        try:
            jobs.run_import(pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(r.pk,)) for r in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Caregiver.objects.count() == 20 and Letter.objects.count() == 20
    assert CareRecipient.objects.count() == 20
    states = set(RegistryImport.objects.values_list("state", flat=True))
    assert states == {ImportState.DONE}


def test_two_lines_with_one_email_address_are_possible_duplicates_of_each_other():
    registry_import = dry_run(upload(csv_bytes([
        person(Klantnummer="A1"),
        person(Klantnummer="A2", Voornaam="Marie", Geboortedatum="02-02-1960"),
    ])))
    rows = {row.line: row for row in ImportRow.objects.filter(registry_import=registry_import)}
    assert rows[2].outcome == "nieuw"
    assert rows[3].outcome == "mogelijk_dubbel"
    assert rows[3].reasons[0].startswith("Regel 3: zelfde e-mailadres als regel 2.")


def test_an_ended_registration_is_not_brought_back():
    CaregiverFactory(ended=True, external_id="A1", first_name="Jan")
    registry_import = dry_run(upload(csv_bytes([person()])))
    row = ImportRow.objects.get(registry_import=registry_import)
    assert row.outcome == "geweigerd" and "beëindigd" in row.reasons[0]
    write(registry_import)
    assert Caregiver.objects.count() == 1


def test_an_online_registration_without_a_number_gets_the_old_systems_number():
    online = CaregiverFactory(date_of_birth=datetime.date(1958, 3, 15), postcode="3841AB",
                              house_number="12a", first_name="Jan", last_name="de Vries",
                              email="jan.de.vries@example.nl")
    registry_import = write(dry_run(upload(csv_bytes([person()]))))
    assert registry_import.summary["bijgewerkt"] == 1
    online.refresh_from_db()
    assert online.external_id == "A1" and Caregiver.objects.count() == 1
    assert online.email_confirmed_at is not None  # the same address stays confirmed
