"""One bad letter does not block the rest (issue 14 item 6).

A letter that cannot be made or sent (a subject with a newline saved in the admin, a template
that raises, a mail server that refuses the address) used to roll back its whole chunk, on
every run, forever. Now it is marked failed with a reason that holds no personal data, the
others go out, the next run leaves it alone, and the coordinators' daily digest lists it."""

import email
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from mantelzorg.services_staff import create_staff_user
from tests.factories import NewsletterFactory, RetentionNoticeFactory
from tests.support import free_port
from worker.models import Delivery, DeliveryStatus, Letter, LetterStatus, NewsletterStatus
from worker.newsletters import prepare_deliveries, send_chunk
from worker.services import create_print_batch, dispatch_queued_letters
from worker.tasks import failed_deliveries_digest, make_print_batches

NO_NAMES = ("Zomer-Ezra", "Dirk", "dirk@example.nl", "Ezra", "ezra@example.nl")


class RefusingServer:
    """A real SMTP server that keeps what it receives and refuses some addresses for good,
    repeating the address in its answer as real servers do."""

    def __init__(self):
        self.received, self.refused, self.lock = [], set(), threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        return sorted(str(message["To"]) for message in self.received)


@pytest.fixture
def smtp_server(settings):
    server = RefusingServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield server
    controller.stop()


@pytest.fixture
def bad_kinds(letter_type_from_templates):
    """Two letter kinds that cannot be made: a subject with a newline (a name saved in the
    admin with Enter in it) and a paper/e-mail template that raises when rendered."""
    newline = letter_type_from_templates(
        "proef_onderwerp", subject="Uw zwemkaartjes voor {campaign}",
        subject_values=lambda letter: {"campaign": f"Zomer-{letter.caregiver.first_name}\n"
                                                   "Bcc: iedereen@example.org"})
    broken = letter_type_from_templates(
        "proef_sjabloon", html='<section class="letter">{% include "bestaat/niet.html" %}'
                               '</section>', txt='{% include "bestaat/niet.txt" %}')
    return newline, broken


def assert_no_personal_data(text):
    for value in NO_NAMES:
        assert value not in text, value


@pytest.mark.django_db
def test_bad_letters_fail_alone_and_the_rest_of_the_chunk_is_sent(smtp_server, bad_kinds,
                                                                   settings):
    newline, broken = bad_kinds
    anja = RetentionNoticeFactory(caregiver__first_name="Anja")
    subject = RetentionNoticeFactory(kind=newline, caregiver__first_name="Ezra")
    bert = RetentionNoticeFactory(caregiver__first_name="Bert")
    template = RetentionNoticeFactory(kind=broken, caregiver__first_name="Fleur")
    refused = RetentionNoticeFactory(caregiver__first_name="Dirk")
    carla = RetentionNoticeFactory(caregiver__first_name="Carla")
    smtp_server.refused.add("dirk@example.nl")

    counts = dispatch_queued_letters()

    assert counts == {"email": 3, "post": 0, "cancelled": 0, "failed": 3, "retry": 0}
    assert smtp_server.recipients() == ["anja@example.nl", "bert@example.nl",
                                        "carla@example.nl"]
    status = {letter.pk: Letter.objects.get(pk=letter.pk) for letter in
              (anja, subject, bert, template, refused, carla)}
    assert [status[x.pk].status for x in (anja, bert, carla)] == [LetterStatus.SENT] * 3
    for bad in (subject, template, refused):
        assert status[bad.pk].status == LetterStatus.FAILED
        assert status[bad.pk].failed_at is not None
        assert_no_personal_data(status[bad.pk].error)
    assert "regelovergang" in status[subject.pk].error
    assert "TemplateDoesNotExist" in status[template.pk].error
    assert status[refused.pk].error.startswith("550")
    assert "[adres]" in status[refused.pk].error and "User unknown" in status[refused.pk].error

    # The next run (five minutes later) leaves the failed letters alone and sends nothing twice.
    assert dispatch_queued_letters() == {"email": 0, "post": 0, "cancelled": 0, "failed": 0,
                                         "retry": 0}
    assert len(smtp_server.received) == 3
    assert Letter.objects.filter(status=LetterStatus.FAILED).count() == 3

    # The coordinators' daily digest lists them, by kind and reason, without names.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    create_staff_user("kees", "een-lang-test-wachtwoord-42", "coordinator",
                      email="kees@example.org")
    assert failed_deliveries_digest() == 1
    body = mail.outbox[-1].body
    assert "Brieven: 3 mislukt." in body
    assert "proef_onderwerp: 1 mislukt. Reden: Onderwerp of kopregel bevat een regelovergang" \
        in body
    assert "proef_sjabloon: 1 mislukt. Reden: Opmaken mislukt" in body
    assert "550" in body
    assert_no_personal_data(body)


@pytest.mark.django_db
def test_a_letter_that_fails_to_render_is_left_out_of_the_print_batch(bad_kinds, media,
                                                                      tmp_path):
    _, broken = bad_kinds
    good = [RetentionNoticeFactory(caregiver__first_name=name, caregiver__post=True)
            for name in ("Anja", "Bert")]
    bad = RetentionNoticeFactory(kind=broken, caregiver__first_name="Fleur",
                                 caregiver__post=True)
    assert dispatch_queued_letters()["post"] == 3

    batch = create_print_batch()

    assert batch is not None and batch.letter_count == 2
    assert set(batch.letters.values_list("pk", flat=True)) == {letter.pk for letter in good}
    bad.refresh_from_db()
    assert bad.status == LetterStatus.FAILED and bad.print_batch is None
    assert "TemplateDoesNotExist" in bad.error
    assert create_print_batch() is None  # not tried again


@pytest.mark.django_db
def test_a_print_chunk_of_only_bad_letters_does_not_stop_the_next(bad_kinds, media):
    _, broken = bad_kinds
    bad = RetentionNoticeFactory(kind=broken, caregiver__first_name="Fleur",
                                 caregiver__post=True)
    good = RetentionNoticeFactory(caregiver__first_name="Anja", caregiver__post=True,
                                  caregiver__postcode="3849ZZ")  # printed after Fleur
    dispatch_queued_letters()
    batch = create_print_batch(max_letters=1)
    assert batch is not None and list(batch.letters.all()) == [good]
    assert Letter.objects.get(pk=bad.pk).status == LetterStatus.FAILED


@pytest.mark.django_db
def test_letters_that_render_alone_but_not_together_are_printed_in_smaller_batches(
        media, monkeypatch):
    """A WeasyPrint fault that shows only when two particular letters share a document:
    each letter renders alone, so the re-render of the whole batch failed again and the
    chunk was rolled back on every run, forever. Simulated in the render call; the
    letters, the PDFs and the batches are real."""
    from worker import services

    real_pdf_from_html = services.pdf_from_html
    renders = []

    def fails_for_anja_and_dirk_together(htmls):
        renders.append(len(htmls))
        together = " ".join(htmls)
        if "Anja" in together and "Dirk" in together:
            raise ValueError("simulated WeasyPrint layout error")
        return real_pdf_from_html(htmls)

    monkeypatch.setattr(services, "pdf_from_html", fails_for_anja_and_dirk_together)
    letters = [RetentionNoticeFactory(caregiver__first_name=name, caregiver__post=True)
               for name in ("Anja", "Bert", "Carla", "Dirk")]
    assert dispatch_queued_letters()["post"] == 4

    made = make_print_batches()

    assert made >= 2 and len(renders) < 20  # it ends, and quickly
    for letter in letters:
        letter.refresh_from_db()
        assert letter.status == LetterStatus.TO_PRINT and letter.print_batch is not None
    batches = {letter.print_batch for letter in letters}
    assert sum(batch.letter_count for batch in batches) == 4
    for batch in batches:
        assert batch.pdf.read().startswith(b"%PDF")
        names = {letter.caregiver.first_name for letter in batch.letters.all()}
        assert not {"Anja", "Dirk"} <= names
    assert make_print_batches() == 0


@pytest.mark.django_db
def test_a_letter_that_renders_alone_only_once_is_failed_and_the_rest_printed(
        media, monkeypatch):
    """The worst case: no two letters render together, and one letter's fault comes and
    goes. Every letter is printed alone, the flaky one is failed with its reason, and the
    job ends."""
    from worker import services

    real_pdf_from_html = services.pdf_from_html
    bert_renders = []

    def nothing_together_and_bert_only_once(htmls):
        if len(htmls) > 1:
            raise ValueError("simulated WeasyPrint layout error")
        if "Bert" in htmls[0]:
            bert_renders.append(1)
            if len(bert_renders) > 1:
                raise ValueError("simulated WeasyPrint layout error")
        return real_pdf_from_html(htmls)

    monkeypatch.setattr(services, "pdf_from_html", nothing_together_and_bert_only_once)
    letters = {name: RetentionNoticeFactory(caregiver__first_name=name, caregiver__post=True)
               for name in ("Anja", "Bert", "Carla")}
    dispatch_queued_letters()

    assert make_print_batches() == 2
    for name, letter in letters.items():
        letter.refresh_from_db()
        if name == "Bert":
            assert letter.status == LetterStatus.FAILED and letter.print_batch is None
            assert "ValueError" in letter.error
        else:
            assert letter.print_batch.letter_count == 1


@pytest.mark.django_db
def test_a_newsletter_that_cannot_be_sent_fails_its_deliveries_instead_of_hanging(
        smtp_server, caregivers):
    """A subject with a newline (saved in the admin): every message raises BadHeaderError.
    The deliveries are failed with the reason, none is left "bezig" for the reaper to hand
    out again every five minutes, and the newsletter is done."""
    caregivers(3)
    newsletter = NewsletterFactory(subject="Nieuws\nBcc: iedereen@example.org")
    prepare_deliveries(newsletter)

    counts = send_chunk(newsletter.pk, size=10)

    assert counts["failed"] == 3 and counts["sent"] == 0
    assert smtp_server.received == []
    rows = Delivery.objects.filter(newsletter=newsletter)
    assert set(rows.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    assert all("regelovergang" in error for error in rows.values_list("error", flat=True))
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENT
    assert send_chunk(newsletter.pk, size=10) == {"sent": 0, "failed": 0, "skipped": 0,
                                                  "retry": 0}


@pytest.mark.django_db
def test_one_bad_delivery_does_not_stop_the_newsletter(smtp_server, caregivers, monkeypatch):
    """A message that cannot be made for one reader fails alone; the others are sent."""
    from worker import newsletters

    people = caregivers(3)
    newsletter = NewsletterFactory(subject="Nieuws van het Servicepunt")
    prepare_deliveries(newsletter)
    original = newsletters.unsubscribe_url

    def link(caregiver):  # one reader's message gets a header that cannot be sent
        url = original(caregiver)
        return url + "\nBcc: b@example.org" if caregiver.pk == people[1].pk else url

    monkeypatch.setattr(newsletters, "unsubscribe_url", link)
    counts = send_chunk(newsletter.pk, size=10)
    assert counts["sent"] == 2 and counts["failed"] == 1
    assert smtp_server.recipients() == [people[0].email, people[2].email]
    failed = Delivery.objects.get(newsletter=newsletter, caregiver=people[1])
    assert failed.status == DeliveryStatus.FAILED and "regelovergang" in failed.error


def test_smtp_reasons_keep_no_addresses():
    import smtplib

    from worker.smtp import classify

    refused = smtplib.SMTPRecipientsRefused(
        {"jan@example.nl": (550, b"5.1.1 <jan@example.nl>: User unknown")})
    temporary, reason = classify(refused)
    assert not temporary and "jan@example.nl" not in reason and "[adres]" in reason
    data = smtplib.SMTPDataError(554, b"Message to piet.de.vries@mail.example.com rejected")
    assert "piet.de.vries" not in classify(data)[1]


@pytest.mark.django_db
def test_a_query_error_in_one_letter_leaves_the_chunk_usable(smtp_server,
                                                            letter_type_from_templates):
    """A letter whose context runs a failing query (a ProgrammingError aborts a PostgreSQL
    transaction) fails alone: it runs in a savepoint, so the others are still marked sent."""
    from django.db import connection

    def bad_query(letter):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM bestaat_niet")
        return {}

    kind = letter_type_from_templates("proef_query", context=bad_query)
    bad = RetentionNoticeFactory(kind=kind, caregiver__first_name="Fleur")
    after = RetentionNoticeFactory(caregiver__first_name="Anja")
    assert dispatch_queued_letters()["failed"] == 1
    assert Letter.objects.get(pk=bad.pk).status == LetterStatus.FAILED
    assert "ProgrammingError" in Letter.objects.get(pk=bad.pk).error
    assert Letter.objects.get(pk=after.pk).status == LetterStatus.SENT
    assert smtp_server.recipients() == ["anja@example.nl"]
