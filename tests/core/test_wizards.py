"""Issue 14 item 9: public wizards on a shared computer.

After 30 minutes without a request the stored steps are gone (the next request starts
afresh, with a short Dutch notice), the session itself expires then too (so the hourly
clearsessions removes an abandoned one), and every step has a "Stoppen en gegevens wissen"
button that forgets everything at once and says so.
"""

import datetime
import json
import re

import pytest
from django.contrib.sessions.models import Session

from core import clock
from registrations.models import Caregiver
from tests.appreciation.waardering import wizard as waardering
from tests.registrations import wizard as registration

MINUTE = datetime.timedelta(minutes=1)
STOP = "Stoppen en gegevens wissen"
NOTICE = "U was meer dan 30 minuten niet bezig"


def stored(client) -> str:
    """Everything in this browser's session, as text."""
    return json.dumps(dict(client.session.items()), default=str)


def stop_button(html: str) -> bool:
    """A POST form of its own with a submit button named wizard_stop."""
    return bool(re.search(r'<form method="post" class="wizard-stop">.*?<button type="submit"'
                          r'[^>]*name="wizard_stop"[^>]*>' + STOP + r"</button>\s*</form>",
                          html, re.S))


@pytest.mark.django_db
def test_registration_steps_are_dropped_after_30_idle_minutes(client, waardering_day):
    registration.fill(client)
    assert "Lindenlaan" in stored(client)
    waardering_day.shift(29 * MINUTE)
    page = client.get("/aanmelden/controleren")
    assert page.status_code == 200 and "Lindenlaan" in page.content.decode()  # still there

    waardering_day.shift(31 * MINUTE)
    response = client.get("/aanmelden/controleren")
    assert response.status_code == 302 and response["Location"] == "/aanmelden/over-mij"
    assert "Lindenlaan" not in stored(client) and "Riet" not in stored(client)
    page = client.get(response["Location"]).content.decode()
    assert NOTICE in page and "Lindenlaan" not in page
    # Sending the old last step after the pause stores nothing either.
    registration.fill(client)
    waardering_day.shift(31 * MINUTE)
    response = registration.post_step(client, "controleren", registration.CHECK)
    assert response.status_code == 302 and response["Location"] == "/aanmelden/over-mij"
    assert not Caregiver.objects.exists() and "Lindenlaan" not in stored(client)


@pytest.mark.django_db
def test_an_abandoned_wizard_session_expires_after_30_minutes(client, waardering_year):
    """Not after the site's 8 hours: the hourly clearsessions then deletes it."""
    waardering.fill(client, steps=waardering.SELF_STEPS[:3])
    assert "nl91 abna" in stored(client).lower()
    session = Session.objects.get(pk=client.session.session_key)
    assert session.expire_date == clock.now() + 30 * MINUTE


@pytest.mark.django_db
def test_waardering_steps_are_dropped_after_30_idle_minutes(client, waardering_year,
                                                            waardering_day):
    waardering.fill(client, steps=waardering.SELF_STEPS[:3])
    assert "Lindenlaan" in stored(client)
    waardering_day.shift(31 * MINUTE)
    response = client.get("/waardering/zelf/nieuwsbrief")
    assert response.status_code == 302
    assert "Lindenlaan" not in stored(client) and "0417" not in stored(client)
    while response.status_code == 302:
        response = client.get(response["Location"])
    page = response.content.decode()
    assert NOTICE in page and 'name="mantelzorger-first_name"' in page
    assert 'value="Riet"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize("base, steps, prefix", [
    ("/aanmelden", [("over-mij", registration.ABOUT), ("naaste", registration.RECIPIENT)],
     "registration_wizard"),
    (waardering.SELF, waardering.SELF_STEPS[:3], "waardering_zelf"),
    (waardering.ON_BEHALF, waardering.ON_BEHALF_STEPS[:3], "waardering_namens"),
])
def test_every_step_stops_and_erases_at_once(client, waardering_year, base, steps, prefix):
    if base == "/aanmelden":
        client.get("/aanmelden/over-mij")
    else:
        assert client.get(base).status_code == 302
    for step, data in steps:
        page = client.get(f"{base}/{step}").content.decode()
        assert stop_button(page), step
        response = client.post(f"{base}/{step}", {f"{prefix}-current_step": step, **data})
        assert response.status_code == 302, response.content.decode()[:2000]
    assert "Lindenlaan" in stored(client) or "Henk Bakker" in stored(client)
    old_key = client.session.session_key

    last = steps[-1][0]
    response = client.post(f"{base}/{last}", {"wizard_stop": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gestopt. Uw gegevens zijn gewist." in page
    assert "Lindenlaan" not in page and "Henk Bakker" not in page
    assert "Lindenlaan" not in stored(client) and "Henk Bakker" not in stored(client)
    assert f"wizard_{prefix}" not in client.session
    assert client.session.session_key != old_key
    assert not Session.objects.filter(pk=old_key).exists()
    # Going back to a step shows an empty form.
    back = client.get(f"{base}/{last}", follow=True).content.decode()
    assert "Lindenlaan" not in back and "Henk Bakker" not in back
