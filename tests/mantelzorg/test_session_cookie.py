"""A request still carrying the session from before a sign-in (the favicon, fetched while the
sign-in was on its way) must not sign the person out: its answer leaves the new session's
cookie alone (mantelzorg/middleware_session.py). Signing out still removes the cookie."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mantelzorg.services_staff import create_staff_user
from tests.support import STAFF_PASSWORD, password_step, totp_now

pytestmark = pytest.mark.django_db


def signed_in_with_the_key_from_before(client) -> str:
    """Sign a consulent in on `client`; returns the session key of the first step."""
    user = create_staff_user("inge", STAFF_PASSWORD, "consulent")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    password_step(client, user, STAFF_PASSWORD)
    before = client.cookies["sessionid"].value
    client.post(reverse("mantelzorg:staff_verify"), {"token": totp_now(device)})
    assert client.cookies["sessionid"].value != before  # signing in gives a new session
    return before


@pytest.mark.parametrize("url", ["/favicon.ico", "/", "/backoffice/inloggen/"])
def test_a_late_answer_to_the_old_session_leaves_the_new_cookie_alone(client, url):
    before = signed_in_with_the_key_from_before(client)
    late = Client()
    late.cookies["sessionid"] = before  # the same browser, a request sent before sign-in

    response = late.get(url)

    assert response.status_code == 200
    assert "sessionid" not in response.cookies  # nothing that would delete the new cookie
    assert "Cookie" in response.get("Vary", "")
    assert client.get(reverse("mantelzorg:dashboard")).status_code == 200


def test_signing_out_still_removes_the_cookie(client):
    signed_in_with_the_key_from_before(client)
    response = client.post(reverse("mantelzorg:staff_logout"))
    assert response.cookies["sessionid"].value == ""
    assert response.cookies["sessionid"]["max-age"] == 0
