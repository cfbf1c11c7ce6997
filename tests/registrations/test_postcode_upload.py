"""The postcode→wijk table loaded from a CSV file by a coordinator (/backoffice/postcodes/).

A good file replaces the whole table and derives every caregiver's wijk again in one UPDATE;
a file with any wrong line names each line and changes nothing.
"""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrations import services_reference as reference_services
from registrations.models import Caregiver, District, PostcodeRange, State
from registrations.services_reference import TableRefused, parse_postcode_table
from tests.factories import CaregiverFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("registrations:postcodes")
UPLOAD = reverse("registrations:postcodes_upload")


def wijk(name) -> District:
    return District.objects.get(name=name)


def upload(client, content: bytes, name="postcodes.csv"):
    return client.post(UPLOAD, {"tabel-file": SimpleUploadedFile(name, content, "text/csv")})


def table() -> list[tuple[str, str, str]]:
    return list(PostcodeRange.objects.order_by("first", "last")
                .values_list("first", "last", "district__name"))


@pytest.fixture
def old_table():
    """3841 and 3842 in Binnenstad, 3849 in Hierden."""
    PostcodeRange.objects.create(first="3841AA", last="3842ZZ", district=wijk("Binnenstad"))
    PostcodeRange.objects.create(first="3849AA", last="3849ZZ", district=wijk("Hierden"))
    return table()


def parse(text):
    return parse_postcode_table(text, District.objects.all())


def refused_lines(text) -> dict[int, str]:
    with pytest.raises(TableRefused) as refused:
        parse(text)
    return {number: str(message) for number, message in refused.value.errors}


# --- a good file ---------------------------------------------------------------------------

def test_a_good_file_replaces_the_table_and_derives_every_wijk_again(as_coordinator,
                                                                     old_table):
    binnenstad, hierden = wijk("Binnenstad"), wijk("Hierden")
    stays = CaregiverFactory(postcode="3841AB", district=binnenstad)
    moves = CaregiverFactory(postcode="3842BC", district=binnenstad)  # 3842: Stadsdennen
    # One street inside 3841: Waterfront.
    street = CaregiverFactory(postcode="3841EB", district=binnenstad)
    # Hierden is not in the new file.
    now_unknown = CaregiverFactory(postcode="3849AB", district=hierden)
    outside = CaregiverFactory(postcode="3851AB")  # Ermelo: stays onbekend
    erased = CaregiverFactory(postcode="3842", district=binnenstad,
                              ended_on=datetime.date(2025, 6, 1))
    Caregiver.objects.filter(pk=erased.pk).update(state=State.GEWIST)
    content = ("\ufeffvan;tot;wijk\r\n"
               "3841 aa;3841 zz;binnenstad\r\n"
               f"3842AA;3842ZZ;{wijk('Stadsdennen').cbs_code.lower()}\r\n"
               "\r\n"
               "3841EA;3841EZ;Waterfront\r\n").encode()
    response = upload(as_coordinator, content)
    assert response.status_code == 302 and response["Location"] == PAGE
    assert table() == [("3841AA", "3841ZZ", "Binnenstad"), ("3841EA", "3841EZ", "Waterfront"),
                       ("3842AA", "3842ZZ", "Stadsdennen")]
    districts = dict(Caregiver.objects.values_list("pk", "district__name"))
    assert districts == {stays.pk: "Binnenstad", moves.pk: "Stadsdennen",
                         street.pk: "Waterfront", now_unknown.pk: None, outside.pk: None,
                         erased.pk: "Binnenstad"}
    page = as_coordinator.get(PAGE).content.decode()
    assert ("De tabel is vervangen: 3 postcodegebieden geladen. 3 mantelzorgers hebben nu "
            "een andere wijk.") in page
    entry = LogEntry.objects.get()
    assert entry.user.username == "coordinator-x" and "Postcodegebieden: 3." in entry.change_message


def test_commas_other_columns_and_column_order_are_fine(as_coordinator):
    content = b"Wijk,Opmerking,Van,Tot\nHierden,dorp,3849AA,3849ZZ\n"
    CaregiverFactory(postcode="3849AB")
    assert upload(as_coordinator, content).status_code == 302
    assert table() == [("3849AA", "3849ZZ", "Hierden")]
    assert ("De tabel is vervangen: 1 postcodegebied geladen. 1 mantelzorger heeft nu een "
            "andere wijk.") in as_coordinator.get(PAGE).content.decode()


def test_wijken_are_derived_in_one_update(old_table):
    for code in ("3841AB", "3842AB", "3849AB", "3851AB"):
        CaregiverFactory(postcode=code)
    ranges = parse("van;tot;wijk\n3841AA;3849ZZ;Hierden\n")
    with CaptureQueriesContext(connection) as captured:
        loaded = reference_services.replace_postcode_table(ranges, None)
    updates = [q["sql"] for q in captured
               if q["sql"].startswith('UPDATE "registrations_caregiver"')]
    assert len(updates) == 1 and loaded.caregivers_changed == 3
    assert Caregiver.objects.filter(district__name="Hierden").count() == 3


def test_the_downloaded_table_loads_again_unchanged(as_coordinator, old_table):
    CaregiverFactory(postcode="3841AB", district=wijk("Binnenstad"))
    exported = as_coordinator.get(reverse("registrations:postcodes_export"))
    assert exported["Content-Disposition"] == 'attachment; filename="postcodegebieden.csv"'
    assert exported.content.decode("utf-8-sig").splitlines()[:2] == [
        "van;tot;wijk;naam", f"3841 AA;3842 ZZ;{wijk('Binnenstad').cbs_code};Binnenstad"]
    assert upload(as_coordinator, exported.content).status_code == 302
    assert table() == old_table
    assert ("De tabel is vervangen: 2 postcodegebieden geladen. 0 mantelzorgers hebben nu "
            "een andere wijk.") in as_coordinator.get(PAGE).content.decode()


# --- wrong lines -----------------------------------------------------------------------------

def test_wrong_lines_are_named_one_by_one_and_nothing_changes(as_coordinator, old_table):
    riet = CaregiverFactory(postcode="3841AB", district=wijk("Binnenstad"))
    content = (b"van;tot;wijk\n"
               b"3841AA;3841ZZ;Binnenstad\n"      # 2 good
               b"3841A;3841ZZ;Binnenstad\n"       # 3 bad postcode
               b"3843ZZ;3843AA;Stadsweiden\n"     # 4 reversed
               b"3844AA;3844ZZ;Atlantis\n"        # 5 unknown wijk
               b"3841AA;3841ZZ;Binnenstad\n"      # 6 duplicate of line 2
               b"3845AA;3845ZZ\n"                 # 7 too few columns
               b";;\n"                            # 8 empty: skipped
               b"=cmd|' /C calc'!A0;3846ZZ;Drielanden\n"  # 9 formula
               b"3841MA;3842BZ;Stadsdennen\n"     # 10 half over line 2
               b"3847AA;;Frankrijk\n")   # 11 empty column
    response = upload(as_coordinator, content)
    page = response.content.decode()
    assert response.status_code == 200
    for line in ("Regel 3: &#x27;3841A&#x27; in kolom &#x27;van&#x27; is geen postcode",
                 "Regel 4: &#x27;tot&#x27; (3843 AA) komt vóór &#x27;van&#x27; (3843 ZZ)",
                 "Regel 5: De wijk &#x27;Atlantis&#x27; kennen we niet",
                 "Regel 6: Dit gebied staat ook op regel 2.",
                 "Regel 7: Deze regel heeft te weinig kolommen",
                 "Regel 9: &#x27;=cmd|&#x27; /C calc&#x27;!A0&#x27; lijkt op een formule",
                 "Regel 10: Dit gebied overlapt half met regel 2 (3841 AA – 3841 ZZ)",
                 "Regel 11: De kolom &#x27;tot&#x27; is leeg."):
        assert line in page
    assert "Regel 2:" not in page and "Regel 8:" not in page
    assert "8 regels kloppen niet. Er is niets veranderd." in page
    assert table() == old_table and not LogEntry.objects.exists()
    riet.refresh_from_db()
    assert riet.district == wijk("Binnenstad")


def test_only_fifty_wrong_lines_are_shown(as_coordinator):
    content = "van;tot;wijk\n" + "fout;fout;fout\n" * 60
    page = upload(as_coordinator, content.encode()).content.decode()
    assert "Regel 51:" in page and "Regel 52:" not in page and "En nog 10 regels." in page


def test_nested_ranges_are_fine_but_half_overlaps_and_same_ranges_are_not():
    assert len(parse("van;tot;wijk\n3841AA;3849ZZ;Hierden\n3841AA;3841ZZ;Binnenstad\n"
                     "3841KA;3841KZ;Waterfront\n3841EA;3841EZ;Zeebuurt\n"
                     "3841EA;3841EA;Frankrijk\n3849AA;3849ZZ;Hierden\n")) == 6
    assert refused_lines("van;tot;wijk\n3842AA;3843ZZ;Hierden\n3841AA;3842MZ;Zeebuurt\n") == {
        3: "Dit gebied overlapt half met regel 2 (3842 AA – 3843 ZZ). Een gebied mag alleen "
           "helemaal binnen een ander gebied liggen."}
    assert refused_lines("van;tot;wijk\n3841AA;3841ZZ;Hierden\n3841 aa;3841 zz;Zeebuurt\n"
                         ) == {3: "Dit gebied staat ook op regel 2."}


def test_a_line_that_cannot_be_read_is_named():
    text = "van;tot;wijk\n3841AA;3841ZZ;Hierden\n3842AA;3842ZZ;" + "x" * 200_000 + "\n"
    assert list(refused_lines(text)) == [3]


def test_a_wijk_deleted_while_loading_changes_nothing(old_table):
    ranges = parse("van;tot;wijk\n3841AA;3841ZZ;Zeebuurt\n")
    wijk("Zeebuurt").delete()
    with pytest.raises(reference_services.DistrictDeleted):
        reference_services.replace_postcode_table(ranges, None)
    assert table() == old_table


@pytest.mark.parametrize("text", ["postcode;wijk\n3841AA;Hierden\n", "van tot wijk\n",
                                  "van;tot\n3841AA;3841ZZ\n", ""])
def test_a_file_without_the_header_line_is_refused_at_line_1(text):
    assert list(refused_lines(text)) == [1]


# --- files that are not a table --------------------------------------------------------------

@pytest.mark.parametrize("content, words", [
    ("van;tot;wijk\n3841AA;3841ZZ;Bürgerwijk\n".encode("latin-1"), "niet als UTF-8"),
    (b"PK\x03\x04\x00\x00binary", "geen tekstbestand"),
    (b"van;tot;wijk\n" + b"3841AA;3841ZZ;Hierden\n" * 50_000, "te groot"),
    (b"", "Het bestand is leeg."),
    (b"van;tot;wijk\r\n\r\n", "Er staan geen postcodegebieden in het bestand."),
])
def test_a_file_that_is_not_a_table_gets_a_message_next_to_the_field(as_coordinator,
                                                                     old_table, content,
                                                                     words):
    response = upload(as_coordinator, content)
    page = response.content.decode()
    assert response.status_code == 200 and words in page
    assert re.search(r'<p class="error-message" id="id_tabel-file_error">', page)
    assert table() == old_table


def test_an_upload_without_a_file_asks_for_one(as_coordinator, old_table):
    response = as_coordinator.post(UPLOAD, {"tabel-file": "tekst"})
    assert response.status_code == 200 and "Kies een bestand." in response.content.decode()
    assert table() == old_table


def test_hostile_content_is_shown_as_text(as_coordinator):
    content = b"van;tot;wijk\n3841AA;3841ZZ;<script>alert(1)</script>\n"
    page = upload(as_coordinator, content).content.decode()
    assert "<script>alert(1)" not in page
    assert "De wijk &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27; kennen we niet" in page


# --- who may do what, and the page itself ----------------------------------------------------

def test_a_consulent_sees_the_table_but_cannot_load_one(as_consulent, old_table):
    page = as_consulent.get(PAGE).content.decode()
    assert "3841 AA" in page and "Binnenstad" in page and "WK024301" in page
    assert 'name="tabel-file"' not in page
    assert as_consulent.get(reverse("registrations:postcodes_export")).status_code == 200
    response = upload(as_consulent, b"van;tot;wijk\n3849AA;3849ZZ;Hierden\n")
    assert response.status_code == 403 and table() == old_table


def test_a_coordinator_gets_the_upload_form_with_its_help(as_coordinator):
    page = as_coordinator.get(PAGE).content.decode()
    assert 'name="tabel-file"' in page and 'enctype="multipart/form-data"' in page
    assert "Het bestand is de hele tabel" in page
    assert "De tabel is leeg" in page


def test_the_page_follows_the_accessibility_conventions(as_coordinator):
    page = upload(as_coordinator, b"van;tot;wijk\nfout;3841ZZ;Hierden\n").content.decode()
    field = re.search(r'<input[^>]*name="tabel-file"[^>]*>', page).group(0)
    assert 'id="id_tabel-file"' in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="id_tabel-file_hint id_tabel-file_error"' in field
    assert '<label for="id_tabel-file">' in page
    assert 'id="id_tabel-file_hint"' in page and 'id="id_tabel-file_error"' in page
    assert 'role="alert"' in page and 'href="#id_tabel-file"' in page
    assert re.search(r'<a href="/backoffice/postcodes/" aria-current="page">', page)
    assert "<caption>" in page and '<th scope="col">' in page and page.count("<h1") == 1


def test_a_header_cell_beyond_the_csv_field_limit_is_refused_not_a_500():
    """Python's csv module refuses fields over 131,072 characters; the file fits in 1 MB."""
    with pytest.raises(TableRefused):
        parse_postcode_table("van;tot;wijk" + "x" * 140_000 + "\n3841 AA;3841 ZZ;Centrum\n",
                             District.objects.none())
