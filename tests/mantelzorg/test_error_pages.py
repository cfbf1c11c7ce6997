"""What a visitor sees when something goes wrong, with DEBUG off as `make run` now serves:
the site's own Dutch 404, 500 and CSRF-failure pages, never Django's English ones (which,
in debug mode, list every URL pattern and setting). Issue 14 item 13."""

import pytest
from django.test import Client
from django.urls import reverse

ENGLISH = ("Page not found", "URLconf", "Forbidden", "CSRF verification failed",
           "Server Error", "Traceback")


def assert_dutch_page(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert '<html lang="nl">' in html
    for english in ENGLISH:
        assert english not in html, english
    return html


@pytest.mark.django_db
def test_a_mistyped_address_gets_the_dutch_404(client, settings):
    settings.DEBUG = False
    html = assert_dutch_page(client.get("/bestaat-niet"), 404, "Pagina niet gevonden")
    assert 'class="site-header"' in html  # in the site's layout
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
    assert 'class="site-header"' in html


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
