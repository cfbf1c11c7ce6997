"""The people a caregiver cares for (naasten), and how: the care situation.

Care ends per naaste: the caregiver becomes a former caregiver when the care for the last
naaste ends (services_records.end_recipient_care). Health information only as a coarse
optional category, never as free text, and never in lists, logs or exports of staff.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CareEndReason(models.TextChoices):
    OVERLIJDEN = "overlijden", _("Mijn naaste is overleden")
    OPNAME = "opname", _("Mijn naaste woont nu in een zorginstelling")
    HERSTELD = "hersteld", _("Mijn naaste heeft geen zorg meer nodig")
    ANDERS = "anders", _("Een andere reden")


class Relationship(models.TextChoices):
    PARTNER = "partner", _("Partner")
    PARENT = "ouder", _("Ouder")
    CHILD = "kind", _("Kind")
    FAMILY = "familie", _("Ander familielid")
    FRIEND = "vriend", _("Vriend, vriendin of buur")
    OTHER = "anders", _("Iemand anders")


class CareKind(models.TextChoices):
    HOUSEHOLD = "huishouden", _("Huishouden, boodschappen of koken")
    PERSONAL = "verzorging", _("Wassen, aankleden of eten geven")
    SUPERVISION = "toezicht", _("Gezelschap, toezicht of begeleiding")
    TRANSPORT = "vervoer", _("Vervoer naar afspraken")
    PAPERWORK = "administratie", _("Geldzaken of post regelen")
    NURSING = "verpleging", _("Medicijnen of verpleging")
    OTHER = "anders", _("Iets anders")


class CareNeed(models.TextChoices):
    """Coarse and optional: enough to find the right support, never a diagnosis."""

    AGE = "ouderdom", _("Ouderdom")
    DEMENTIA = "dementie", _("Dementie of geheugenproblemen")
    PHYSICAL = "lichamelijk", _("Lichamelijke ziekte of beperking")
    MENTAL = "psychisch", _("Psychische problemen of verslaving")
    INTELLECTUAL = "verstandelijk", _("Verstandelijke beperking")
    OTHER = "anders", _("Iets anders")


class CareRecipient(models.Model):
    """Someone the caregiver cares for, and how (the care situation)."""

    caregiver = models.ForeignKey("registrations.Caregiver", on_delete=models.CASCADE,
                                  related_name="care_recipients")
    name = models.CharField(_("naam"), max_length=150)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    lives_in_municipality = models.BooleanField(_("woont in Harderwijk of Hierden"))
    relationship = models.CharField(_("relatie"), max_length=10, choices=Relationship.choices)
    care_kinds = models.JSONField(_("soort zorg"), default=list)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"))
    care_since = models.DateField(_("zorgt sinds"))
    living_together = models.BooleanField(_("woont samen met de mantelzorger"))
    care_need = models.CharField(_("waarom zorg nodig is"), max_length=14, blank=True,
                                 choices=CareNeed.choices)
    # Care ends per naaste; the caregiver becomes a former caregiver when the last one ends.
    care_ended_on = models.DateField(_("zorg gestopt op"), null=True, blank=True)
    care_end_reason = models.CharField(_("reden zorg gestopt"), max_length=12, blank=True,
                                       choices=CareEndReason.choices, default="",
                                       db_default="")
    # Moved into a care home while the caregiver goes on caring (visits, money matters).
    admitted_on = models.DateField(_("woont in een zorginstelling sinds"), null=True,
                                   blank=True)
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("naaste")
        verbose_name_plural = _("naasten")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours_per_week__lte=168),
                                   name="hours_per_week_fit_in_a_week"),
            models.CheckConstraint(
                condition=Q(care_ended_on__isnull=True, care_end_reason="")
                | (Q(care_ended_on__isnull=False) & ~Q(care_end_reason="")),
                name="recipient_end_of_care_has_date_and_reason"),
        ]

    def __str__(self):
        return self.name

    @property
    def cared_for(self) -> bool:
        """Care for this naaste goes on (not ended)."""
        return self.care_ended_on is None
