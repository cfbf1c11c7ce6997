"""What a visitor sees when something goes wrong, with DEBUG off as `make run` now serves:
the site's own Dutch 400, 403, 404, 500 and CSRF-failure pages, never Django's English ones
(which, in debug mode, list every URL pattern and setting). Issue 14 item 13."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.support import login_fully

ENGLISH = ("Page not found", "URLconf", "Forbidden", "CSRF verification failed",
           "Server Error", "Traceback", "Bad Request", "Invalid HTTP_HOST")
MAKE_RUN_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]  # the settings' default


def assert_dutch_page(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert re.search(r'<html lang="nl"[ >]', html)
    for english in ENGLISH:
        assert english not in html, english
    return html


@pytest.mark.django_db
def test_a_mistyped_address_gets_the_dutch_404(client, settings):
    settings.DEBUG = False
    html = assert_dutch_page(client.get("/bestaat-niet"), 404, "Pagina niet gevonden")
    assert 'class="site-header' in html  # in the site's layout
    assert "mantelzorg.urls" not in html and "beheer/" not in html  # no list of URL patterns


@pytest.mark.django_db
def test_an_error_gets_the_dutch_500(settings, monkeypatch):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr("mantelzorg.views.render", broken)
    client = Client(raise_request_exception=False)
    html = assert_dutch_page(client.get(reverse("privacy")), 500, "Er ging iets mis")
    assert "kapot" not in html


@pytest.mark.django_db
def test_a_form_without_its_security_cookie_gets_the_dutch_csrf_page(settings):
    """A missing CSRF cookie (an old tab, cookies blocked): a Dutch explanation and a way
    back to the form it came from, not Django's English "Forbidden"."""
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    form = reverse("registrations:request_link")
    response = client.post(form, {"email": "iemand@example.nl"},
                           HTTP_REFERER=f"http://testserver{form}")
    html = assert_dutch_page(response, 403, "Formulier niet verstuurd")
    assert f'href="http://testserver{form}"' in html
    assert 'class="site-header' in html


@pytest.mark.django_db
def test_the_csrf_page_never_links_away_from_the_site(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("registrations:request_link"), {},
                           HTTP_REFERER="https://evil.example.com/nep-formulier")
    html = assert_dutch_page(response, 403, "Formulier niet verstuurd")
    assert "evil.example.com" not in html


def test_the_csrf_failure_view_is_the_sites_own(settings):
    assert settings.CSRF_FAILURE_VIEW == "mantelzorg.errors.csrf_failure"


@pytest.mark.django_db
def test_a_disallowed_host_gets_the_dutch_400(settings):
    """A Host header not in ALLOWED_HOSTS (a scanner, a DNS name pointed at the server): the
    page renders without the host it cannot trust, and does not repeat it."""
    settings.DEBUG, settings.ALLOWED_HOSTS = False, MAKE_RUN_HOSTS
    client = Client(raise_request_exception=False)
    for path in ("/", "/waardering/", "/bestaat-niet"):
        response = client.get(path, HTTP_HOST="evil.example.com")
        html = assert_dutch_page(response, 400, "Verzoek niet begrepen")
        assert 'class="site-header' in html
        assert "evil.example.com" not in html


@pytest.mark.django_db
def test_a_form_with_too_many_fields_gets_the_dutch_400(settings):
    settings.DEBUG, settings.ALLOWED_HOSTS = False, MAKE_RUN_HOSTS
    client = Client(raise_request_exception=False)
    fields = {f"veld{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("registrations:request_link"), fields)
    html = assert_dutch_page(response, 400, "Verzoek niet begrepen")
    assert 'class="site-header' in html


@pytest.mark.django_db
def test_permission_denied_gets_the_dutch_403(settings, monkeypatch):
    settings.DEBUG = False

    def refused(*args, **kwargs):
        raise PermissionDenied

    monkeypatch.setattr("mantelzorg.views.render", refused)
    html = assert_dutch_page(Client().get(reverse("privacy")), 403, "Geen toegang")
    assert 'class="site-header' in html
    consulent = Client()
    login_fully(consulent, "consulent")
    assert_dutch_page(consulent.get("/backoffice/medewerkers/"), 403, "Geen toegang")
