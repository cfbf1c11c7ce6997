"""Reference data a coordinator edits: wijken, the postcode→wijk table and the rules.

The postcode→wijk table is data, not code: no public table exists offline, and wijk
boundaries change. A postcode that matches no range belongs to no wijk ("onbekend").
"""


from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.postcodes import (  # noqa: F401  (re-exported for the migrations)
    POSTCODE_RE,
    format_postcode,
    normalise_postcode,
    validate_postcode,
)


class District(models.Model):
    """A wijk of the municipality (CBS wijk), used for reports and mailing filters."""

    cbs_code = models.CharField(_("CBS-code"), max_length=8, unique=True)
    name = models.CharField(_("naam"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")

    def __str__(self):
        return self.name


class PostcodeRangeQuerySet(models.QuerySet):
    def district_for(self, postcode: str):
        """The wijk of a postcode, or None for 'onbekend'. The narrowest range wins."""
        code = normalise_postcode(postcode)
        if not POSTCODE_RE.match(code):
            return None
        match = (self.filter(first__lte=code, last__gte=code).select_related("district")
                 .narrowest_first().first())
        return match.district if match else None

    def narrowest_first(self):
        """Where ranges lie inside each other, the narrowest (e.g. one street) wins."""
        return self.order_by("last", "-first")


class PostcodeRange(models.Model):
    """All 6-position postcodes from `first` to `last` (inclusive) lie in `district`."""

    first = models.CharField(_("van postcode"), max_length=6, validators=[validate_postcode])
    last = models.CharField(_("tot en met postcode"), max_length=6,
                            validators=[validate_postcode])
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="postcodes",
                                 verbose_name=_("wijk"))

    objects = PostcodeRangeQuerySet.as_manager()

    class Meta:
        ordering = ["first"]
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")
        constraints = [
            models.CheckConstraint(condition=Q(first__lte=models.F("last")),
                                   name="postcode_range_ordered"),
        ]

    def __str__(self):
        return f"{self.first}–{self.last}: {self.district}"

    def clean(self):
        self.first = normalise_postcode(self.first)
        self.last = normalise_postcode(self.last)
        if self.first and self.last and self.first > self.last:
            raise ValidationError({"last": _("De laatste postcode moet na de eerste komen.")})


class RegistrationRules(models.Model):
    """Ages and retention periods. One row; coordinators change it in Beheer."""

    young_max_age = models.PositiveSmallIntegerField(
        _("jonge mantelzorger tot en met leeftijd"), default=24,
        validators=[MinValueValidator(12), MaxValueValidator(30)])
    guardian_consent_below_age = models.PositiveSmallIntegerField(
        _("toestemming ouder nodig onder leeftijd"), default=16,
        validators=[MinValueValidator(12), MaxValueValidator(18)])
    minimum_age = models.PositiveSmallIntegerField(
        _("minimumleeftijd om je aan te melden"), default=8,
        validators=[MinValueValidator(4), MaxValueValidator(18)])
    former_retention_months = models.PositiveSmallIntegerField(
        _("voormalig mantelzorger blijft ingeschreven (maanden)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)])
    end_notice_days = models.PositiveSmallIntegerField(
        _("bericht vooraf over einde inschrijving (dagen)"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)])
    erasure_grace_days = models.PositiveSmallIntegerField(
        _("gegevens wissen na einde inschrijving (dagen)"), default=30,
        validators=[MinValueValidator(0), MaxValueValidator(365)])
    unconfirmed_expiry_days = models.PositiveSmallIntegerField(
        _("onbevestigde aanmelding vervalt na (dagen)"), default=60,
        validators=[MinValueValidator(7), MaxValueValidator(365)])
    link_valid_minutes = models.PositiveSmallIntegerField(
        _("inloglink geldig (minuten)"), default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)])

    class Meta:
        verbose_name = _("regels voor inschrijving")
        verbose_name_plural = _("regels voor inschrijving")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="registration_rules_single")]

    def __str__(self):
        return str(_("Regels voor inschrijving"))

    @classmethod
    def current(cls) -> "RegistrationRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules
