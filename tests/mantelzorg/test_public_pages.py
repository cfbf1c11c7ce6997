"""The public side: pages in Dutch, accessible structure, security headers, health check."""

import re

import pytest
from django.urls import reverse

PUBLIC_PAGES = ["/", "/toegankelijkheid", "/privacy", "/backoffice/inloggen/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_has_accessible_structure(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="nl"[ >]', html)
    assert re.search(r'<a class="skip-link[^"]*" href="#inhoud"', html)
    assert '<main id="inhoud"' in html
    assert "<header" in html and "<footer" in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_home_explains_the_offer_in_plain_words(client):
    html = client.get("/").content.decode()
    for phrase in ["mantelzorger", "Mantelzorgwaardering", "zwemkaartjes", "nieuwsbrief",
                   "2 jaar ingeschreven"]:
        assert phrase in html


@pytest.mark.django_db
def test_statements_cover_what_the_law_asks(client):
    accessibility = client.get("/toegankelijkheid").content.decode()
    assert "WCAG 2.1" in accessibility and "AA" in accessibility
    privacy = client.get("/privacy").content.decode()
    assert "burgerservicenummer" in privacy
    assert "Autoriteit Persoonsgegevens" in privacy


@pytest.mark.django_db
def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_forms_carry_a_csrf_token_and_posts_without_it_are_refused(make_staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    html = client.get(reverse("mantelzorg:staff_login")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    user, password, _ = make_staff()
    response = client.post(reverse("mantelzorg:staff_login"), {"username": user.username,
                                                    "password": password})
    assert response.status_code == 403


@pytest.mark.django_db
def test_unknown_page_gives_a_dutch_404(client, settings):
    settings.DEBUG = False
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


@pytest.mark.django_db
def test_health_reports_database_and_broker(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_down(client):
    from mantelzorg.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/health")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error", "status": "error"}
