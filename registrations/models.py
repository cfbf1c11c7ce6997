"""Caregivers and where they live.

The postcode→wijk table is data a coordinator edits: no public table exists offline, and
wijk boundaries change. A postcode that matches no range belongs to no wijk ("onbekend").
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


def normalise_postcode(value: str) -> str:
    """'3841 ab' → '3841AB': how postcodes are stored and compared."""
    return re.sub(r"\s+", "", value or "").upper()


def validate_postcode(value: str):
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError(_("Vul een postcode in zoals 3841 AB."), code="postcode")


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
        """The wijk of a postcode, or None for 'onbekend'. Narrowest range wins."""
        code = normalise_postcode(postcode)
        if not POSTCODE_RE.match(code):
            return None
        match = (
            self.filter(first__lte=code, last__gte=code)
            .select_related("district")
            .order_by("last", "-first")
            .first()
        )
        return match.district if match else None


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


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    NONE = "none", _("Liever geen post of e-mail")


class Caregiver(models.Model):
    """A mantelzorger known to the Servicepunt. No BSN: nothing here needs it."""

    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150)
    date_of_birth = models.DateField(_("geboortedatum"))
    street = models.CharField(_("straat"), max_length=150, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=12)
    postcode = models.CharField(_("postcode"), max_length=6, validators=[validate_postcode])
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="caregivers", verbose_name=_("wijk"))
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    channel = models.CharField(_("hoe wilt u post ontvangen"), max_length=8,
                               choices=Channel.choices, default=Channel.EMAIL)
    wants_newsletter = models.BooleanField(_("wil de nieuwsbrief"), default=True)
    registered_on = models.DateField(_("ingeschreven op"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("mantelzorger")
        verbose_name_plural = _("mantelzorgers")
        indexes = [models.Index(fields=["date_of_birth", "postcode", "house_number"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)
