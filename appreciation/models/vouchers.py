"""Voucher codes for a year that gives young caregivers (or adults) a voucher.

The codes come from the supplier of the vouchers: a coordinator uploads their list. The
product never invents a code a shop will not accept. Approving a voucher request takes one
free code (row lock, SKIP LOCKED), so a code is given once; a request approved while no code
is free gets one when the next list is uploaded.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_VOUCHER_CODE_LENGTH = 40


class WaarderingVoucherCode(models.Model):
    """One voucher's code of one year. Free while `request` is empty."""

    year = models.ForeignKey("appreciation.AppreciationYear", on_delete=models.PROTECT,
                             related_name="voucher_codes", verbose_name=_("jaar"))
    code = models.CharField(_("boncode"), max_length=MAX_VOUCHER_CODE_LENGTH, unique=True)
    request = models.OneToOneField("appreciation.AppreciationRequest", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="voucher",
                                   verbose_name=_("aanvraag"))
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("boncode waardering")
        verbose_name_plural = _("boncodes waardering")
        constraints = [
            models.CheckConstraint(condition=Q(request__isnull=True)
                                   | Q(assigned_at__isnull=False),
                                   name="waardering_voucher_assigned_has_date"),
        ]
        indexes = [models.Index(fields=["year", "id"], condition=Q(request__isnull=True),
                                name="waardering_free_vouchers")]

    def __str__(self):
        return self.code
