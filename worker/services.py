"""Writes for the worker app."""

from django.db import transaction

from .models import WorkerPing
from .tasks import ping


def queue_test_ping(user) -> WorkerPing:
    """Store a ping and queue it for the worker once the row is committed."""
    with transaction.atomic():
        record = WorkerPing.objects.create(requested_by=user)
        transaction.on_commit(lambda: ping.delay(record.pk))
    return record
