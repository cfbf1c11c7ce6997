"""Newsletters to a real local SMTP server (aiosmtpd), sent by a real Celery worker:
exactly once per recipient, unsubscribes respected, 4xx retried, 5xx recorded."""

import datetime
from collections import Counter

import pytest
from django.urls import reverse

from core import clock
from registrations.models import Caregiver, State
from tests.factories import NewsletterFactory
from worker.models import Delivery, DeliveryStatus, Newsletter, NewsletterStatus
from worker.newsletters import (
    audience_counts,
    prepare_deliveries,
    reap_stuck_deliveries,
    send_chunk,
    unsubscribe_url,
)


@pytest.mark.django_db
def test_audience_only_confirmed_addresses_of_people_who_want_it(caregivers):
    caregivers(3)
    caregivers(1, email_confirmed_at=None)
    caregivers(1, wants_newsletter=False)
    caregivers(1, state=State.BEEINDIGD, ended_on=clock.today())
    caregivers(2, channel="post")
    caregivers(1, state=State.VOORMALIG, care_ended_on=clock.today())
    assert audience_counts({}) == {"email": 4, "post": 2}
    assert audience_counts({"states": ["voormalig"]}) == {"email": 1, "post": 0}


def test_500_recipients_each_get_it_exactly_once_from_a_real_worker(
        transactional_db, empty_queue, smtp_sink, wait_for, caregivers):
    """Through a real worker: one unsubscribes after preparing (skipped), one address gets a
    451 once (retried, then delivered), one a 550 (recorded as failed)."""
    from celery.contrib.testing.worker import start_worker

    from mantelzorg.celery import app
    from worker.tasks import send_newsletter

    people = caregivers(500)
    letter = NewsletterFactory()
    prepare_deliveries(letter)
    gone, busy, refused = people[10], people[20], people[30]
    Caregiver.objects.filter(pk=gone.pk).update(wants_newsletter=False)
    smtp_sink.temporary_failures[busy.email] = 1
    smtp_sink.refused.add(refused.email)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        send_newsletter.delay(letter.pk)
        send_newsletter.delay(letter.pk)  # sent twice by mistake: still once each
        wait_for(lambda: Newsletter.objects.get(pk=letter.pk).status == NewsletterStatus.SENT,
                 timeout=120, message="the newsletter to be sent")
    received = smtp_sink.count_to()
    assert set(received.values()) == {1}
    assert set(received) == {p.email for p in people} - {gone.email, refused.email}
    statuses = dict(Delivery.objects.filter(newsletter=letter).values_list(
        "caregiver_id", "status"))
    assert statuses[gone.pk] == DeliveryStatus.SKIPPED
    assert statuses[busy.pk] == DeliveryStatus.SENT
    assert statuses[refused.pk] == DeliveryStatus.FAILED
    assert Delivery.objects.get(caregiver=refused).error.startswith("550")
    assert list(statuses.values()).count(DeliveryStatus.SENT) == 498
    sample = smtp_sink.messages[0]
    assert sample["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = " ".join(sample["List-Unsubscribe"].split())  # long headers are folded
    assert unsubscribe.startswith("<http") and "/afmelden/" in unsubscribe


@pytest.mark.django_db
def test_unsubscribed_between_preparing_and_sending_is_skipped(smtp_sink, caregivers):
    anja, bert = caregivers(2)
    letter = NewsletterFactory()
    prepare_deliveries(letter)
    Caregiver.objects.filter(pk=bert.pk).update(wants_newsletter=False)
    assert send_chunk(letter.pk) == {"sent": 1, "failed": 0, "skipped": 1, "retry": 0}
    assert list(smtp_sink.count_to()) == [anja.email]
    assert Delivery.objects.get(caregiver=bert).status == DeliveryStatus.SKIPPED


@pytest.mark.django_db
def test_a_4xx_is_retried_and_then_delivered(smtp_sink, caregivers):
    (anja,) = caregivers(1)
    smtp_sink.temporary_failures[anja.email] = 1
    letter = NewsletterFactory()
    prepare_deliveries(letter)
    assert send_chunk(letter.pk)["retry"] == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.error.startswith("451")
    assert send_chunk(letter.pk)["sent"] == 1
    assert smtp_sink.count_to() == Counter({anja.email: 1})
    assert Newsletter.objects.get(pk=letter.pk).status == NewsletterStatus.SENT


@pytest.mark.django_db
def test_a_5xx_is_recorded_as_failed_with_the_reason(smtp_sink, caregivers):
    anja, bert = caregivers(2)
    smtp_sink.refused.add(bert.email)
    letter = NewsletterFactory()
    prepare_deliveries(letter)
    assert send_chunk(letter.pk) == {"sent": 1, "failed": 1, "skipped": 0, "retry": 0}
    failed = Delivery.objects.get(caregiver=bert)
    assert failed.status == DeliveryStatus.FAILED and "550" in failed.error


@pytest.mark.django_db
def test_preparing_twice_creates_no_extra_rows(caregivers):
    caregivers(3)
    letter = NewsletterFactory()
    assert prepare_deliveries(letter) == 3
    assert prepare_deliveries(letter) == 0
    assert Delivery.objects.count() == 3


@pytest.mark.django_db
def test_stuck_rows_return_to_waiting(caregivers):
    caregivers(2)
    letter = NewsletterFactory()
    prepare_deliveries(letter)
    Delivery.objects.update(status=DeliveryStatus.SENDING,
                            claimed_at=clock.now() - datetime.timedelta(hours=1))
    assert reap_stuck_deliveries() == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}


@pytest.mark.django_db
def test_send_at_poller_queues_due_newsletters_once(monkeypatch, settings):
    from worker import tasks

    queued = []
    monkeypatch.setattr(tasks.send_newsletter, "delay", lambda pk: queued.append(pk))
    due = NewsletterFactory(status=NewsletterStatus.SCHEDULED,
                            send_at=clock.now() - datetime.timedelta(minutes=1))
    NewsletterFactory(status=NewsletterStatus.SCHEDULED,
                      send_at=clock.now() + datetime.timedelta(hours=1))
    tasks.send_scheduled_newsletters()
    tasks.send_scheduled_newsletters()
    assert queued == [due.pk] * settings.NEWSLETTER_PARALLEL_SENDERS  # once, by all senders


@pytest.mark.django_db
def test_one_click_unsubscribe_without_login_or_page(client, caregivers):
    (anja,) = caregivers(1)
    path = unsubscribe_url(anja).split("localhost:8000")[1]
    page = client.get(path)
    assert "Stop de nieuwsbrief" in page.content.decode()
    anja.refresh_from_db()
    assert anja.wants_newsletter  # the page alone changes nothing
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response.content == b"OK"
    anja.refresh_from_db()
    assert not anja.wants_newsletter and anja.state == State.ACTIEF


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["x", "a" * 300, "1:abc:def", "<script>"])
def test_tampered_unsubscribe_tokens_are_refused(client, token, caregivers):
    (anja,) = caregivers(1)
    assert client.post(reverse("worker:unsubscribe", args=[token])).status_code in (400, 404)
    anja.refresh_from_db()
    assert anja.wants_newsletter


@pytest.mark.django_db
def test_the_newsletter_body_is_sanitised(smtp_sink, caregivers):
    caregivers(1)
    letter = NewsletterFactory()
    letter.body = "Hallo <script>alert(1)</script> [link](javascript:alert(1)) **vet**"
    letter.save()
    prepare_deliveries(letter)
    send_chunk(letter.pk)
    html = next(part for part in smtp_sink.messages[0].walk()
                if part.get_content_type() == "text/html").get_payload(decode=True).decode()
    assert "<script>" not in html and "javascript:" not in html
    assert "<strong>vet</strong>" in html


@pytest.mark.django_db
def test_post_recipients_get_it_in_a_print_batch(settings, tmp_path, caregivers):
    import subprocess

    from worker.models import Letter, LetterKind, LetterStatus
    from worker.services import create_print_batch, dispatch_queued_letters

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    caregivers(1)
    (gerda,) = caregivers(1, channel="post", email_confirmed_at=None)
    letter = NewsletterFactory(subject="Kerstinloop in De Roef")
    prepare_deliveries(letter)
    prepare_deliveries(letter)  # twice: still one letter
    postal = Letter.objects.get(kind=LetterKind.NEWSLETTER)
    assert postal.caregiver == gerda and postal.newsletter == letter
    dispatch_queued_letters()
    batch = create_print_batch()
    postal.refresh_from_db()
    assert postal.status == LetterStatus.TO_PRINT and postal.print_batch == batch
    text = subprocess.run(["pdftotext", batch.pdf.path, "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Kerstinloop in De Roef" in text and "Inloop" in text


@pytest.mark.django_db
def test_coordinators_get_one_digest_a_day_of_what_failed(caregivers):
    from django.core import mail

    from mantelzorg.services_staff import create_staff_user
    from worker.tasks import failed_deliveries_digest

    create_staff_user("kees", "een-lang-test-wachtwoord-42", "coordinator",
                      email="kees@example.org")
    create_staff_user("inge", "een-lang-test-wachtwoord-42", "consulent",
                      email="inge@example.org")
    assert failed_deliveries_digest() == 0  # nothing failed: no mail
    anja, bert = caregivers(2)
    letter = NewsletterFactory(subject="Nieuws van november")
    prepare_deliveries(letter)
    Delivery.objects.filter(caregiver=bert).update(status=DeliveryStatus.FAILED,
                                                   claimed_at=clock.now(), error="550 x")
    assert failed_deliveries_digest() == 1
    assert failed_deliveries_digest() == 0  # once a day
    assert [m.to for m in mail.outbox] == [["kees@example.org"]]
    body = mail.outbox[0].body
    assert 'Nieuwsbrief "Nieuws van november": 1 mislukt' in body
    assert bert.email not in body and "Persoon" not in body  # no personal data


@pytest.mark.django_db
def test_progress_starts_at_zero_before_preparing(caregivers):
    from worker.newsletters import progress

    caregivers(2)
    letter = NewsletterFactory(status=NewsletterStatus.SENDING)
    assert progress(letter)["percent"] == 0
    prepare_deliveries(letter)
    assert progress(letter)["percent"] == 0 and progress(letter)["pending"] == 2
