"""What staff changed in a registration, with who, when, before and after.

State changes are django-fsm-log's (StateLog); corrections of details (a name, an address,
a naaste) are recorded here, one row per save, and the caregiver's timeline shows both.
The values are personal data: erasure deletes these rows (retention.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock


class ChangeKind(models.TextChoices):
    DETAILS = "gegevens", _("Gegevens aangepast")
    RECIPIENT_ADDED = "naaste_nieuw", _("Naaste toegevoegd")
    RECIPIENT_CHANGED = "naaste", _("Naaste aangepast")
    RECIPIENT_ENDED = "naaste_gestopt", _("Zorg voor naaste gestopt")
    RECIPIENT_ADMITTED = "naaste_opname", _("Naaste opgenomen, zorg gaat door")
    DUPLICATE_SUSPECTED = "dubbel", _("Mogelijk dubbel: wacht op controle")
    DUPLICATE_RESOLVED = "geen_dubbel", _("Gecontroleerd: een andere persoon")


class RecordChange(models.Model):
    """One correction: `changes` is a list of [field label, before, after] (text)."""

    caregiver = models.ForeignKey("registrations.Caregiver", on_delete=models.CASCADE,
                                  related_name="changes")
    recipient = models.ForeignKey("registrations.CareRecipient", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    changes = models.JSONField(default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["caregiver", "-at"])]
