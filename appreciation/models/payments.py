"""Payment batches of the waardering: approved requests paid together (payouts.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .waardering import AppreciationYear, PayoutForm


class PaymentBatch(models.Model):
    """Approved requests paid together: one SEPA file (bank) or one voucher list.

    The export is rendered once and stored, so downloading it twice gives the same file
    with the same message id and end-to-end ids: a bank refuses a file it already took.
    """

    year = models.ForeignKey(AppreciationYear, on_delete=models.PROTECT,
                             related_name="payment_batches")
    payout_form = models.CharField(max_length=5, choices=PayoutForm.choices)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    request_count = models.PositiveIntegerField(default=0)
    total_cents = models.PositiveBigIntegerField(default=0)
    export = models.FileField(upload_to="payments/", blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("betaalronde")
        verbose_name_plural = _("betaalrondes")

    def __str__(self):
        return f"Betaalronde {self.pk}"

    @property
    def message_id(self) -> str:
        return f"MZW{self.year.year}B{self.pk:06d}"
