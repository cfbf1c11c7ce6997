"""The invitation to ask again: who received the waardering last year is invited, once per
year, when the new window opens, to confirm a prefilled request in one step.

The link's code is derived from a random nonce with the secret key (as the confirmation
code is), so the letter prints it when it is rendered while the database keeps only the nonce
and a keyed hash to find the invitation by. It works once (`used_at`), until the window
closes, and only while the registration runs.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RenewalInvitation(models.Model):
    year = models.ForeignKey("appreciation.AppreciationYear", on_delete=models.CASCADE,
                             related_name="renewal_invitations", verbose_name=_("jaar"))
    caregiver = models.ForeignKey("registrations.Caregiver", on_delete=models.CASCADE,
                                  related_name="renewal_invitations",
                                  verbose_name=_("mantelzorger"))
    # Last year's request the new one copies (naaste, hours, since when, account).
    previous = models.ForeignKey("appreciation.AppreciationRequest", on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("aanvraag vorig jaar"))
    nonce = models.CharField(max_length=64, editable=False)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    # One key per invitation: pressing the button twice stores one request.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    request = models.OneToOneField("appreciation.AppreciationRequest", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="renewal_invitation",
                                   verbose_name=_("nieuwe aanvraag"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("uitnodiging opnieuw aanvragen")
        verbose_name_plural = _("uitnodigingen opnieuw aanvragen")
        constraints = [
            models.UniqueConstraint(fields=["year", "caregiver"],
                                    name="one_renewal_invitation_per_caregiver_per_year"),
            models.CheckConstraint(condition=Q(request__isnull=True) | Q(used_at__isnull=False),
                                   name="renewal_used_has_date"),
        ]

    def __str__(self):
        return f"Uitnodiging {self.year_id} #{self.pk}"
