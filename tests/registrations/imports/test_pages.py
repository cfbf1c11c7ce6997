"""The coordinator's import pages (/backoffice/import/): upload, columns, dry run, import.

The engine (reading, cleaning, matching, writing) has its own tests; these are about the
pages: a refused file or mapping gets its Dutch message next to its field, hostile posts
change nothing, a step in the wrong state becomes a message, consulenten never get in.
"""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from registrations.imports.models import (
    ImportMapping,
    ImportRow,
    ImportState,
    RegistryImport,
    RowOutcome,
)
from registrations.models import Caregiver

pytestmark = pytest.mark.django_db

UPLOAD = reverse("registrations:import_upload")
GOOD_CSV = (
    b"Voornaam;Achternaam;Geboortedatum;Postcode;Huisnummer;Klantcode;Opmerking\r\n"
    b"Riet;Bakker;15-3-1958;3845 AB;12;K-001;belt graag\r\n"
    b"Henk;de Vries;1960-01-02;3841AA;3;K-002;\r\n"
)


def mapping_url(registry_import):
    return reverse("registrations:import_mapping", args=[registry_import.pk])


def detail_url(registry_import):
    return reverse("registrations:import_detail", args=[registry_import.pk])


def confirm_url(registry_import):
    return reverse("registrations:import_confirm", args=[registry_import.pk])


def upload(client, content: bytes, name="mantelzorgers.csv", content_type="text/csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content, content_type)})


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def field_error(response, field_id: str) -> str:
    """The message shown next to a field (the `<p id="…_error">` the field template writes)."""
    match = re.search(rf'<p class="error-message" id="{field_id}_error">(.*?)</p>',
                      response.content.decode(), re.S)
    assert match, f"no message next to {field_id}"
    return html.unescape(re.sub(r"<[^>]+>|\s+", " ", match.group(1))).strip()


def selected(response, field_name: str) -> str:
    """The value of the selected option of a select on the page ("" when none)."""
    select = re.search(rf'<select name="{field_name}"[^>]*>(.*?)</select>',
                       response.content.decode(), re.S)
    assert select, f"no select {field_name}"
    option = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return option.group(1) if option else ""


def column_name(registry_import, header: str) -> str:
    return f"kolom_{registry_import.headers.index(header)}"


def mapping_post(registry_import, mapping: dict[str, str], **extra) -> dict:
    data = {column_name(registry_import, header): key for header, key in mapping.items()}
    data.update(extra)
    return data


@pytest.fixture
def uploaded(as_coordinator, media):
    response = upload(as_coordinator, GOOD_CSV)
    registry_import = RegistryImport.objects.get()
    assert response.status_code == 302 and response["Location"] == mapping_url(registry_import)
    return registry_import


FULL_MAPPING = {"Voornaam": "first_name", "Achternaam": "last_name",
                "Geboortedatum": "date_of_birth", "Postcode": "postcode",
                "Huisnummer": "house_number", "Klantcode": "external_id", "Opmerking": ""}


@pytest.fixture
def checked(uploaded, as_coordinator, inline_tasks, django_capture_on_commit_callbacks):
    """The good file mapped and through the dry run (the task run in this process)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(mapping_url(uploaded), mapping_post(uploaded,
                                                                          FULL_MAPPING))
    assert response.status_code == 302 and response["Location"] == detail_url(uploaded)
    uploaded.refresh_from_db()
    assert uploaded.state == ImportState.CHECKED, uploaded.message
    return uploaded


# --- the menu and the list ----------------------------------------------------------------

def test_the_menu_shows_importeren_to_coordinators(as_coordinator):
    page = as_coordinator.get(reverse("mantelzorg:dashboard")).content.decode()
    assert f'href="{reverse("registrations:import_list")}"' in page


def test_the_menu_hides_importeren_from_consulenten(as_consulent):
    page = as_consulent.get(reverse("mantelzorg:dashboard")).content.decode()
    assert f'href="{reverse("registrations:import_list")}"' not in page


def test_consulenten_get_403_on_every_import_page_and_post(as_consulent, coordinator, media):
    registry_import = RegistryImport.objects.create(
        original_name="a.csv", headers=["Voornaam"], state=ImportState.CHECKED,
        created_by=coordinator)
    urls = [reverse("registrations:import_list"), UPLOAD, mapping_url(registry_import),
            detail_url(registry_import), confirm_url(registry_import),
            reverse("registrations:import_progress", args=[registry_import.pk])]
    for url in urls:
        assert as_consulent.get(url).status_code == 403, url
        assert as_consulent.post(url, {"kolom_0": "first_name"}).status_code == 403, url
    assert upload(as_consulent, GOOD_CSV).status_code == 403
    registry_import.refresh_from_db()
    assert registry_import.state == ImportState.CHECKED and registry_import.mapping == {}
    assert RegistryImport.objects.count() == 1


def test_the_list_shows_recent_imports_with_their_state(as_coordinator, coordinator):
    RegistryImport.objects.create(original_name="oud-systeem.xlsx", state=ImportState.DONE,
                                  rows_total=1300, created_by=coordinator)
    page = text(as_coordinator.get(reverse("registrations:import_list")))
    assert "oud-systeem.xlsx" in page and "Klaar" in page
    assert "Nieuw bestand laden" in page


# --- upload --------------------------------------------------------------------------------

def test_a_good_csv_leads_to_the_columns_with_a_guess_and_examples(uploaded, as_coordinator):
    assert uploaded.headers[:5] == ["Voornaam", "Achternaam", "Geboortedatum", "Postcode",
                                    "Huisnummer"]
    response = as_coordinator.get(mapping_url(uploaded))
    assert response.status_code == 200
    assert selected(response, column_name(uploaded, "Voornaam")) == "first_name"
    assert selected(response, column_name(uploaded, "Geboortedatum")) == "date_of_birth"
    assert selected(response, column_name(uploaded, "Opmerking")) == ""
    page = text(response)
    assert "Riet" in page and "15-3-1958" in page  # examples from the first rows
    assert "Niet gebruiken" in page
    # every select has its label: the column's name in the file
    index = uploaded.headers.index("Klantcode")
    assert f'<label for="id_kolom_{index}">Klantcode' in response.content.decode()


def test_no_file_gets_a_message_next_to_the_field(as_coordinator):
    response = as_coordinator.post(UPLOAD, {})
    assert response.status_code == 400
    assert field_error(response, "id_file") == "Kies een bestand."
    assert not RegistryImport.objects.exists()


def test_an_empty_file_gets_a_message_next_to_the_field(as_coordinator):
    response = upload(as_coordinator, b"")
    assert response.status_code == 400
    assert "leeg" in field_error(response, "id_file")
    assert not RegistryImport.objects.exists()


def test_a_binary_file_posted_as_csv_is_refused_next_to_the_field(as_coordinator, media):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    response = upload(as_coordinator, png, name="lijst.csv", content_type="text/csv")
    assert response.status_code == 400
    message = field_error(response, "id_file")
    assert message and "Traceback" not in response.content.decode()
    assert not RegistryImport.objects.exists()
    assert not media.exists() or not list(media.rglob("*.csv"))


def test_a_file_with_only_a_header_is_refused_next_to_the_field(as_coordinator, media):
    response = upload(as_coordinator, b"Voornaam;Achternaam\r\n")
    assert response.status_code == 400
    assert field_error(response, "id_file")
    assert not RegistryImport.objects.exists()


def test_every_post_needs_the_csrf_token(checked, coordinator, settings):
    """Signed in, but posting from elsewhere (no token): refused, nothing changes."""
    settings.STAFF_2FA_REQUIRED = False  # force_login has no second factor
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.get(detail_url(checked)).status_code == 200  # signed in indeed
    assert upload(client, GOOD_CSV).status_code == 403
    assert client.post(mapping_url(checked), mapping_post(
        checked, {**FULL_MAPPING, "Klantcode": ""}, save_as="Van elders")).status_code == 403
    assert client.post(confirm_url(checked)).status_code == 403
    checked.refresh_from_db()
    assert checked.state == ImportState.CHECKED and checked.mapping["Klantcode"] == "external_id"
    assert RegistryImport.objects.count() == 1 and not ImportMapping.objects.exists()


# --- columns -------------------------------------------------------------------------------

def test_an_unknown_field_key_gets_a_message_next_to_its_select(uploaded, as_coordinator):
    posted = mapping_post(uploaded, {**FULL_MAPPING, "Opmerking": "is_superuser"})
    response = as_coordinator.post(mapping_url(uploaded), posted)
    assert response.status_code == 400
    assert "Kies een van de velden" in field_error(
        response, f"id_{column_name(uploaded, 'Opmerking')}")
    # what was chosen elsewhere stays chosen
    assert selected(response, column_name(uploaded, "Klantcode")) == "external_id"
    uploaded.refresh_from_db()
    assert uploaded.state == ImportState.UPLOADED and "Opmerking" not in uploaded.mapping.values()


def test_headers_that_are_not_in_the_file_are_ignored(uploaded, as_coordinator,
                                                      django_capture_on_commit_callbacks):
    posted = mapping_post(uploaded, FULL_MAPPING)
    posted.update({"kolom_99": "email", "Wachtwoord": "email", "kolom_-1": "phone"})
    with django_capture_on_commit_callbacks(execute=False):
        response = as_coordinator.post(mapping_url(uploaded), posted)
    assert response.status_code == 302
    uploaded.refresh_from_db()
    assert set(uploaded.mapping) == set(uploaded.headers)
    assert "email" not in uploaded.mapping.values() and "phone" not in uploaded.mapping.values()


def test_a_missing_required_field_is_named_and_nothing_starts(uploaded, as_coordinator,
                                                              django_capture_on_commit_callbacks):
    posted = mapping_post(uploaded, {**FULL_MAPPING, "Achternaam": ""})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = as_coordinator.post(mapping_url(uploaded), posted)
    assert response.status_code == 400 and not callbacks
    # not one column's fault: at the top, with a link to the first select
    summary = re.search(r'<div class="error-summary".*?</div>', response.content.decode(),
                        re.S).group(0)
    assert 'href="#id_kolom_0"' in summary and "Achternaam" in html.unescape(summary)
    assert selected(response, column_name(uploaded, "Voornaam")) == "first_name"
    uploaded.refresh_from_db()
    assert uploaded.state == ImportState.UPLOADED


def test_one_field_on_two_columns_is_named_next_to_the_select(uploaded, as_coordinator):
    posted = mapping_post(uploaded, {**FULL_MAPPING, "Opmerking": "first_name"})
    response = as_coordinator.post(mapping_url(uploaded), posted)
    assert response.status_code == 400
    content = response.content.decode()
    assert (f'id="id_{column_name(uploaded, "Opmerking")}_error"' in content
            or f'id="id_{column_name(uploaded, "Voornaam")}_error"' in content)
    uploaded.refresh_from_db()
    assert uploaded.state == ImportState.UPLOADED


def test_a_saved_mapping_fills_the_selects(uploaded, as_coordinator):
    saved = ImportMapping.objects.create(name="Oud systeem", columns=FULL_MAPPING)
    RegistryImport.objects.filter(pk=uploaded.pk).update(mapping={})
    page = as_coordinator.get(mapping_url(uploaded))
    assert selected(page, column_name(uploaded, "Klantcode")) == ""
    assert "Oud systeem" in text(page)
    response = as_coordinator.post(mapping_url(uploaded), {"bewaard-mapping": saved.pk})
    assert response.status_code == 302 and response["Location"] == mapping_url(uploaded)
    page = as_coordinator.get(mapping_url(uploaded))
    assert selected(page, column_name(uploaded, "Klantcode")) == "external_id"
    uploaded.refresh_from_db()
    assert uploaded.state == ImportState.UPLOADED  # only filled in: no dry run yet


def test_save_as_stores_the_mapping(uploaded, as_coordinator,
                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = as_coordinator.post(mapping_url(uploaded), mapping_post(
            uploaded, FULL_MAPPING, save_as="Export Excel"))
    assert response.status_code == 302
    assert ImportMapping.objects.get(name="Export Excel").columns["Klantcode"] == "external_id"


def test_a_saved_mapping_that_does_not_exist_gets_a_message(uploaded, as_coordinator):
    ImportMapping.objects.create(name="Iets", columns={})
    response = as_coordinator.post(mapping_url(uploaded), {"bewaard-mapping": "999999"})
    assert response.status_code == 400
    assert "bestaat niet meer" in field_error(response, "id_bewaard-mapping")


@pytest.mark.parametrize("state", [ImportState.CHECKING, ImportState.QUEUED,
                                   ImportState.RUNNING, ImportState.DONE])
def test_the_columns_cannot_change_once_the_work_has_started(uploaded, as_coordinator, state):
    RegistryImport.objects.filter(pk=uploaded.pk).update(state=state, mapping={})
    for response in (as_coordinator.get(mapping_url(uploaded)),
                     as_coordinator.post(mapping_url(uploaded),
                                         mapping_post(uploaded, FULL_MAPPING))):
        assert response.status_code == 302 and response["Location"] == detail_url(uploaded)
    uploaded.refresh_from_db()
    assert uploaded.state == state and uploaded.mapping == {}
    assert "kunnen nu niet" in text(as_coordinator.get(detail_url(uploaded)))


# --- dry run, confirm, progress ------------------------------------------------------------

def test_the_dry_run_page_shows_the_summary_and_the_rows(checked, as_coordinator):
    response = as_coordinator.get(detail_url(checked))
    page = text(response)
    assert "Proefimport klaar" in page
    assert "Importeren" in page and "Andere kolommen kiezen" in page
    assert checked.summary.get("nieuw") == 2
    assert "Riet" in page and "Bakker" in page
    assert not Caregiver.objects.exists()  # nothing written before the confirm


def test_confirm_in_the_wrong_state_changes_nothing(uploaded, as_coordinator,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = as_coordinator.post(confirm_url(uploaded))
    assert response.status_code == 302 and response["Location"] == detail_url(uploaded)
    assert not callbacks
    uploaded.refresh_from_db()
    assert uploaded.state == ImportState.UPLOADED and uploaded.confirmed_by is None
    page = text(as_coordinator.get(detail_url(uploaded)))
    assert "Importeren kan alleen direct na de proefimport" in page


def test_confirm_by_get_is_not_allowed(checked, as_coordinator):
    assert as_coordinator.get(confirm_url(checked)).status_code == 405
    checked.refresh_from_db()
    assert checked.state == ImportState.CHECKED


def test_confirm_of_an_import_that_does_not_exist_is_404(checked, as_coordinator):
    assert as_coordinator.post(reverse("registrations:import_confirm",
                                       args=[checked.pk + 1000])).status_code == 404
    checked.refresh_from_db()
    assert checked.state == ImportState.CHECKED


def test_confirm_of_one_import_leaves_another_alone(checked, as_coordinator, coordinator,
                                                    django_capture_on_commit_callbacks):
    other = RegistryImport.objects.create(original_name="ander.csv",
                                          state=ImportState.CHECKED, created_by=coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        response = as_coordinator.post(confirm_url(checked))
    assert response.status_code == 302
    checked.refresh_from_db()
    other.refresh_from_db()
    assert checked.state == ImportState.QUEUED and other.state == ImportState.CHECKED


def test_confirm_imports_and_links_to_the_caregivers(checked, as_coordinator, inline_tasks,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(confirm_url(checked))
    assert response.status_code == 302
    checked.refresh_from_db()
    assert checked.state == ImportState.DONE, checked.message
    assert set(Caregiver.objects.values_list("last_name", flat=True)) == {"Bakker", "Vries"} \
        or Caregiver.objects.count() == 2
    response = as_coordinator.get(detail_url(checked))
    assert "De import is klaar" in text(response)
    assert f'href="{reverse("registrations:caregiver_list")}' in response.content.decode()


def test_a_busy_import_shows_a_progress_bar_that_refreshes_itself(checked, as_coordinator):
    RegistryImport.objects.filter(pk=checked.pk).update(
        state=ImportState.RUNNING, rows_total=10000, rows_done=123)
    response = as_coordinator.get(detail_url(checked))
    content = response.content.decode()
    assert "123 van 10.000 regels" in text(response)
    assert re.search(r'<progress id="import-progress" max="10000" value="123"', content)
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in content
    assert 'role="status"' in content and "import_progress.js" in content
    progress = as_coordinator.get(reverse("registrations:import_progress", args=[checked.pk]))
    assert progress.json()["done"] == 123 and progress.json()["total"] == 10000
    assert progress.json()["state"] == ImportState.RUNNING


def test_a_finished_import_does_not_refresh(checked, as_coordinator):
    assert "http-equiv" not in as_coordinator.get(detail_url(checked)).content.decode()


def test_the_rows_are_shown_100_per_page_per_outcome(checked, as_coordinator):
    ImportRow.objects.bulk_create(
        ImportRow(registry_import=checked, line=line, outcome=RowOutcome.REFUSED,
                  name=f"Persoon {line}", reasons=[f"Regel {line}: geboortedatum ontbreekt."])
        for line in range(10, 160))
    RegistryImport.objects.filter(pk=checked.pk).update(
        summary={**checked.summary, "geweigerd": 150})
    first = text(as_coordinator.get(detail_url(checked)))  # problems first
    assert "Regel 10: geboortedatum ontbreekt." in first
    assert "Regel 109:" in first and "Regel 110:" not in first
    assert "Pagina 1 van 2" in first
    second = text(as_coordinator.get(detail_url(checked) + "?uitkomst=geweigerd&pagina=2"))
    assert "Regel 110:" in second and "Regel 159:" in second and "Regel 109:" not in second
    new = text(as_coordinator.get(detail_url(checked) + "?uitkomst=nieuw"))
    assert "Riet" in new and "Regel 10:" not in new
    # a made-up outcome or page number shows a page, not an error
    assert as_coordinator.get(detail_url(checked) + "?uitkomst=<script>&pagina=x"
                              ).status_code == 200


def test_the_progress_of_another_import_is_404(as_coordinator):
    response = as_coordinator.get(reverse("registrations:import_progress", args=[424242]))
    assert response.status_code == 404


def test_a_too_long_name_to_save_as_is_named_next_to_its_field(uploaded, as_coordinator):
    posted = mapping_post(uploaded, FULL_MAPPING, save_as="x" * 101)
    response = as_coordinator.post(mapping_url(uploaded), posted)
    assert response.status_code == 400
    assert field_error(response, "id_save_as")
    assert selected(response, column_name(uploaded, "Klantcode")) == "external_id"
    assert not ImportMapping.objects.exists()
    uploaded.refresh_from_db()
    assert uploaded.state == ImportState.UPLOADED


def test_a_second_confirm_after_a_quicker_one_starts_nothing_twice(
        checked, as_coordinator, monkeypatch, django_capture_on_commit_callbacks):
    """Two coordinators click at once: the page had 'Proefimport klaar' for both; the engine
    lets one through and the other gets a message."""
    with django_capture_on_commit_callbacks(execute=False) as first:
        as_coordinator.post(confirm_url(checked))
    # the second request read the import before the first one's write
    stale = RegistryImport.objects.get(pk=checked.pk)
    stale.state = ImportState.CHECKED
    monkeypatch.setattr("registrations.imports.views_backoffice._import", lambda pk: stale)
    with django_capture_on_commit_callbacks(execute=False) as second:
        response = as_coordinator.post(confirm_url(checked))
    assert response.status_code == 302 and len(first) == 1 and not second
    assert "al gestart" in text(as_coordinator.get(detail_url(checked)))


def test_a_file_that_is_too_large_is_refused_next_to_the_field(as_coordinator, media,
                                                               monkeypatch):
    monkeypatch.setattr("registrations.imports.services.MAX_IMPORT_BYTES", 100)
    response = upload(as_coordinator, GOOD_CSV)
    assert response.status_code == 400
    assert "te groot" in field_error(response, "id_file")
    assert not RegistryImport.objects.exists()


def test_a_file_name_with_markup_is_shown_as_text(as_coordinator, media):
    upload(as_coordinator, GOOD_CSV, name='<img src=x onerror="alert(1)">.csv')
    registry_import = RegistryImport.objects.get()
    for url in (reverse("registrations:import_list"), detail_url(registry_import),
                mapping_url(registry_import)):
        content = as_coordinator.get(url).content.decode()
        assert "<img src=x" not in content and "&lt;img src=x" in content, url


def test_a_failed_import_says_why_and_offers_a_new_file(checked, as_coordinator):
    RegistryImport.objects.filter(pk=checked.pk).update(
        state=ImportState.FAILED, message="De import is mislukt. Er is niets veranderd.")
    response = as_coordinator.get(detail_url(checked))
    page = text(response)
    assert "Dit is niet gelukt" in page and "Er is niets veranderd." in page
    assert f'href="{UPLOAD}"' in response.content.decode()
    assert mapping_url(checked) not in response.content.decode()
    assert "http-equiv" not in response.content.decode()
