"""The yearly mantelzorgwaardering: its rules per year (requests and payouts follow).

Every number is a setting a coordinator edits per year: amounts and payout form per age
group, minimum hours and duration of care, the application window, caps and the budget.
Once payouts are made a year is frozen; the next year starts as a copy of the last.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PayoutForm(models.TextChoices):
    BANK = "bank", _("Geld op de bankrekening")
    VOUCHER = "bon", _("Cadeaubon of activiteit")


class AppreciationYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("jaar"), unique=True, validators=[MinValueValidator(2020), MaxValueValidator(2100)])
    amount_adult_cents = models.PositiveIntegerField(_("bedrag volwassenen (centen)"),
                                                     default=7500)
    payout_adult = models.CharField(_("uitbetaling volwassenen"), max_length=5,
                                    choices=PayoutForm.choices, default=PayoutForm.BANK)
    amount_young_cents = models.PositiveIntegerField(_("bedrag jonge mantelzorgers (centen)"),
                                                     default=7500)
    payout_young = models.CharField(_("uitbetaling jonge mantelzorgers"), max_length=5,
                                    choices=PayoutForm.choices, default=PayoutForm.VOUCHER)
    min_hours_per_week = models.PositiveSmallIntegerField(
        _("minimaal uren zorg per week"), default=8, validators=[MaxValueValidator(168)])
    min_months_of_care = models.PositiveSmallIntegerField(
        _("minimaal maanden zorg"), default=3, validators=[MaxValueValidator(120)])
    window_opens = models.DateField(_("aanvragen vanaf"))
    window_closes = models.DateField(_("aanvragen tot en met"))
    max_per_recipient = models.PositiveSmallIntegerField(
        _("hoogstens zoveel per naaste"), null=True, blank=True,
        help_text=_("Leeg: geen grens."))
    max_per_address = models.PositiveSmallIntegerField(
        _("hoogstens zoveel per adres"), null=True, blank=True,
        help_text=_("Leeg: geen grens."))
    budget_cents = models.PositiveBigIntegerField(_("budget (centen)"), default=10_000_000)
    payouts_made_at = models.DateTimeField(_("uitbetaald op"), null=True, blank=True,
                                           editable=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("waarderingsjaar")
        verbose_name_plural = _("waarderingsjaren")
        constraints = [
            models.CheckConstraint(condition=Q(window_opens__lte=models.F("window_closes")),
                                   name="appreciation_window_ordered"),
        ]

    def __str__(self):
        return str(self.year)

    @property
    def locked(self) -> bool:
        return self.payouts_made_at is not None

    def clean(self):
        if self.window_opens and self.window_closes:
            if self.window_opens > self.window_closes:
                raise ValidationError({"window_closes": _(
                    "De sluitingsdatum moet na de openingsdatum liggen.")})
            if self.year and self.window_opens.year != self.year:
                raise ValidationError({"window_opens": _(
                    "De aanvraagperiode moet in het jaar zelf beginnen.")})

    def is_open(self, day) -> bool:
        return self.window_opens <= day <= self.window_closes
