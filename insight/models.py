"""Insight and care for caregivers: the burden self-check, contact moments, follow-up tasks.

The self-check is optional and short (statements in `burden.py`, scored); a high score puts
the caregiver on a consulent's follow-up list. Contact moments record calls, visits and
meetings with a short outcome, never a diagnosis. After care ended because the loved one
died, follow-up contacts are proposed on the consulent's task list. The annual figures are
read from the other apps' tables in `reports.py` (anonymous rows survive erasure).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import clock
from registrations.burden import CheckContext


def validate_day_list(value: str) -> None:
    from django.core.exceptions import ValidationError

    parts = [part.strip() for part in (value or "").split(",")]
    if not all(part.isdigit() and 0 < int(part) <= 3650 for part in parts if part):
        raise ValidationError(_("Schrijf aantallen dagen met komma's ertussen, zoals "
                                "42, 182, 548."))


class InsightRules(models.Model):
    """Thresholds and terms; one row, edited by coordinators in Beheer."""

    heavy_from_score = models.PositiveSmallIntegerField(
        _("zwaar belast vanaf score"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
        help_text=_("De score loopt van 0 tot 15 (5 uitspraken, 0 tot 3 punten)."))
    call_back_within_days = models.PositiveSmallIntegerField(
        _("terugbellen binnen (dagen)"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)])
    offer_check_every_months = models.PositiveSmallIntegerField(
        _("zelftest opnieuw aanbieden na (maanden)"), default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)])
    aftercare_days = models.CharField(
        _("nazorg na overlijden: contact na (dagen)"), max_length=60, default="42, 182, 548",
        validators=[validate_day_list],
        help_text=_("Bijvoorbeeld 42, 182, 548: na 6 weken, 6 maanden en 18 maanden."))

    class Meta:
        verbose_name = _("instellingen inzicht en nazorg")
        verbose_name_plural = _("instellingen inzicht en nazorg")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "InsightRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules

    def aftercare_offsets(self) -> list[int]:
        return sorted({int(part) for part in self.aftercare_days.split(",")
                       if part.strip().isdigit() and int(part) > 0})


class BurdenCheck(models.Model):
    """One filled-in self-check. Kept after erasure without its link's personal data: the
    yearly indicator (share heavily burdened, with n) needs the scores."""

    caregiver = models.ForeignKey("registrations.Caregiver", on_delete=models.CASCADE,
                                  related_name="burden_checks")
    answered_at = models.DateTimeField(default=clock.now)
    context = models.CharField(max_length=14, choices=CheckContext.choices)
    statements_version = models.CharField(max_length=10)
    answers = models.JSONField()
    score = models.PositiveSmallIntegerField()
    heavy = models.BooleanField()

    class Meta:
        ordering = ["-answered_at"]
        indexes = [models.Index(fields=["answered_at", "caregiver"])]


class ContactKind(models.TextChoices):
    PHONE = "telefoon", _("Telefoongesprek")
    HOME_VISIT = "huisbezoek", _("Huisbezoek")
    MEETING = "gesprek", _("Gesprek op het Servicepunt")
    OTHER = "anders", _("Ander contact")


class ContactMoment(models.Model):
    """A call, visit or meeting with a caregiver: when, what kind, a short outcome."""

    caregiver = models.ForeignKey("registrations.Caregiver", on_delete=models.CASCADE,
                                  related_name="contact_moments")
    on = models.DateField(_("datum"))
    kind = models.CharField(_("soort contact"), max_length=10, choices=ContactKind.choices)
    preventive = models.BooleanField(
        _("preventief huisbezoek"), default=False,
        help_text=_("Telt mee voor de indicator van de gemeente."))
    outcome = models.CharField(_("uitkomst in het kort"), max_length=300, blank=True,
                               help_text=_("Wat is afgesproken. Geen diagnose of medische "
                                           "gegevens."))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["on", "kind"])]
        constraints = [
            models.CheckConstraint(condition=~Q(preventive=True) | Q(kind="huisbezoek"),
                                   name="preventive_contact_is_a_home_visit"),
        ]


class TaskKind(models.TextChoices):
    BURDEN = "overbelasting", _("Terugbellen: zwaar belast")
    AFTERCARE = "nazorg", _("Nazorg na overlijden")


class FollowUpTask(models.Model):
    """Something a consulent should do for a caregiver by a date: done with a contact
    moment, or cancelled with a reason (e.g. care resumed)."""

    caregiver = models.ForeignKey("registrations.Caregiver", on_delete=models.CASCADE,
                                  related_name="follow_up_tasks")
    kind = models.CharField(_("soort"), max_length=14, choices=TaskKind.choices)
    due_on = models.DateField(_("uiterlijk"))
    created_at = models.DateTimeField(default=clock.now)
    burden_check = models.ForeignKey(BurdenCheck, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    contact_moment = models.OneToOneField(ContactMoment, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="task")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["due_on"], condition=Q(done_at__isnull=True,
                                                             cancelled_at__isnull=True),
                                name="open_tasks_by_due_date")]
        constraints = [
            # One open call-back per caregiver, however often a high score comes in.
            models.UniqueConstraint(fields=["caregiver"],
                                    condition=Q(kind="overbelasting", done_at__isnull=True,
                                                cancelled_at__isnull=True),
                                    name="one_open_burden_task"),
            models.UniqueConstraint(fields=["caregiver", "kind", "due_on"],
                                    name="one_task_per_kind_and_day"),
            models.CheckConstraint(condition=Q(done_at__isnull=True)
                                   | Q(cancelled_at__isnull=True),
                                   name="task_done_or_cancelled_not_both"),
        ]

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None
