"""Columns (guessed, chosen, saved and reused), the two jobs on a real worker with their
progress, the information letter by each channel, and what retention forgets."""

import datetime

import pytest
import time_machine
from django.core import mail

from registrations import retention
from registrations.exports import export_caregiver
from registrations.imports import jobs, services
from registrations.models import (
    Caregiver,
    EndReason,
    ImportMapping,
    ImportRow,
    ImportState,
    RegistryImport,
)
from registrations.services import end_registration
from tests.registrations.import_files import csv_bytes, dry_run, import_file, person, upload
from tests.support import pdf_text
from worker.models import Letter, LetterStatus
from worker.services import create_print_batch, dispatch_queued_letters

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media):
    return media


def test_common_dutch_column_names_are_recognised_whatever_their_case_or_accents():
    headers = ["VOORNAAM", " tussenvoegsel ", "Achternaam", "Geboortedatum", "postcode",
               "Huisnr.", "Toevoeging", "E-mailadres", "Telefoonnummer", "Naam naaste",
               "Relatie", "Uren per week", "Zorgt sinds", "Ingeschreven op", "Nieuwsbrief",
               "Kleur ogen", "Relatiè tot naaste"]
    assert services.guess_mapping(headers) == {
        "VOORNAAM": "first_name", " tussenvoegsel ": "tussenvoegsel",
        "Achternaam": "last_name", "Geboortedatum": "date_of_birth", "postcode": "postcode",
        "Huisnr.": "house_number", "Toevoeging": "house_number_addition",
        "E-mailadres": "email", "Telefoonnummer": "phone", "Naam naaste": "recipient_name",
        "Relatie": "recipient_relationship", "Uren per week": "hours_per_week",
        "Zorgt sinds": "care_since", "Ingeschreven op": "registered_on",
        "Nieuwsbrief": "wants_newsletter", "Kleur ogen": "",
        "Relatiè tot naaste": "",  # the relation is taken already: a field once
    }


UNKNOWN = ["Roepnaam mz", "Familienaam mz", "Geboortedatum", "Postcode", "Huisnummer"]


def unknown_columns_file() -> bytes:
    return csv_bytes([{"Roepnaam mz": "Jan", "Familienaam mz": "Vries",
                       "Geboortedatum": "15-03-1958", "Postcode": "3841AB",
                       "Huisnummer": "12"}], headers=UNKNOWN)


def test_a_mapping_must_name_the_required_fields_once_and_known_keys_only():
    registry_import = upload(unknown_columns_file())
    with pytest.raises(services.MappingInvalid) as missing:
        services.set_mapping(registry_import, registry_import.mapping, by=None)
    assert "Voornaam" in missing.value.errors["__all__"]
    assert "Achternaam" in missing.value.errors["__all__"]
    twice = {**registry_import.mapping, "Roepnaam mz": "first_name",
             "Familienaam mz": "first_name"}
    with pytest.raises(services.MappingInvalid) as doubled:
        services.set_mapping(registry_import, twice, by=None)
    assert "maar één keer" in doubled.value.errors["Familienaam mz"]
    with pytest.raises(services.MappingInvalid) as unknown:
        services.set_mapping(registry_import, {**twice, "Familienaam mz": "bsn"}, by=None)
    assert unknown.value.errors["Familienaam mz"] == "Kies een veld uit de lijst."
    registry_import.refresh_from_db()
    assert registry_import.state == ImportState.UPLOADED


def test_a_saved_mapping_is_used_again_for_a_file_with_the_same_columns(coordinator):
    first = upload(unknown_columns_file())
    chosen = {**first.mapping, "Roepnaam mz": "first_name", "Familienaam mz": "last_name"}
    services.set_mapping(first, chosen, save_as="Oud systeem", by=coordinator)
    saved = ImportMapping.objects.get(name="Oud systeem")
    assert saved.columns == chosen and saved.created_by == coordinator
    second = upload(unknown_columns_file())
    assert second.mapping == chosen
    other = upload(csv_bytes([person()]))
    services.apply_saved_mapping(other, saved)
    other.refresh_from_db()
    assert other.mapping["Voornaam"] == "" and other.mapping["Geboortedatum"] == "date_of_birth"
    assert other.state == ImportState.UPLOADED  # no dry run yet


def test_both_jobs_run_on_a_real_worker_with_progress(real_worker, wait_for, coordinator):
    registry_import = upload(csv_bytes([person(Klantnummer=f"A{n}", **{"E-mail": f"{n}@x.nl"})
                                        for n in range(3)]), by=coordinator)
    assert services.progress(registry_import)["percent"] == 0
    services.set_mapping(registry_import, registry_import.mapping, by=coordinator)
    wait_for(lambda: services.progress(registry_import)["state"] == ImportState.CHECKED,
             message="the dry run")
    assert Caregiver.objects.count() == 0
    services.confirm(registry_import, by=coordinator)
    wait_for(lambda: services.progress(registry_import)["state"] == ImportState.DONE,
             message="the import")
    assert services.progress(registry_import) == {
        "state": "klaar", "state_label": "Klaar", "done": 3, "total": 3, "percent": 100,
        "message": ""}
    assert Caregiver.objects.count() == 3
    registry_import.refresh_from_db()
    assert registry_import.confirmed_by == coordinator and not registry_import.file


def test_the_information_letter_goes_by_each_persons_channel():
    import_file(csv_bytes([
        person(Klantnummer="A1"),  # e-mail, not confirmed: the letter may use it
        person(Klantnummer="A2", Voornaam="Piet", **{"E-mail": ""}),  # post
        person(Klantnummer="A3", Voornaam="Kees", **{"E-mail": "", "Straat": ""}),
    ]))
    dispatch_queued_letters()
    by_name = {letter.caregiver.first_name: letter for letter in Letter.objects.all()}
    assert by_name["Jan"].status == LetterStatus.SENT and by_name["Jan"].channel == "email"
    assert by_name["Piet"].status == LetterStatus.TO_PRINT
    assert by_name["Kees"].status == LetterStatus.CANCELLED  # no address to write to
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["jan.de.vries@example.nl"]
    assert "nieuw systeem" in body and "bekijken, veranderen of laten weghalen" in body
    assert "/mijn-gegevens" in body


def test_erasure_forgets_the_old_number_and_the_dry_run_line():
    import_file(csv_bytes([person()]))
    jan = Caregiver.objects.get()
    end_registration(jan, reason=EndReason.OWN_REQUEST)
    later = datetime.datetime.now() + datetime.timedelta(days=60)
    with time_machine.travel(later, tick=False):
        result = retention.run_daily()
    assert result.erased == 1
    jan.refresh_from_db()
    assert jan.external_id == "" and jan.last_name == ""
    assert ImportRow.objects.filter(name__contains="Vries").count() == 0


def test_the_lines_of_an_old_import_are_forgotten_after_thirty_days():
    left = dry_run(upload(csv_bytes([person(Geboortedatum="nooit")])))
    assert ImportRow.objects.filter(registry_import=left).exists() and left.file
    assert jobs.forget_old_imports() == 0
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=31)
    with time_machine.travel(later, tick=False):  # by the nightly retention job
        assert retention.run_daily().imports_forgotten == 1
    left = RegistryImport.objects.get(pk=left.pk)
    assert not ImportRow.objects.filter(registry_import=left).exists() and not left.file
    assert left.summary["geweigerd"] == 1  # the counts stay


def test_the_data_download_says_where_the_data_came_from(client, sign_in):
    registry_import = import_file(csv_bytes([person()]))
    jan = Caregiver.objects.get()
    data = export_caregiver(jan)["mantelzorger"]
    assert data["aangemeld_via"]["code"] == "import"
    assert data["nummer_in_vorig_systeem"] == "A1"
    assert f"import #{registry_import.pk}" in data["grondslag"]
    assert "Overgenomen uit het vorige systeem" in str(export_caregiver(jan)["geschiedenis"])
    sign_in(client, jan)
    page = client.get("/mijn-gegevens/overzicht").content.decode()
    assert "Waar uw gegevens vandaan komen:" in page and "AVG art. 14" in page


def test_the_paper_letter_is_printed_with_the_address_and_what_to_do(tmp_path):
    import_file(csv_bytes([person(**{"E-mail": ""})]))
    dispatch_queued_letters()
    batch = create_print_batch()
    text = " ".join(pdf_text(batch.pdf.read(), tmp_path).split())
    assert "Jan de Vries" in text and "Stationsplein 12a" in text and "3841 AB" in text
    assert "Uw gegevens staan in ons nieuwe systeem" in text
    assert "Wat kunt u doen?" in text and "/mijn-gegevens/" in text
