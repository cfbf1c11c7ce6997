"""A real Celery worker on Redis runs what the web queues, after the transaction commits."""

import pytest
from django.urls import reverse

from worker.models import WorkerPing
from worker.services import queue_test_ping


def test_broker_is_redis_in_tests(settings):
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL


def test_a_queued_task_is_run_by_the_worker(real_worker, wait_for):
    record = queue_test_ping(user=None)
    record = wait_for(
        lambda: WorkerPing.objects.filter(pk=record.pk, done_at__isnull=False).first(),
        timeout=30, message="the worker to run the ping")
    assert record.worker_hostname


def test_running_a_ping_twice_changes_nothing(real_worker, wait_for):
    from worker.tasks import ping

    record = queue_test_ping(user=None)
    wait_for(lambda: WorkerPing.objects.get(pk=record.pk).done_at, message="first run")
    first = WorkerPing.objects.get(pk=record.pk)
    assert ping.apply(args=[record.pk]).get() is False
    assert WorkerPing.objects.get(pk=record.pk).done_at == first.done_at


def test_nothing_is_queued_when_the_transaction_rolls_back(transactional_db, monkeypatch):
    from django.db import transaction

    from worker import tasks

    sent = []
    monkeypatch.setattr(tasks.ping, "delay", lambda *a: sent.append(a))
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            queue_test_ping(user=None)
            raise RuntimeError("boom")
    assert sent == []
    assert not WorkerPing.objects.exists()


def test_coordinator_queues_a_task_from_the_web_and_sees_it_done(real_worker, client, totp_now,
                                                                 wait_for):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mantelzorg.services_staff import create_staff_user

    user = create_staff_user("coord", "een-lang-test-wachtwoord-42", "coordinator")
    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    client.post(reverse("mantelzorg:staff_login"),
                {"username": "coord", "password": "een-lang-test-wachtwoord-42"})
    client.post(reverse("mantelzorg:staff_verify"), {"token": totp_now(device)})
    response = client.post(reverse("worker:send_test_ping"), follow=True)
    assert "De testtaak staat klaar" in response.content.decode()
    wait_for(lambda: WorkerPing.objects.filter(done_at__isnull=False, requested_by=user).exists(),
             message="the worker to run the ping queued from the web")
    page = client.get(reverse("worker:system")).content.decode()
    assert "Nog niet" not in page
