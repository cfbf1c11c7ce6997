"""Staff accounts that sign in through the organisation's provider (staff SSO), and that
sign-in's settings as a coordinator keeps them in Beheer.

The provider names a person by `sub` within its `iss`: that pair, not the e-mail address or
the name, ties a sign-in to one account, so a renamed colleague stays the same account and
nobody takes over a local account by putting its address in their profile.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffIdentity(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="sso_identity")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"],
                                               name="one_account_per_sso_subject")]

    def __str__(self):
        return f"{self.user} ({self.issuer})"


def _names(text: str) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


class StaffSignInSettings(models.Model):
    """Staff single sign-on as a coordinator sets it in Beheer (one row). While "aan" is off,
    or there is no row, the environment's STAFF_SSO_* settings apply. The client secret is
    never stored here: it comes from STAFF_SSO_CLIENT_SECRET in the environment only."""

    use_sso = models.BooleanField(_("inloggen via de organisatie aan"), default=False)
    issuer = models.URLField(_("issuer (adres van de inlogdienst)"), blank=True, help_text=_(
        "Bijvoorbeeld https://login.microsoftonline.com/<tenant>/v2.0. De inlogdienst moet "
        "<issuer>/.well-known/openid-configuration hebben."))
    client_id = models.CharField(_("client-id"), max_length=255, blank=True)
    scopes = models.CharField(_("scopes"), max_length=255,
                              default="openid profile email groups")
    groups_claim = models.CharField(_("claim met de groepen"), max_length=100,
                                    default="groups")
    consulent_groups = models.CharField(_("groepen voor consulenten"), max_length=500,
                                        blank=True, help_text=_("Komma's tussen de groepen."))
    coordinator_groups = models.CharField(_("groepen voor coördinatoren"), max_length=500,
                                          blank=True, help_text=_("Komma's tussen de groepen."))
    acr_values = models.CharField(_("acr-waarden voor twee stappen"), max_length=500,
                                  blank=True, help_text=_("Komma's tussen de waarden."))
    amr_values = models.CharField(_("amr-waarden voor twee stappen"), max_length=500,
                                  blank=True, help_text=_("Bijvoorbeeld otp,mfa,hwk."))

    class Meta:
        verbose_name = _("inloggen via de organisatie")
        verbose_name_plural = _("inloggen via de organisatie")

    def __str__(self):
        return str(self._meta.verbose_name)

    def clean(self):
        if not self.use_sso:
            return
        if not self.issuer or not self.client_id:
            raise ValidationError(_("Vul de issuer en de client-id in."))
        if not (_names(self.acr_values) or _names(self.amr_values)):
            raise ValidationError(_(
                "Vul acr- of amr-waarden in: zonder bewijs van twee stappen bij de "
                "organisatie slaan medewerkers de code niet over."))
        if not (_names(self.consulent_groups) or _names(self.coordinator_groups)):
            raise ValidationError(_("Vul minstens één groep in."))

    def as_config(self, *, client_secret: str, demo: bool) -> dict:
        """The same shape as settings.STAFF_SSO."""
        return {
            "issuer": self.issuer,
            "client_id": self.client_id, "client_secret": client_secret,
            "scopes": self.scopes, "groups_claim": self.groups_claim,
            "consulent_groups": _names(self.consulent_groups),
            "coordinator_groups": _names(self.coordinator_groups),
            "acr_values": _names(self.acr_values), "amr_values": _names(self.amr_values),
            "demo": demo,
        }
