"""The short public form for a campaign (/zwemkaartjes): who are you, so we can find your
registration. Only the three things `registrations.selectors.find_caregiver` matches on;
the checks are the registration form's own (postcode, house number, a date typed as
dd-mm-jjjj)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import DutchDateField, TextField
from core.forms_language import KeepsInputOnLanguageSwitch
from registrations.forms_public import AboutMeForm


class CampaignLookupForm(KeepsInputOnLanguageSwitch, forms.Form):
    """Date of birth + postcode + house number, cleaned exactly as at registration."""

    date_of_birth = DutchDateField(label=_("Uw geboortedatum"),
                                   help_text=_("Bijvoorbeeld 15-03-1958."))
    postcode = TextField(label=_("Uw postcode"), max_length=10,
                         help_text=_("Bijvoorbeeld 3841 AB."),
                         error_messages={"required": _("Vul uw postcode in."),
                                         "max_length": _("Vul een postcode in zoals 3841 AB.")})
    house_number = TextField(label=_("Uw huisnummer"), max_length=12,
                             help_text=_("Met toevoeging als die er is, bijvoorbeeld 12a."),
                             error_messages={"required": _("Vul uw huisnummer in."),
                                             "max_length": _(
                                                 "Vul een huisnummer in, zoals 12 of 12a.")})

    # The registration form's checks, reused: they only read cleaned_data of the same name.
    clean_postcode = AboutMeForm.clean_postcode
    clean_house_number = AboutMeForm.clean_house_number

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].widget.attrs["autocomplete"] = "bday"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
