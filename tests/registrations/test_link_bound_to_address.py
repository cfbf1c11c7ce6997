"""Issue 14, item 4: a link confirms only the address it was sent to.

A confirmation link mailed to an old address used to confirm whatever address the
registration had when it was opened. Links are now bound to their address, and changing the
address in Mijn gegevens deletes the outstanding ones.
"""

import datetime
import re

import pytest
from django.db import connection

from registrations import services
from registrations.models import AccessToken, Caregiver, TokenPurpose
from tests.factories import CaregiverFactory, GuardianFactory
from tests.registrations import wizard

LINK = re.compile(r"/bevestigen/([A-Za-z0-9_-]+)")


def _confirm_links(mailoutbox) -> list[str]:
    return [found for mail in mailoutbox for found in LINK.findall(mail.body)]


@pytest.mark.django_db
def test_after_a_new_address_the_old_link_no_longer_confirms(
        client, inline_tasks, mailoutbox, django_capture_on_commit_callbacks, sign_in):
    with django_capture_on_commit_callbacks(execute=True):
        wizard.fill(client)
        wizard.submit(client)
    riet = Caregiver.objects.get()
    [old_link] = _confirm_links(mailoutbox)
    assert mailoutbox[0].to == ["riet.bakker@example.nl"]

    sign_in(client, riet)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mijn-gegevens/contact", {"email": "nieuw.adres@example.nl", "phone": "",
                                               "channel": "email", "wants_newsletter": "on"})
    [new_link] = [link for link in _confirm_links(mailoutbox) if link != old_link]
    assert mailoutbox[-1].to == ["nieuw.adres@example.nl"]

    response = client.post(f"/bevestigen/{old_link}")
    assert response.status_code == 400
    assert "Deze link werkt niet meer" in response.content.decode()
    riet.refresh_from_db()
    assert riet.email_confirmed_at is None

    response = client.post(f"/bevestigen/{new_link}")
    assert response.status_code == 200
    assert "Uw e-mailadres is bevestigd" in response.content.decode()
    riet.refresh_from_db()
    assert riet.email == "nieuw.adres@example.nl" and riet.email_confirmed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("purpose, confirm", [
    (TokenPurpose.CONFIRM_EMAIL, services.confirm_email),
    (TokenPurpose.MAGIC_LINK, services.open_magic_link),
])
def test_a_link_dies_with_its_address_whoever_changed_it(purpose, confirm):
    """Bound, not only revoked: an address changed outside Mijn gegevens (the admin, a
    script, a later page) still cannot be confirmed with a link sent to the old one."""
    riet = CaregiverFactory(unconfirmed=True, email="riet@example.nl")
    _token, raw = services.issue_token(riet, purpose, datetime.timedelta(days=1))
    with connection.cursor() as cursor:  # as any other path that sets the address would
        cursor.execute("UPDATE registrations_caregiver SET email = %s WHERE id = %s",
                       ["ander@example.nl", riet.pk])
    assert confirm(raw) is None
    riet.refresh_from_db()
    assert riet.email_confirmed_at is None


@pytest.mark.django_db
def test_only_case_and_spaces_differ_the_link_still_works():
    riet = CaregiverFactory(unconfirmed=True, email="Riet@Example.nl")
    _token, raw = services.issue_token(riet, TokenPurpose.CONFIRM_EMAIL,
                                       datetime.timedelta(days=1))
    Caregiver.objects.filter(pk=riet.pk).update(email=" riet@example.NL ")
    assert services.confirm_email(raw).pk == riet.pk


@pytest.mark.django_db
def test_a_guardian_link_dies_when_the_guardian_address_changes():
    guardian = GuardianFactory()
    sam = guardian.caregiver
    _token, raw = services.issue_token(sam, TokenPurpose.GUARDIAN,
                                       datetime.timedelta(days=1))
    type(guardian).objects.filter(pk=guardian.pk).update(email="iemand.anders@example.nl")
    assert services.confirm_guardian(raw, name="Anja", relation="ouder") is None
    guardian.refresh_from_db()
    assert guardian.confirmed_at is None


@pytest.mark.django_db
def test_changing_the_address_deletes_the_outstanding_links():
    riet = CaregiverFactory(unconfirmed=True, email="riet@example.nl")
    for purpose in (TokenPurpose.CONFIRM_EMAIL, TokenPurpose.MAGIC_LINK):
        services.issue_token(riet, purpose, datetime.timedelta(days=1))
    services.update_contact_details(riet, email="nieuw@example.nl", phone="",
                                    channel="email", wants_newsletter=False)
    assert not AccessToken.objects.filter(caregiver=riet, used_at__isnull=True).exclude(
        sent_to=AccessToken.address_hash("nieuw@example.nl")).exists()
