"""The back-office menu marks the page's own item (aria-current), found from the URL's
namespace and name (mantelzorg/context_processors.py)."""

import pytest
from django.urls import resolve

from mantelzorg.context_processors import backoffice_section


@pytest.mark.parametrize("path, section", [
    ("/backoffice/", "dashboard"),
    ("/backoffice/mantelzorgers/", "caregivers"),
    ("/backoffice/mantelzorgers/1/", "caregivers"),
    ("/backoffice/mantelzorgers/nieuw/", "intake"),
    ("/backoffice/opvolging/", "followup"),
    ("/backoffice/waardering/", "waardering"),
    ("/backoffice/waardering/1/", "waardering"),
    ("/backoffice/waardering-invoer/", "waardering"),
    ("/backoffice/campagnes/", "campaigns"),
    ("/backoffice/inzicht/", "insight"),
    ("/backoffice/nieuwsbrieven/", "newsletters"),
    ("/backoffice/post/", "print_batches"),
    ("/backoffice/postcodes/", "postcodes"),
    ("/backoffice/import/", "imports"),
    ("/backoffice/import/nieuw/", "imports"),
    ("/backoffice/import/1/kolommen/", "imports"),
    ("/backoffice/betalingen/", "payouts"),
    ("/backoffice/systeem/", "system"),
    ("/backoffice/uitgaande-mail/", "outbox"),
    ("/aanmelden", ""),
    ("/mijn-gegevens/zelftest", ""),
])
def test_each_back_office_page_marks_its_own_menu_item(path, section):
    assert backoffice_section(resolve(path)) == section


def test_no_match_marks_nothing():
    assert backoffice_section(None) == ""
