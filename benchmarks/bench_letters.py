"""Benchmark: 1,000 one-page postal letters as PDF (`make bench-letters`).

Batch method (what print batches do): one FontConfiguration and one parsed stylesheet for
the process, chunks of 250 letters rendered as one PDF each. Naive baseline in the same run:
every letter its own document with a fresh FontConfiguration and stylesheet. Reports ms per
letter for both and the peak RSS. Targets (issue): at most 40 ms per letter, under 600 MB;
issue 17: the ratio of the baseline to the batch method at least 1.5.
Uses its own database `bench_letters` on the PostgreSQL server of DATABASE_URL.
"""

import datetime
import os
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

LETTERS = int(os.environ.get("BENCH_LETTERS", "1000"))
BASELINE = int(os.environ.get("BENCH_BASELINE_LETTERS", "100"))
CHUNK = 250
DB_NAME = "bench_letters"


def recreate_database(server_url: str) -> str:
    parts = urlparse(server_url)
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return urlunparse(parts._replace(path=f"/{DB_NAME}"))


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        sys.exit("DATABASE_URL must point at a PostgreSQL server (make bench-letters does).")
    os.environ["DATABASE_URL"] = recreate_database(server)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantelzorg.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from core import clock
    from registrations.models import Caregiver, RegistrationLetter, State
    from worker import letters as letter_module
    from worker.models import Letter

    call_command("migrate", verbosity=0)
    today = clock.today()
    people = Caregiver.objects.bulk_create(
        Caregiver(first_name=f"Voornaam{i}", last_name=f"Achternaam{i}",
                  date_of_birth=datetime.date(1950, 1, 1), street="Lindenlaan",
                  house_number=str(i % 180 + 1), postcode="3845AB", city="Harderwijk",
                  state=State.VOORMALIG, care_ended_on=today - datetime.timedelta(days=700),
                  care_end_reason="overlijden", registered_on=datetime.date(2020, 1, 1))
        for i in range(LETTERS))
    batch = Letter.objects.bulk_create(
        Letter(kind=RegistrationLetter.RETENTION_NOTICE, caregiver=person,
               dedupe_key=f"bench:{person.pk}", created_at=clock.now()) for person in people)
    batch = list(Letter.objects.select_related("caregiver").filter(pk__in=[b.pk for b in batch]))

    letter_module.render_pdf(batch[:1])  # warm up: fonts, templates, stylesheet
    started = time.monotonic()
    for start in range(0, len(batch), CHUNK):
        letter_module.render_pdf(batch[start:start + CHUNK])
    batch_ms = (time.monotonic() - started) * 1000 / len(batch)
    peak_after_batch = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    css_text = render_to_string("worker/letters/letter.css", letter_module._css_context())
    started = time.monotonic()
    for letter in batch[:BASELINE]:
        fonts = FontConfiguration()
        document = render_to_string("worker/letters/document.html",
                                    {"body": letter_module.letter_html(letter)})
        HTML(string=document).write_pdf(stylesheets=[CSS(string=css_text, font_config=fonts)],
                                        font_config=fonts)
    baseline_ms = (time.monotonic() - started) * 1000 / BASELINE
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"batch: {len(batch)} letters in chunks of {CHUNK}; peak after batch "
          f"{peak_after_batch:.0f} MB; baseline over {BASELINE} letters, one document each")
    print(f"BENCH letters letters={len(batch)} ms_per_letter={batch_ms:.1f} "
          f"baseline_ms_per_letter={baseline_ms:.1f} ratio={baseline_ms / batch_ms:.2f} "
          f"goal_ratio=1.5 peak_mb={peak_mb:.0f}")


if __name__ == "__main__":
    main()
