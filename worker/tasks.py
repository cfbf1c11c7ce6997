"""Celery tasks. Each task takes ids, re-reads state, and may safely run twice."""

from celery import shared_task
from django.db.models import F

from mantelzorg import clock

from .models import SchedulerBeat, WorkerPing


@shared_task(name="worker.ping")
def ping(ping_id: int) -> bool:
    """Mark a test ping as done. Idempotent: a ping already done is left as it was."""
    updated = WorkerPing.objects.filter(pk=ping_id, done_at__isnull=True).update(
        done_at=clock.now(), worker_hostname=ping.request.hostname or ""
    )
    return bool(updated)


@shared_task(name="worker.scheduler_heartbeat")
def scheduler_heartbeat(name: str = "heartbeat") -> None:
    """Record that beat scheduled us and a worker ran us; counting twice is harmless."""
    beat, created = SchedulerBeat.objects.get_or_create(
        name=name, defaults={"last_run_at": clock.now(), "runs": 1}
    )
    if not created:
        SchedulerBeat.objects.filter(pk=beat.pk).update(last_run_at=clock.now(),
                                                        runs=F("runs") + 1)
