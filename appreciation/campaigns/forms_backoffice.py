"""Forms for the back-office campaign pages: the desk search, cancelling, and loading or
making codes (coordinators).

The codes file is read here, not in a view: too big, not UTF-8 text, or a binary file gets
one plain message; wrong lines get their line numbers (from `campaigns.parse_codes`) and then
nothing is added.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.fields import DutchDateField, TextField
from core.uploads import LineCheckedUploadForm, csv_file_field, read_text_upload

from . import services as campaigns

MAX_GENERATE = 5000
TOO_LONG = _("Gebruik hoogstens %(limit_value)d tekens (u gebruikte er %(show_value)d).")


class DeskSearchForm(forms.Form):
    """Find a registered caregiver at the desk: by name (or postcode), date of birth, or
    both."""

    q = TextField(label=_("Naam of postcode"), max_length=100, required=False,
                  error_messages={"max_length": TOO_LONG})
    geboortedatum = DutchDateField(label=_("Geboortedatum"), required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("q") and not data.get("geboortedatum"):
            raise forms.ValidationError(
                _("Vul een naam, een postcode of een geboortedatum in."), code="empty")
        return data


class DeskAskForm(forms.Form):
    """The caregiver chosen from the search results (the view looks the id up)."""

    caregiver = forms.IntegerField(min_value=1, max_value=2**31 - 1,
                                   widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = TextField(
        label=_("Reden"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: de mantelzorger heeft gebeld dat het niet nodig is."),
        error_messages={"required": _("Schrijf kort op waarom u annuleert."),
                        "max_length": TOO_LONG})


class UploadCodesForm(LineCheckedUploadForm):
    """The supplier's list of codes for one campaign. Refused whole, with the wrong lines
    named: a code twice, a code another campaign already has, a wrong character; empty
    lines are skipped. A campaign of physical cards takes no codes."""

    prefix = "laden"
    file = csv_file_field(
        _("Bestand met codes (CSV)"),
        _("Eén code per regel, in de eerste kolom. Een kopregel 'code' mag. Hoogstens 1 MB."))

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_file(self):
        """The codes in the file, or a message; `cleaned_data["codes"]` holds the codes."""
        upload = self.cleaned_data["file"]
        if self.campaign is not None and self.campaign.physical:
            raise forms.ValidationError(_(
                "Deze campagne werkt met fysieke kaarten. Daar horen geen codes bij."),
                code="physical")
        text = read_text_upload(upload)
        try:
            codes = campaigns.parse_codes(text)
            taken = campaigns.codes_elsewhere(self.campaign, codes) if self.campaign else {}
            if taken:
                campaigns.parse_codes(text, taken=taken)  # raises, with the lines named
        except campaigns.CodesRefused as refused:
            n = len(refused.errors)
            raise self.refuse_lines(refused.errors, ngettext(
                "%(n)s regel klopt niet. Er is niets toegevoegd. Verbeter de regel hieronder "
                "en laad het hele bestand opnieuw.",
                "%(n)s regels kloppen niet. Er is niets toegevoegd. Verbeter de regels "
                "hieronder en laad het hele bestand opnieuw.", n) % {"n": n}) from None
        if not codes:
            raise forms.ValidationError(_("Er staan geen codes in het bestand."),
                                        code="no_codes")
        self.cleaned_data["codes"] = codes
        return upload


class GenerateCodesForm(forms.Form):
    """Only for a campaign with "eigen codes" (the view shows the service's refusal next
    to the field otherwise)."""

    prefix = "maken"
    count = forms.IntegerField(
        label=_("Aantal codes"), min_value=1, max_value=MAX_GENERATE,
        help_text=_("Bijvoorbeeld het aantal kaartjes dat het zwembad geeft."),
        error_messages={"required": _("Vul een aantal in."),
                        "invalid": _("Vul een heel getal in."),
                        "min_value": _("Vul een aantal van 1 of meer in."),
                        "max_value": _("Maak hoogstens %(limit_value)s codes tegelijk.")})
