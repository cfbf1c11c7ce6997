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


class LetterKind(models.TextChoices):
    RETENTION_NOTICE = "einde_inschrijving", _("Bericht: inschrijving stopt over een maand")


class LetterStatus(models.TextChoices):
    QUEUED = "klaar", _("Klaar om te versturen")
    SENT = "verstuurd", _("Verstuurd")
    FAILED = "mislukt", _("Mislukt")
    CANCELLED = "vervallen", _("Vervallen")


class Letter(models.Model):
    """A letter or e-mail the Servicepunt owes a caregiver, queued until it is sent.

    `dedupe_key` makes creating the same letter twice impossible (e.g. the retention notice
    exists once per caregiver), whichever job or request tries.
    """

    kind = models.CharField(max_length=24, choices=LetterKind.choices)
    caregiver = models.ForeignKey("registrations.Caregiver", on_delete=models.CASCADE,
                                  related_name="letters")
    status = models.CharField(max_length=10, choices=LetterStatus.choices,
                              default=LetterStatus.QUEUED, db_index=True)
    dedupe_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
