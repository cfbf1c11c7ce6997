"""Fixtures of the worker tests."""

import datetime
import email
import threading
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from core import clock
from registrations.models import Caregiver, State
from tests.factories import CaregiverFactory
from tests.support import free_port


@pytest.fixture
def caregivers(db):
    """`caregivers(count, **fields)`: active newsletter readers Persoon0… (p0@example.nl…)
    with confirmed addresses, made in one insert."""
    def make(count: int, **extra) -> list[Caregiver]:
        values = dict(date_of_birth=datetime.date(1960, 1, 1), house_number="1",
                      postcode="3841AB", state=State.ACTIEF,
                      registered_on=datetime.date(2024, 1, 1), email_confirmed_at=clock.now())
        values.update(extra)
        return Caregiver.objects.bulk_create(
            CaregiverFactory.build(first_name=f"Persoon{i}", last_name="Test",
                                   email=f"p{i}@example.nl", **values) for i in range(count))

    return make


@pytest.fixture
def letter_type_from_templates(settings, tmp_path, monkeypatch):
    """`letter_type_from_templates(kind, html=…, txt=…, **spec)`: register a letter kind for
    this test only, whose paper letter (.html) and e-mail (.txt) are the given template
    texts (in a template folder of this test); returns the kind."""
    from worker import registry

    folder = tmp_path / "templates"
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [folder, *engine["DIRS"]]}]

    def register(kind, html="<section class=\"letter\">Beste {{ caregiver.first_name }},</section>",
                 txt="Beste {{ caregiver.first_name }},", subject="Proefbrief", **spec):
        (folder / "proef").mkdir(parents=True, exist_ok=True)
        (folder / "proef" / f"{kind}.html").write_text(html)
        (folder / "proef" / f"{kind}.txt").write_text(txt)
        monkeypatch.setitem(registry._letter_types, kind, registry.LetterType(
            kind=kind, label=kind, subject=subject, template=f"proef/{kind}", **spec))
        return kind

    return register


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a job as if its transaction committed (files are deleted after commit)."""
    def run(job, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return job(*args)
    return run


class Sink:
    """An SMTP server that keeps what it receives; some addresses fail on purpose."""

    def __init__(self):
        self.messages = []
        self.envelopes = []  # (the envelope's recipients, the message)
        self.temporary_failures = Counter()  # address -> how many times to answer 451
        self.refused = set()  # addresses answered with 550
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if address in self.refused:
                return "550 5.1.1 Mailbox unavailable"
            if self.temporary_failures[address] > 0:
                self.temporary_failures[address] -= 1
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            message = email.message_from_bytes(envelope.content)
            self.messages.append(message)
            self.envelopes.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def count_to(self) -> Counter:
        return Counter(str(m["To"]) for m in self.messages)


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on localhost that Django's SMTP backend sends to."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()
