"""Forms for requesting the waardering: online step by step, and a consulent's paper entry.

The same forms serve both: the online wizard shows one per screen, the consulent's page
shows them together (with prefixes). They refuse what a person can check themselves (too
few hours, too short, the naaste lives elsewhere, a wrong IBAN) with a message next to the
field, using this year's rules; `submission.submit_request` checks again when storing.
"""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from core import clock
from core.dates import add_months
from core.fields import DutchDateField, TextField, YesNoField, clean_email_address
from core.forms_language import KeepsInputOnLanguageSwitch
from core.phones import normalise_phone
from core.postcodes import clean_house_number, clean_postcode
from registrations.forms_public import AboutMeForm
from registrations.models import RegistrationRules, Relationship

from ..models import AgeGroup, AppreciationYear, PayoutForm


def format_postcode(postcode: str) -> str:
    """'3845AB' → '3845 AB'."""
    return f"{postcode[:4]} {postcode[4:]}".strip()


def format_iban(iban: str) -> str:
    """'NL91ABNA0417164300' → 'NL91 ABNA 0417 1643 00'."""
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def age_group_for(date_of_birth: datetime.date | None) -> str:
    """Young up to and including the registration rules' young_max_age."""
    if date_of_birth is None:
        return AgeGroup.ADULT
    young_max = RegistrationRules.current().young_max_age
    young = clock.age_on(date_of_birth, clock.today()) <= young_max
    return AgeGroup.YOUNG if young else AgeGroup.ADULT


class CaregiverDetailsForm(AboutMeForm):
    """The caregiver: the registration's 'about me', so we match or register them."""


class RequesterForm(KeepsInputOnLanguageSwitch, forms.Form):
    """Someone asks on the caregiver's behalf: who they are, so a consulent can call back."""

    RELATIONS = [
        ("De naaste", _("Ik krijg de zorg van deze mantelzorger")),
        ("Familie", _("Ik ben familie van de mantelzorger")),
        ("Iemand anders", _("Iemand anders, bijvoorbeeld een buur of vriend")),
    ]

    name = TextField(label=_("Uw naam"), max_length=150,
                     error_messages={"required": _("Vul uw naam in.")})
    relation = forms.ChoiceField(label=_("Wie bent u?"), choices=RELATIONS,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": _("Kies wie u bent.")})
    phone = TextField(label=_("Uw telefoonnummer"), max_length=30, required=False,
                      help_text=_("Bijvoorbeeld 0612345678."))
    email = TextField(label=_("Uw e-mailadres"), max_length=254, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["email"].widget.input_type = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_email(self):
        return clean_email_address(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors:
            self.add_error("phone", _("Vul een telefoonnummer of een e-mailadres in."))
        return cleaned

    def requester(self) -> dict:
        data = self.cleaned_data
        contact = ", ".join(v for v in (data["phone"], data["email"]) if v)
        return {"name": data["name"], "relation": data["relation"], "contact": contact}


class CareForm(KeepsInputOnLanguageSwitch, forms.Form):
    """The naaste and the care, checked against this year's rules."""

    recipient_name = TextField(label=_("Naam van de naaste"), max_length=150,
                               help_text=_("De persoon die de zorg krijgt."),
                               error_messages={"required": _("Vul de naam in.")})
    recipient_postcode = TextField(label=_("Postcode van de naaste"), max_length=10,
                                   help_text=_("Bijvoorbeeld 3841 AB."),
                                   error_messages={"required": _("Vul de postcode in.")})
    recipient_house_number = TextField(
        label=_("Huisnummer van de naaste"), max_length=12,
        help_text=_("Met toevoeging als die er is, bijvoorbeeld 12a."),
        error_messages={"required": _("Vul het huisnummer in.")})
    relationship = forms.ChoiceField(
        label=_("Wie is de naaste voor de mantelzorger?"), choices=Relationship.choices,
        widget=forms.RadioSelect, error_messages={"required": _("Kies wie de naaste is.")})
    living_together = YesNoField(label=_("Wonen de mantelzorger en de naaste samen?"))
    hours_per_week = forms.IntegerField(
        label=_("Hoeveel uur per week zorgt de mantelzorger ongeveer?"), min_value=1,
        max_value=168, widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Vul het aantal uren in."),
                        "invalid": _("Vul een heel getal in, bijvoorbeeld 10."),
                        "min_value": _("Vul minstens 1 uur in."),
                        "max_value": _("Een week heeft 168 uur. Vul een kleiner getal in.")})
    care_since = DutchDateField(
        label=_("Sinds wanneer zorgt de mantelzorger?"),
        help_text=_("Bijvoorbeeld 01-03-2019. Weet u de dag niet? Kies dan de 1e van de "
                    "maand."))

    def __init__(self, *args, year: AppreciationYear, age_group: str = AgeGroup.ADULT,
                 **kwargs):
        self.year = year
        self.min_hours = year.min_hours_for(age_group)
        self.min_months = year.min_months_for(age_group)
        super().__init__(*args, **kwargs)
        self.fields["recipient_postcode"].widget.attrs["autocomplete"] = "off"

    def clean_recipient_postcode(self):
        postcode = clean_postcode(self.cleaned_data["recipient_postcode"])
        if not self.year.recipient_postcode_ok(postcode):
            raise forms.ValidationError(_(
                "De naaste moet in Harderwijk of Hierden wonen. Bel ons gerust als u "
                "twijfelt."), code="residence")
        return postcode

    def clean_recipient_house_number(self):
        return clean_house_number(self.cleaned_data["recipient_house_number"])

    def clean_hours_per_week(self):
        hours = self.cleaned_data["hours_per_week"]
        if hours < self.min_hours:
            raise forms.ValidationError(_(
                "De waardering is voor mantelzorgers die minstens %(n)s uur per week zorgen.")
                % {"n": self.min_hours}, code="hours")
        return hours

    def clean_care_since(self):
        since = self.cleaned_data["care_since"]
        if since > add_months(clock.today(), -self.min_months):
            raise forms.ValidationError(_(
                "De waardering is voor mantelzorgers die al minstens %(n)s maanden zorgen.")
                % {"n": self.min_months}, code="duration")
        return since


class PaymentForm(KeepsInputOnLanguageSwitch, forms.Form):
    """Where the money goes: an IBAN in the SEPA area and the name on the account."""

    iban = TextField(label=_("Rekeningnummer (IBAN)"), max_length=50,
                     help_text=_("Bijvoorbeeld NL91 ABNA 0417 1643 00."),
                     error_messages={"required": _("Vul het rekeningnummer (IBAN) in.")})
    account_holder = TextField(label=_("Naam van de rekeninghouder"), max_length=70,
                               help_text=_("Zoals het op uw bankpas staat."),
                               error_messages={"required": _("Vul de naam in.")})

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("iban", "account_holder"):
            self.fields[name].required = required
        self.fields["iban"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["account_holder"].widget.attrs["autocomplete"] = "name"

    def clean_iban(self):
        value = self.cleaned_data["iban"]
        if not value:
            return ""
        try:
            iban = IBAN(value)
        except SchwiftyException:
            raise forms.ValidationError(_(
                "Dit rekeningnummer klopt niet. Kijk goed of u alle cijfers en letters goed "
                "heeft overgenomen, bijvoorbeeld NL91 ABNA 0417 1643 00."), code="iban") from None
        if not iban.in_sepa_zone:
            raise forms.ValidationError(_(
                "Wij kunnen alleen geld overmaken naar een rekening in Europa (SEPA). Heeft u "
                "zo'n rekening niet? Bel ons, dan zoeken wij een oplossing."), code="sepa")
        return iban.compact.upper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("iban") and not cleaned.get("account_holder") \
                and "account_holder" not in self.errors:
            self.add_error("account_holder", _("Vul de naam in."))
        return cleaned


class NewsletterForm(KeepsInputOnLanguageSwitch, forms.Form):
    wants_newsletter = forms.BooleanField(
        label=_("Ja, ik wil ook de nieuwsbrief krijgen (een paar keer per jaar)"),
        required=False)


class ConsentForm(KeepsInputOnLanguageSwitch, forms.Form):
    """Last step: check everything and agree to the use of the data."""

    consent = forms.BooleanField(
        label=_("Ik geef het Servicepunt Mantelzorg toestemming om deze gegevens te bewaren "
                "en te gebruiken voor de mantelzorgwaardering."),
        error_messages={"required": _(
            "Zonder deze toestemming kunnen wij de aanvraag niet behandelen. Zet een vinkje.")})


class PaperSignedForm(KeepsInputOnLanguageSwitch, forms.Form):
    """The consulent confirms the paper form carries the caregiver's signature."""

    signed = forms.BooleanField(
        label=_("Het papieren formulier is ondertekend (toestemming voor de gegevens)."),
        error_messages={"required": _("Zet een vinkje. Zonder handtekening kan het niet.")})


def payout_needs_bank(year: AppreciationYear, date_of_birth) -> bool:
    return year.payout_for(age_group_for(date_of_birth)) == PayoutForm.BANK


class AnswerForm(KeepsInputOnLanguageSwitch, forms.Form):
    """The caregiver answers the consulent's question in Mijn gegevens."""

    answer = TextField(label=_("Uw antwoord"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 6}), error_messages={"required": _("Schrijf uw antwoord op.")})

    def __init__(self, *args, young: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if young:  # a young caregiver reads "je" (registrations/context_processors.py)
            self.fields["answer"].label = _("Je antwoord")
            self.fields["answer"].error_messages["required"] = _("Schrijf je antwoord op.")


class ConfirmCodeForm(KeepsInputOnLanguageSwitch, forms.Form):
    """The code from the e-mail or letter that confirms a request (see `confirmation`)."""

    code = TextField(label=_("Uw code"), max_length=20,
                     help_text=_("Die staat in de e-mail of brief. Bijvoorbeeld ABCD-EFGH."),
                     error_messages={"required": _("Vul de code uit de e-mail of brief in."),
                                     "max_length": _("Een code heeft 8 letters en cijfers, "
                                                     "zoals ABCD-EFGH.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code",
                                                autocapitalize="characters", spellcheck="false")


class RenewalCodeForm(KeepsInputOnLanguageSwitch, forms.Form):
    """The code from the invitation letter to ask again (the e-mail's link fills it in)."""

    code = TextField(label=_("Uw code"), max_length=30,
                     help_text=_("Die staat in de brief of e-mail. Bijvoorbeeld "
                                 "ABCD-EFGH-JKLM."),
                     error_messages={"required": _("Vul de code uit de brief of e-mail in."),
                                     "max_length": _("Een code heeft 12 letters en cijfers, "
                                                     "zoals ABCD-EFGH-JKLM.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(autocomplete="off",
                                                autocapitalize="characters", spellcheck="false")


class RenewalForm(PaymentForm):
    """Ask again in one step: "I still care for …", and a new account only if it changed
    (required when last year's request had none and this year pays money)."""

    field_order = ["still_caring", "iban", "account_holder"]

    still_caring = forms.BooleanField(label=_("Ik zorg nog steeds"))

    def __init__(self, *args, recipient_name: str, iban_required: bool, **kwargs):
        super().__init__(*args, required=iban_required, **kwargs)
        names = {"name": recipient_name}
        caring = self.fields["still_caring"]
        caring.label = _("Ik zorg nog steeds voor %(name)s") % names
        caring.error_messages["required"] = _(
            "Zet een vinkje als u nog steeds voor %(name)s zorgt. Zorgt u niet meer voor "
            "%(name)s, of voor iemand anders? Vraag de waardering dan aan met het gewone "
            "formulier.") % names
        if not iban_required:
            self.fields["iban"].label = _("Nieuw rekeningnummer (IBAN)")
            self.fields["iban"].help_text = _(
                "Alleen invullen als het geld naar een andere rekening moet. Bijvoorbeeld "
                "NL91 ABNA 0417 1643 00.")
            self.fields["account_holder"].help_text = _(
                "Alleen bij een nieuw rekeningnummer. Zoals het op uw bankpas staat.")
