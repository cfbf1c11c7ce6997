"""Fixtures of the worker tests."""

import datetime

import pytest

from core import clock
from registrations.models import Caregiver, State
from tests.factories import CaregiverFactory


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
