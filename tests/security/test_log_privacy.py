"""Logs hold no personal data: every log line of a full flow, at DEBUG, is scanned for the
caregiver's name, e-mail, phone, IBAN, date of birth and street (and for the secret
sign-in links, which are credentials).

The flow goes through the Django test client and the services, as people would: an online
registration, the e-mail confirmation, a sign-in link to Mijn gegevens, a waardering with an
IBAN, a consulent's approval, a payment batch, the letters sent, a zwemkaartjes request. A
second test has a real Celery worker on Redis mail a sign-in link, because only a real
worker logs the arguments a task was queued with.
"""

import datetime
import logging
import re

import pytest
from django.core import mail
from django.urls import reverse

from appreciation.models import AppreciationRequest, PayoutForm, RequestState
from appreciation.waardering import payouts
from registrations.models import Caregiver, State
from tests.factories import CaregiverFactory
from worker.services import dispatch_queued_letters

FIRST, LAST = "Wilhelmina", "Zandvoorter"
EMAIL = "wilhelmina.zandvoorter@voorbeeld.nl"
PHONE = "0698765432"
IBAN = "NL91ABNA0417164300"
STREET = "Kastanjelaan"
BORN = datetime.date(1953, 8, 17)

ABOUT = {"over-mij-first_name": FIRST, "over-mij-last_name": LAST,
         "over-mij-date_of_birth": BORN.strftime("%d-%m-%Y"), "over-mij-postcode": "3845 ab",
         "over-mij-house_number": "7", "over-mij-street": STREET,
         "over-mij-city": "Harderwijk", "over-mij-email": EMAIL, "over-mij-phone": "06-9876 5432"}
RECIPIENT = {"naaste-name": "Henk Zandvoorter", "naaste-date_of_birth": "",
             "naaste-relationship": "partner", "naaste-lives_in_municipality": "ja",
             "naaste-living_together": "ja", "naaste-care_kinds": ["huishouden"],
             "naaste-hours_per_week": "20", "naaste-care_since": "01-03-2019",
             "naaste-care_need": ""}
CARE = {"zorg-recipient_name": "Henk Zandvoorter", "zorg-recipient_postcode": "3845 ab",
        "zorg-recipient_house_number": "7", "zorg-relationship": "partner",
        "zorg-living_together": "ja", "zorg-hours_per_week": "20",
        "zorg-care_since": "01-03-2019"}
PAYMENT = {"betaling-iban": "nl91 abna 0417 1643 00", "betaling-account_holder": "W. Zandvoorter"}

# Loggers that must say everything they have to say during the test.
LOUD = ["", "django", "django.request", "django.security", "celery", "kombu", "axes",
        "mantelzorg", "registrations", "appreciation", "worker", "insight"]


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record):
        if record.name == "factory" or record.name.startswith("factory."):
            return  # factory_boy telling how it builds the test's own data: not the project
        # What the configured handler writes: the message with its arguments, and any
        # traceback. (Record extras such as Celery's `data` are not printed by our format.)
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def captured_logs():
    """Everything logged, at DEBUG, as with LOG_LEVEL=DEBUG in production.

    Loggers the settings quiet on purpose (SQL, WeasyPrint, the Celery pool) keep their
    configured level: that configuration is part of what this test checks.
    """
    from django.conf import settings

    configured = set(settings.LOGGING.get("loggers", {}))
    handler = Everything()
    changed = []
    for name in LOUD:
        logger = logging.getLogger(name)
        changed.append((logger, logger.level, logger.disabled))
        logger.disabled = False
        if name not in configured:
            logger.setLevel(logging.DEBUG)
    # The root logger hears whatever propagates; loggers that do not propagate, directly.
    targets = [logging.getLogger()] + [
        logger for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate]
    for logger in targets:
        logger.addHandler(handler)
    yield handler
    for logger in targets:
        logger.removeHandler(handler)
    for logger, level, disabled in changed:
        logger.setLevel(level)
        logger.disabled = disabled


def personal_data() -> list[str]:
    spaced = " ".join(IBAN[i:i + 4] for i in range(0, len(IBAN), 4))
    return [FIRST, LAST, EMAIL, EMAIL.split("@")[0], PHONE, "06-9876 5432", "98765432",
            IBAN, spaced, IBAN.lower(), "0417164300", STREET,
            BORN.isoformat(), BORN.strftime("%d-%m-%Y"), BORN.strftime("%d%m%Y"),
            repr(BORN), "1953, 8, 17"]


def assert_no_personal_data(text: str, secrets=()) -> None:
    lowered = text.lower()
    leaked = [value for value in [*personal_data(), *secrets] if value.lower() in lowered]
    lines = [line for line in text.splitlines() if any(v.lower() in line.lower() for v in leaked)]
    assert not leaked, (f"personal data or link tokens in the logs: {leaked}\n"
                        + "\n".join(lines[:20]))


def wizard_post(client, base, prefix, step, data):
    return client.post(f"{base}/{step}", {f"{prefix}-current_step": step, **data})


def follow_to(client, response, end):
    while response.status_code == 302 and end not in response["Location"]:
        response = client.get(response["Location"])
    return response


def link_in(message, path) -> str:
    return re.search(rf"{path}\S+", message.body).group(0)


@pytest.mark.django_db
@pytest.mark.usefixtures("waardering_year")
def test_a_full_flow_logs_no_personal_data(client, settings, tmp_path, inline_tasks,
                                           django_capture_on_commit_callbacks, captured_logs,
                                           login_fully, make_campaign):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media")}}}
    campaign = make_campaign(codes=4, name="Zwemkaartjes najaar 2026",
                             starts_on=datetime.date(2026, 9, 1),
                             ends_on=datetime.date(2026, 10, 31))
    links = []
    with django_capture_on_commit_callbacks(execute=True):
        # 1. The online registration at /aanmelden, and the e-mail address confirmed.
        client.get("/aanmelden/over-mij")
        for step, data in [("over-mij", ABOUT), ("naaste", RECIPIENT),
                           ("contact", {"contact-channel": "email"}),
                           ("belasting", {"belasting-skip": "1"})]:
            response = wizard_post(client, "/aanmelden", "registration_wizard", step, data)
            assert response.status_code == 302, response.content.decode()[:2000]
        response = wizard_post(client, "/aanmelden", "registration_wizard", "controleren",
                               {"controleren-consent": "on"})
        assert follow_to(client, response, "verstuurd")["Location"] == "/aanmelden/verstuurd"
    links.append(link_in(mail.outbox[-1], "/bevestigen/"))
    assert "U bent nu ingeschreven" in client.post(links[-1]).content.decode()
    caregiver = Caregiver.objects.get(email=EMAIL)
    assert caregiver.state == State.ACTIEF and caregiver.phone == PHONE

    # 2. A sign-in link to Mijn gegevens, asked for and used.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mijn-gegevens/inloggen", {"email": EMAIL})
    links.append(link_in(mail.outbox[-1], "/mijn-gegevens/link/"))
    assert client.post(links[-1])["Location"] == "/mijn-gegevens/"
    assert LAST in client.get("/mijn-gegevens/").content.decode()

    # 3. The waardering asked for while signed in, with an IBAN.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/waardering/zelf")["Location"] == "/waardering/zelf/zorg"
        for step, data in [("zorg", CARE), ("betaling", PAYMENT)]:
            response = wizard_post(client, "/waardering/zelf", "waardering_zelf", step, data)
            assert response.status_code == 302, response.content.decode()[:2000]
        response = wizard_post(client, "/waardering/zelf", "waardering_zelf", "controleren",
                               {"controleren-consent": "on"})
        follow_to(client, response, "verstuurd")
    request = AppreciationRequest.objects.get(caregiver=caregiver)
    assert request.iban == IBAN

    # 4. A consulent looks at the caregiver and the request, and approves it.
    staff = type(client)()
    login_fully(staff, "consulent")
    assert staff.get(reverse("registrations:caregiver_detail", args=[caregiver.pk])).status_code \
        == 200
    detail = reverse("appreciation:review_detail", args=[request.pk])
    assert LAST in staff.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("appreciation:review_approve", args=[request.pk]),
                   {"expected_state": request.state})
    request.refresh_from_db()
    assert request.state == RequestState.GOEDGEKEURD

    # 5. A coordinator makes the payment batch (the SEPA file holds the IBAN; logs do not).
    coordinator = login_fully(type(client)(), "coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        batch = payouts.create_payment_batch(request.year, PayoutForm.BANK, coordinator)
    assert IBAN in batch.export.read().decode()

    # 6. Zwemkaartjes asked for in Mijn gegevens; then every queued letter is sent.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mijn-gegevens/campagnes/{campaign.pk}/aanvragen")
        assert response.status_code == 302
    dispatch_queued_letters()
    assert any(message.to == [EMAIL] and "Zwem" in message.subject for message in mail.outbox)
    assert len(mail.outbox) >= 5  # confirm, sign-in, received, approved, codes

    # 7. Wrong and reused links are logged by Django (4xx) – by path only, never by person.
    assert client.post(links[0]).status_code == 400
    assert client.get("/bestaat-niet").status_code == 404

    text = captured_logs.text
    assert "Bad Request" in text or "Not Found" in text  # the capture works at all
    tokens = [link.rstrip("/").rsplit("/", 1)[-1] for link in links]
    assert_no_personal_data(text, secrets=tokens[1:])  # the used confirm link: 400, harmless


@pytest.fixture
def worker_loglevel():
    """The real worker at DEBUG: its task lines are what this module checks."""
    return "DEBUG"


def test_a_real_worker_logs_no_address_and_no_link(real_worker, captured_logs, client, wait_for):
    """The worker logs a task's arguments at DEBUG ('TaskPool: Apply … args'); the sign-in
    mail task gets the raw link token, so that logger is kept at INFO in the settings."""

    caregiver = CaregiverFactory(first_name=FIRST, last_name=LAST, date_of_birth=BORN,
                                 street=STREET, house_number="7", email=EMAIL, phone=PHONE)
    assert client.post("/mijn-gegevens/inloggen", {"email": EMAIL}).status_code == 200
    wait_for(lambda: _token_mailed(caregiver), timeout=30,
             message="the worker to mail the sign-in link")
    wait_for(lambda: "succeeded" in captured_logs.text, timeout=10,
             message="the worker to log the task's end")
    text = captured_logs.text
    assert "worker.send_link_mail" in text
    token = re.search(r"/mijn-gegevens/link/(\S+)", mail.outbox[-1].body).group(1)
    assert_no_personal_data(text, secrets=[token])


def _token_mailed(caregiver) -> bool:
    from registrations.models import AccessToken

    return AccessToken.objects.filter(caregiver=caregiver, mailed_at__isnull=False).exists()



@pytest.mark.parametrize("path", ["/mijn-gegevens/link/", "/bevestigen/", "/toestemming/",
                                  "/afmelden/"])
def test_link_tokens_in_paths_are_redacted(path):
    from core.logredact import redact

    assert redact(f'GET {path}AbC-123_x.y:z HTTP/1.1') == f"GET {path}[token] HTTP/1.1"
    assert redact(f"{path}AbC?x=1") == f"{path}[token]?x=1"
    assert redact("/backoffice/mantelzorgers/12/") == "/backoffice/mantelzorgers/12/"


def test_the_confirmation_code_in_a_query_string_is_redacted(capsys):
    """/waardering/bevestigen?code=… carries a live confirmation code: the access log (the
    request line, the path with query, gunicorn's bare query atom) and Django's request
    log write `code=[code]`; other parameters stay readable."""
    from gunicorn.config import Config

    from core.logredact import AccessLogger, redact

    code = "KXRT-7M9Q"
    assert (redact(f"GET /waardering/bevestigen?code={code} HTTP/1.1")
            == "GET /waardering/bevestigen?code=[code] HTTP/1.1")
    assert (redact(f"/waardering/bevestigen?x=1&CODE={code}&y=2")
            == "/waardering/bevestigen?x=1&CODE=[code]&y=2")
    assert redact(f"code={code}") == "code=[code]"
    assert redact("/zwemkaartjes?postcode=3841AB") == "/zwemkaartjes?postcode=3841AB"

    logger = AccessLogger(Config())
    logger.error("Error handling request %s", f"/waardering/bevestigen?code={code}")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/waardering/bevestigen",
               "QUERY_STRING": f"code={code}", "RAW_URI": f"/waardering/bevestigen?code={code}",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}

    class Request:
        method, path, query, uri, version = ("GET", "/waardering/bevestigen", f"code={code}",
                                             f"/waardering/bevestigen?code={code}", (1, 1))
        headers = []

    class Response:
        status, response_length, sent, headers = "200 OK", 0, 0, []

    import datetime

    atoms = logger.atoms(Response(), Request(), environ, datetime.timedelta(seconds=0))
    assert code not in capsys.readouterr().err
    assert all(code not in str(value) for value in atoms.values())
    assert atoms["q"] == "code=[code]"


def test_django_request_log_of_a_token_path_says_token(client):
    """A 404 under a link path is logged by django.request with its path: redacted there."""
    from django.http import HttpResponse
    from django.utils.log import log_response

    handler = Everything()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        log_response("Not Found: %s", "/afmelden/secret-unsubscribe-token",
                     response=HttpResponse(status=404), logger=logger)
    finally:
        logger.removeHandler(handler)
    assert handler.lines == ["django.request WARNING Not Found: /afmelden/[token]"]


def test_gunicorns_error_log_of_a_token_path_says_token(capsys):
    """gunicorn logs a failed request's URI on its own error logger, outside Django's."""
    from gunicorn.config import Config

    from core.logredact import AccessLogger

    logger = AccessLogger(Config())
    logger.error("Error handling request %s", "/mijn-gegevens/link/live-secret-token")
    logger.error("Error handling request %(uri)s", {"uri": "/bevestigen/another-secret"})
    err = capsys.readouterr().err
    assert "live-secret-token" not in err and "another-secret" not in err
    assert "/mijn-gegevens/link/[token]" in err and "/bevestigen/[token]" in err
