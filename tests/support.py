"""Plain helpers for the tests (not fixtures, not tests): sign-in steps, polling, ports,
PDF text, and waardering requests submitted through the service.

Tests ask for most of these as fixtures (`login_fully`, `password_step`, `sign_in`,
`totp_now`, `wait_for` in tests/conftest.py); a helper function of a test module that is
not itself a test or fixture imports them from here. No test module imports another.
"""

import datetime
import socket
import subprocess
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from appreciation.models import Route
from appreciation.waardering import services as appreciation_services
from appreciation.waardering.submission import RequestData, submit_request
from mantelzorg.services_staff import create_staff_user
from registrations import services
from registrations.models import Caregiver, State, TokenPurpose

ROOT = Path(__file__).resolve().parent.parent
STAFF_PASSWORD = "een-lang-test-wachtwoord-42"
MM = 72 / 25.4  # PDF points per millimetre


# --- waiting and processes ---------------------------------------------------------------

def redis_url_with_database(url: str, database: int) -> str:
    """The same Redis server's URL with another database number (redis://host:port/N)."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def wait_for(check, timeout=30.0, interval=0.2, message="condition"):
    """Poll `check()` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """DATABASE_URL for a child process that must see the test database."""
    s = connection.settings_dict
    host = s.get("HOST") or "127.0.0.1"
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    port = s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


test_database_url.__test__ = False


# --- signing in --------------------------------------------------------------------------

def totp_now(device) -> str:
    """The code an authenticator app shows now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def password_step(client, user, password, **extra):
    """The staff login's first step: username and password."""
    return client.post(reverse("mantelzorg:staff_login"),
                       {"username": user.username, "password": password, **extra})


def login_fully(client, role):
    """Log in a new `<role>-x` with password and second factor; returns the user."""
    user = create_staff_user(f"{role}-x", STAFF_PASSWORD, role)
    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    password_step(client, user, STAFF_PASSWORD)
    client.post(reverse("mantelzorg:staff_verify"), {"token": totp_now(device)})
    return user


def link_token(caregiver, minutes=30, purpose=TokenPurpose.MAGIC_LINK):
    """A fresh Mijn gegevens token (a sign-in link by default) for this caregiver."""
    return services.issue_token(caregiver, purpose, datetime.timedelta(minutes=minutes))[1]


def sign_in(client, caregiver):
    """Sign the caregiver in to Mijn gegevens with a fresh link; returns the client."""
    response = client.post(f"/mijn-gegevens/link/{link_token(caregiver)}")
    assert response.status_code == 302 and response["Location"] == "/mijn-gegevens/"
    return client


# --- PDFs ----------------------------------------------------------------------------------

def words_on_first_page(pdf: bytes, tmp_path) -> list[tuple[str, float, float, float, float]]:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    xhtml = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(xhtml)
    return [(w.text, float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
             float(w.get("yMax"))) for w in root.iter("{http://www.w3.org/1999/xhtml}word")]


def assert_in_address_window(pdf: bytes, tmp_path, words_wanted) -> dict:
    """Each word lies inside the address window of a Dutch window envelope on page 1 (its
    first occurrence: the address block). Returns the words' boxes and the window's bottom
    (key "_bottom"), for checks of what follows the address."""
    from worker.letters import ADDRESS_WINDOW_MM as window

    words = {}
    for text, *box in words_on_first_page(pdf, tmp_path):
        words.setdefault(text, box)
    left, top = window["left"] * MM, window["top"] * MM
    right, bottom = left + window["width"] * MM, top + window["height"] * MM
    for word in words_wanted:
        x0, y0, x1, y1 = words[word]
        assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom, (word, words[word])
    return {**words, "_bottom": bottom}


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


# --- waardering requests through the service ---------------------------------------------

VALID_IBAN = "NL91ABNA0417164300"
OTHER_IBAN = "NL20INGB0001234567"


def caregiver_details(**extra) -> dict:
    details = dict(first_name="Riet", last_name="Bakker",
                   date_of_birth=datetime.date(1955, 4, 3), street="Lindenlaan",
                   house_number="12", postcode="3845AB", city="Harderwijk",
                   email="riet@example.nl", phone="", wants_newsletter=False)
    details.update(extra)
    return details


def recipient_details(**extra) -> dict:
    details = dict(recipient_name="Henk Bakker", recipient_postcode="3845AB",
                   recipient_house_number="12", relationship="partner", living_together=True,
                   hours_per_week=20, care_since=datetime.date(2019, 3, 1))
    details.update(extra)
    return details


def request_data(caregiver=None, recipient=None, iban=VALID_IBAN, **extra):
    return RequestData(recipient=recipient or recipient_details(),
                       caregiver=caregiver if caregiver is not None else caregiver_details(),
                       iban=iban, account_holder="R. Bakker", **extra)


def submit(data=None, route=Route.SELF, **kwargs):
    """Submit a waardering request through the service (Route.SELF by default)."""
    kwargs.setdefault("submission_key", uuid.uuid4())
    return submit_request(data or request_data(), route=route, **kwargs)


def nl_iban(number: int) -> str:
    """A valid (mod-97) Dutch IBAN for a made-up account number."""
    bban = f"ABNA{number:010d}"
    digits = "".join(str(int(c, 36)) for c in bban + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bban}"


def approved(consulent, n: int, young=False, iban=None):
    """Request number `n` of the year, submitted, rechecked and approved by `consulent`.
    An account number is typed unless `iban=""`; a voucher payout does not keep it."""
    born = datetime.date(2008 if young else 1950, 1, 1) + datetime.timedelta(days=n)
    request = submit(request_data(caregiver=caregiver_details(date_of_birth=born),
                                  iban=nl_iban(1000 + n) if iban is None else iban))
    Caregiver.objects.filter(pk=request.caregiver_id).update(state=State.ACTIEF)
    return appreciation_services.approve(appreciation_services.recheck(request), consulent)
