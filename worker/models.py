"""Proof that the background machinery runs: pings from the web and the scheduler's beats."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerPing(models.Model):
    """A test task queued from the back office; the worker fills in when and where it ran."""

    requested_by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    worker_hostname = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("testtaak")
        verbose_name_plural = _("testtaken")


class SchedulerBeat(models.Model):
    """One row, touched by a scheduled task, so staff can see the scheduler is alive."""

    name = models.CharField(max_length=50, unique=True)
    last_run_at = models.DateTimeField()
    runs = models.PositiveIntegerField(default=0)
