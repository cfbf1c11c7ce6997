"""Forms of Mijn gegevens: asking for a link, contact details, reporting that care ended.

They reuse the registration form's fields and checks (registrations/forms.py), so a
caregiver gets the same messages here as when registering.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import languages
from core.fields import DutchDateField, LanguageRadioSelect, TextField, clean_email_address
from core.forms_language import KeepsInputOnLanguageSwitch
from core.phones import normalise_phone

from .models import CHANNEL_HINT, CHANNEL_HINT_YOUNG, CareEndReason, Channel


def _email_field(**kwargs):
    field = TextField(label=gettext_lazy("E-mailadres"), max_length=254, **kwargs)
    field.widget.input_type = "email"
    field.widget.attrs["autocomplete"] = "email"
    return field


class RequestLinkForm(KeepsInputOnLanguageSwitch, forms.Form):
    email = _email_field(
        help_text=gettext_lazy("Het e-mailadres dat u aan ons heeft gegeven."),
        error_messages={"required": gettext_lazy("Vul uw e-mailadres in.")})

    def clean_email(self):
        return clean_email_address(self.cleaned_data["email"])


class ContactDetailsForm(KeepsInputOnLanguageSwitch, forms.Form):
    """How we reach someone: the registration's contact step, without the target groups."""

    email = _email_field(required=False, help_text=gettext_lazy(
        "Verandert u uw e-mailadres? Dan sturen wij een mail naar het nieuwe adres. "
        "Klik op de link in die mail."))
    phone = TextField(label=gettext_lazy("Telefoonnummer"), max_length=30, required=False,
                      help_text=gettext_lazy("Bijvoorbeeld 0612345678."))
    channel = forms.ChoiceField(
        label=gettext_lazy("Hoe wilt u post van ons krijgen?"), choices=Channel.choices,
        widget=forms.RadioSelect, help_text=CHANNEL_HINT,
        error_messages={"required": gettext_lazy("Kies hoe u post wilt krijgen.")})
    wants_newsletter = forms.BooleanField(
        label=gettext_lazy("Ja, ik wil de nieuwsbrief krijgen (een paar keer per jaar)"),
        required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("In welke taal wilt u onze e-mails krijgen?"),
        choices=languages.CHOICES, widget=LanguageRadioSelect, required=False,
        help_text=gettext_lazy("Brieven zijn altijd in het Nederlands. Daarboven staat een "
                               "korte samenvatting in uw taal."),
        error_messages={"invalid_choice": gettext_lazy("Kies een taal uit de lijst.")})

    def __init__(self, *args, young=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.young = young
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        if young:  # a young caregiver reads "je" (registrations/context_processors.py)
            self.fields["email"].help_text = _(
                "Verander je je e-mailadres? Dan sturen wij een mail naar het nieuwe adres. "
                "Klik op de link in die mail.")
            self.fields["channel"].label = _("Hoe wil je post van ons krijgen?")
            self.fields["channel"].help_text = CHANNEL_HINT_YOUNG
            self.fields["channel"].error_messages["required"] = _(
                "Kies hoe je post wilt krijgen.")
            self.fields["language"].label = _("In welke taal wil je onze e-mails krijgen?")
            self.fields["language"].help_text = _(
                "Brieven zijn altijd in het Nederlands. Daarboven staat een korte samenvatting "
                "in jouw taal.")

    def clean_email(self):
        return clean_email_address(self.cleaned_data["email"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("channel") == Channel.EMAIL and "email" in cleaned
                and not cleaned["email"]):
            self.add_error("channel", _(
                "Je hebt geen e-mailadres ingevuld. Kies 'Per post', of vul je "
                "e-mailadres in.") if self.young else _(
                "U heeft geen e-mailadres ingevuld. Kies 'Per post', of vul uw "
                "e-mailadres in."))
        return cleaned


ALL_RECIPIENTS = "alle"


class CareEndedForm(KeepsInputOnLanguageSwitch, forms.Form):
    """When and why the care stopped; with more than one naaste, also for whom."""

    ended_on = DutchDateField(label=gettext_lazy("Op welke dag stopte de zorg?"),
                              help_text=gettext_lazy("Bijvoorbeeld 15-03-2025."))
    reason = forms.ChoiceField(
        label=gettext_lazy("Waarom stopte de zorg?"), choices=CareEndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies een reden.")})

    def __init__(self, *args, registered_on=None, recipients=(), young=False, **kwargs):
        self.registered_on, self.young = registered_on, young
        super().__init__(*args, **kwargs)
        if len(recipients) > 1:
            self.fields["recipient"] = forms.ChoiceField(
                label=gettext_lazy("Voor wie stopt de zorg?"), widget=forms.RadioSelect,
                choices=[(str(r.pk), r.name) for r in recipients]
                + [(ALL_RECIPIENTS, gettext_lazy("Voor al mijn naasten"))],
                error_messages={"required": gettext_lazy("Kies voor wie de zorg stopt."),
                                "invalid_choice": gettext_lazy("Kies voor wie de zorg stopt.")})
            self.order_fields(["recipient", "ended_on", "reason"])

    def clean_ended_on(self):
        day = self.cleaned_data["ended_on"]
        if self.registered_on and day < self.registered_on:
            words = (_("Deze datum ligt voor je inschrijving op %(day)s. Klopt dit niet? "
                       "Bel ons dan.") if self.young else
                     _("Deze datum ligt voor uw inschrijving op %(day)s. Klopt dit niet? "
                       "Bel ons dan."))
            raise forms.ValidationError(
                words % {"day": self.registered_on.strftime("%d-%m-%Y")},
                code="before_registration")
        return day
