"""The coordinator's form for the Servicepunt's contact details (worker/contact.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import TextField, clean_email_address
from core.phones import normalise_phone


def _text(label, max_length, *, required=True, help_text="", textarea=False, required_msg=""):
    return TextField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}) if textarea else None,
        error_messages={
            "required": required_msg,
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens.")})


class ContactForm(forms.Form):
    phone = forms.CharField(
        label=_("Telefoonnummer"), max_length=40,
        help_text=_("Zoals 0341 123 456. Dit nummer staat onder elke pagina en in elke brief."),
        error_messages={"required": _("Vul het telefoonnummer van het Servicepunt in."),
                        "max_length": _("Vul een telefoonnummer in van 10 cijfers, "
                                        "zoals 0341123456.")})
    email = forms.CharField(
        label=_("E-mailadres"), max_length=254,
        error_messages={"required": _("Vul het e-mailadres van het Servicepunt in."),
                        "max_length": _("Dit e-mailadres is te lang.")})
    postal_address = _text(_("Postadres"), 100, help_text=_("Zoals Postbus 123. Dit staat "
                           "als afzender op elke brief."),
                           required_msg=_("Vul het postadres in."))
    postal_postcode_city = _text(_("Postcode en plaats van het postadres"), 100,
                                 help_text=_("Zoals 3840 AC Harderwijk."),
                                 required_msg=_("Vul de postcode en plaats in."))
    visiting_address = _text(_("Bezoekadres"), 200,
                             help_text=_("Waar mensen langs kunnen komen. Zoals "
                                         "Stationsplein 1, 3844 KR Harderwijk."),
                             required_msg=_("Vul het bezoekadres in."))
    opening_hours = _text(_("Openingstijden"), 200, textarea=True,
                          help_text=_("Wanneer mensen kunnen bellen of langskomen."),
                          required_msg=_("Vul de openingstijden in."))
    walk_in = _text(_("Inloopspreekuur"), 200, required=False, textarea=True,
                    help_text=_("Wanneer mensen zonder afspraak kunnen langskomen. Leeg: "
                                "er is geen inloopspreekuur."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_email(self):
        return clean_email_address(self.cleaned_data["email"])

    def clean(self):
        """A missing or tampered version is no field a person can fix: one message on top."""
        if "version" in self.errors:
            del self.errors["version"]
            raise forms.ValidationError(_("Dit formulier is niet compleet aangekomen. Open de "
                                          "pagina opnieuw en probeer het nog eens."))
        return super().clean()
