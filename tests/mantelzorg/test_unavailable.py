"""The database away: a Dutch 503 page with Retry-After, never a 500 traceback."""

from unittest import mock

import pytest
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import path


def database_gone(request):
    raise OperationalError("connection to server at \"127.0.0.1\", port 5432 failed")


def connection_closed(request):
    raise InterfaceError("connection already closed")


def other_error(request):
    raise ValueError("a bug, not the database")


def touches_session(request):
    request.session["stap"] = "gegevens"  # saved by SessionMiddleware after the view
    return HttpResponse("ok")


urlpatterns = [
    path("kapot", database_gone),
    path("dicht", connection_closed),
    path("fout", other_error),
    path("sessie", touches_session),
]


@pytest.fixture
def broken_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    body = response.content.decode()
    assert "Even niet beschikbaar, probeer het over een paar minuten opnieuw" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert "127.0.0.1" not in body


@pytest.mark.parametrize("url", ["/kapot", "/dicht"])
def test_database_error_in_a_view_is_a_503_page(client, broken_urls, url):
    assert_unavailable_page(client.get(url))
    assert_unavailable_page(client.post(url, {"voornaam": "Anna"}))


def test_database_error_after_the_view_is_a_503_page(broken_urls):
    client = Client(raise_request_exception=False)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save",
                    side_effect=OperationalError("server closed the connection unexpectedly")):
        assert_unavailable_page(client.get("/sessie"))


@pytest.mark.django_db
def test_database_gone_while_a_registration_step_is_saved_is_a_503_not_a_400():
    """Found by `make chaos` (PostgreSQL restarted during registrations): Django's session
    store turns the OperationalError of the session UPDATE into UpdateError, the session
    middleware that into SessionInterrupted, and that was a 400 "Bad Request" page, in
    English, for a person whose form was fine."""
    from django.contrib.sessions.models import Session

    from tests.registrations.wizard import ABOUT

    client = Client(raise_request_exception=False)
    assert client.get("/aanmelden/over-mij").status_code == 200  # the session row exists
    with mock.patch.object(Session, "save",
                           side_effect=OperationalError("server closed the connection")):
        response = client.post("/aanmelden/over-mij", {
            "registration_wizard-current_step": "over-mij", **ABOUT})
    assert_unavailable_page(response)
    # Nothing was lost: pressing again once the database is back goes on to the next step.
    response = client.post("/aanmelden/over-mij", {
        "registration_wizard-current_step": "over-mij", **ABOUT})
    assert response.status_code == 302 and response["Location"] == "/aanmelden/naaste"


def test_other_errors_stay_500(broken_urls):
    response = Client(raise_request_exception=False).get("/fout")
    assert response.status_code == 500
    assert "Even niet beschikbaar" not in response.content.decode()


@pytest.mark.django_db
def test_health_reports_the_database_down(client):
    with mock.patch("mantelzorg.views.connection.cursor",
                    side_effect=OperationalError("connection refused")):
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["status"] == "error"
