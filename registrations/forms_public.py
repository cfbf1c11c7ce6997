"""Forms for registering a caregiver: online (step by step) and at intake by a consulent.

Every message is plain Dutch (B1) and appears next to its field; whatever someone typed
stays in the form. Names and free text refuse control characters; dates are typed as
dd-mm-jjjj (or picked), never in the future.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import DutchDateField, TextField, YesNoField, clean_email_address
from core.forms_language import KeepsInputOnLanguageSwitch
from core.names import split_surname
from core.phones import normalise_phone
from core.postcodes import clean_house_number, clean_postcode

from .models import (
    CHANNEL_HINT,
    CHANNEL_HINT_YOUNG,
    CareKind,
    CareNeed,
    Channel,
    GuardianRelation,
    RegistrationRules,
    Relationship,
    normalise_email,
)

MUNICIPALITY_POSTCODE_RE = re.compile(r"^384[0-9]")


class AboutMeForm(KeepsInputOnLanguageSwitch, forms.Form):
    """Step 1: about the caregiver."""

    first_name = TextField(label=_("Voornaam"), max_length=100,
                           error_messages={"required": _("Vul uw voornaam in.")})
    surname_prefix = TextField(label=_("Tussenvoegsel"), max_length=20, required=False,
                               help_text=_("Als u dat heeft, bijvoorbeeld: de, van, van der."))
    last_name = TextField(label=_("Achternaam"), max_length=150,
                          help_text=_("Zonder tussenvoegsel, bijvoorbeeld: Vries."),
                          error_messages={"required": _("Vul uw achternaam in.")})
    date_of_birth = DutchDateField(label=_("Geboortedatum"),
                                   help_text=_("Bijvoorbeeld 15-03-1958."))
    street = TextField(label=_("Straat"), max_length=150,
                       error_messages={"required": _("Vul uw straat in.")})
    house_number = TextField(label=_("Huisnummer"), max_length=12,
                             help_text=_("Met toevoeging als die er is, bijvoorbeeld 12a."),
                             error_messages={"required": _("Vul uw huisnummer in.")})
    postcode = TextField(label=_("Postcode"), max_length=10,
                         help_text=_("Bijvoorbeeld 3841 AB."),
                         error_messages={"required": _("Vul uw postcode in.")})
    city = TextField(label=_("Woonplaats"), max_length=100,
                     error_messages={"required": _("Vul uw woonplaats in.")})
    email = TextField(label=_("E-mailadres"), max_length=254, required=False,
                            help_text=_("Wij sturen u dan een mail om het te bevestigen."))
    phone = TextField(label=_("Telefoonnummer"), max_length=30, required=False,
                            help_text=_("Bijvoorbeeld 0612345678."))

    field_order = ["first_name", "surname_prefix", "last_name", "date_of_birth", "postcode",
                   "house_number", "street", "city", "email", "phone"]

    def __init__(self, *args, rules: RegistrationRules | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules  # the wizard passes the rules it read once for the whole request
        autocomplete = {"first_name": "given-name", "last_name": "family-name",
                        "street": "address-line1", "postcode": "postal-code",
                        "city": "address-level2", "email": "email", "phone": "tel",
                        "date_of_birth": "bday"}
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["email"].widget.input_type = "email"
        self.fields["phone"].widget.input_type = "tel"

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data["postcode"])

    def clean_house_number(self):
        return clean_house_number(self.cleaned_data["house_number"])

    def clean_email(self):
        return clean_email_address(self.cleaned_data["email"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if "last_name" in cleaned and "surname_prefix" in cleaned:
            # "de Vries" typed in the achternaam: the "de" is the tussenvoegsel.
            cleaned["surname_prefix"], cleaned["last_name"] = split_surname(
                cleaned["last_name"], cleaned["surname_prefix"])
        return cleaned

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        rules = self.rules or RegistrationRules.current()
        age = clock.age_on(born, clock.today())
        if age < rules.minimum_age:
            raise forms.ValidationError(
                _("U moet minstens %(age)s jaar zijn om u zelf aan te melden. Vraag een "
                  "volwassene om te helpen.") % {"age": rules.minimum_age}, code="too_young")
        if age > 120:
            raise forms.ValidationError(_("Controleer het geboortejaar."), code="too_old")
        return born


def speak_to_young(form: forms.Form, words: dict) -> None:
    """The registration's young path says "je": field -> (label, help text or None)."""
    for name, (label, help_text) in words.items():
        form.fields[name].label = label
        if help_text is not None:
            form.fields[name].help_text = help_text


YOUNG_RECIPIENT_WORDS = {
    "name": (_("Naam van je naaste"), _("De persoon voor wie je zorgt.")),
    "date_of_birth": (_("Geboortedatum van je naaste"), None),
    "relationship": (_("Wie is deze persoon voor jou?"), None),
    "lives_in_municipality": (_("Woont je naaste in Harderwijk of Hierden?"), None),
    "living_together": (_("Woon je samen met je naaste?"), None),
    "care_kinds": (_("Wat doe je voor je naaste?"), None),
    "hours_per_week": (_("Hoeveel uur per week zorg je ongeveer?"), None),
    "care_since": (_("Sinds wanneer zorg je?"),
                   _("Weet je de dag niet? Kies dan de 1e van de maand.")),
    "care_need": (_("Waarom heeft je naaste zorg nodig?"),
                  _("Dit helpt ons om je goed te helpen.")),
}
YOUNG_CONTACT_WORDS = {
    "channel": (_("Hoe wil je post van ons krijgen?"), CHANNEL_HINT_YOUNG),
    "target_group_consent": (_("Ik geef toestemming om dit vast te leggen"),
                             _("Alleen nodig als je hierboven iets aankruist.")),
}


class CareRecipientForm(KeepsInputOnLanguageSwitch, forms.Form):
    """Step 2: the person cared for, and the care."""

    name = TextField(label=_("Naam van uw naaste"), max_length=150,
                     help_text=_("De persoon voor wie u zorgt."),
                     error_messages={"required": _("Vul de naam in.")})
    date_of_birth = DutchDateField(label=_("Geboortedatum van uw naaste"), required=False,
                                   help_text=_("Bijvoorbeeld 15-03-1940."))
    relationship = forms.ChoiceField(label=_("Wie is deze persoon voor u?"),
                                     choices=Relationship.choices, widget=forms.RadioSelect,
                                     error_messages={"required": _("Kies wie deze persoon is.")})
    lives_in_municipality = YesNoField(label=_("Woont uw naaste in Harderwijk of Hierden?"))
    living_together = YesNoField(label=_("Woont u samen met uw naaste?"))
    care_kinds = forms.MultipleChoiceField(
        label=_("Wat doet u voor uw naaste?"), choices=CareKind.choices,
        widget=forms.CheckboxSelectMultiple, help_text=_("Kies alles wat past."),
        error_messages={"required": _("Kies minstens één ding.")})
    hours_per_week = forms.IntegerField(
        label=_("Hoeveel uur per week zorgt u ongeveer?"), min_value=1, max_value=168,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Vul het aantal uren in."),
                        "invalid": _("Vul een heel getal in, bijvoorbeeld 10."),
                        "min_value": _("Vul minstens 1 uur in."),
                        "max_value": _("Een week heeft 168 uur. Vul een kleiner getal in.")})
    care_since = DutchDateField(label=_("Sinds wanneer zorgt u?"),
                                help_text=_("Weet u de dag niet? Kies dan de 1e van de maand."))
    care_need = forms.ChoiceField(
        label=_("Waarom heeft uw naaste zorg nodig?"),
        choices=[("", _("Zeg ik liever niet"))] + list(CareNeed.choices), required=False,
        help_text=_("Dit helpt ons om u goed te helpen."))

    def __init__(self, *args, caregiver_postcode: str = "", young: bool = False, **kwargs):
        self.caregiver_postcode, self.young = caregiver_postcode, young
        super().__init__(*args, **kwargs)
        if young:
            speak_to_young(self, YOUNG_RECIPIENT_WORDS)

    def clean(self):
        cleaned = super().clean()
        elsewhere = cleaned.get("lives_in_municipality") is False
        if elsewhere and not MUNICIPALITY_POSTCODE_RE.match(self.caregiver_postcode or ""):
            self.add_error("lives_in_municipality", _(
                "Het Servicepunt helpt mantelzorgers die in Harderwijk of Hierden wonen, of "
                "die zorgen voor iemand die daar woont. Bel ons gerust als je twijfelt.")
                if self.young else _(
                "Het Servicepunt helpt mantelzorgers die in Harderwijk of Hierden wonen, of "
                "die zorgen voor iemand die daar woont. Bel ons gerust als u twijfelt."))
        return cleaned


class ContactForm(KeepsInputOnLanguageSwitch, forms.Form):
    """Step 3: how we keep in touch, and (only with consent) target groups."""

    channel = forms.ChoiceField(label=_("Hoe wilt u post van ons krijgen?"),
                                choices=Channel.choices, widget=forms.RadioSelect,
                                help_text=CHANNEL_HINT,
                                error_messages={"required": _("Kies hoe u post wilt krijgen.")})
    wants_newsletter = forms.BooleanField(
        label=_("Ja, ik wil de nieuwsbrief krijgen (een paar keer per jaar)"), required=False)
    parent_of_disabled_child = forms.BooleanField(
        label=_("Ik ben ouder van een kind met een ernstige meervoudige beperking"),
        required=False)
    migration_background = forms.BooleanField(
        label=_("Mijn ouders of ikzelf zijn in een ander land geboren"), required=False)
    target_group_consent = forms.BooleanField(
        label=_("Ik geef toestemming om dit vast te leggen"), required=False,
        help_text=_("Alleen nodig als u hierboven iets aankruist."))

    def __init__(self, *args, email: str = "", young: bool = False, **kwargs):
        self.email, self.young = email, young
        super().__init__(*args, **kwargs)
        if young:
            speak_to_young(self, YOUNG_CONTACT_WORDS)
            self.fields["channel"].error_messages["required"] = _(
                "Kies hoe je post wilt krijgen.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == Channel.EMAIL and not self.email:
            self.add_error("channel", _(
                "Je hebt geen e-mailadres ingevuld. Kies 'Per post', of ga terug en vul je "
                "e-mailadres in.") if self.young else _(
                "U heeft geen e-mailadres ingevuld. Kies 'Per post', of ga terug en vul uw "
                "e-mailadres in."))
        flags = cleaned.get("parent_of_disabled_child") or cleaned.get("migration_background")
        if flags and not cleaned.get("target_group_consent"):
            self.add_error("target_group_consent", _(
                "Zet hier een vinkje, of haal de vinkjes hierboven weg."))
        return cleaned


class GuardianForm(KeepsInputOnLanguageSwitch, forms.Form):
    """Step for caregivers under 16: a parent or guardian must agree (art. 5 UAVG)."""

    name = TextField(label=_("Naam van je ouder of voogd"), max_length=150,
                     error_messages={"required": _("Vul de naam van je ouder of voogd in.")})
    email = TextField(label=_("E-mailadres van je ouder of voogd"), max_length=254,
                            required=False,
                            help_text=_("Wij sturen je ouder of voogd een mail met een link."))
    phone = TextField(label=_("Telefoonnummer van je ouder of voogd"), max_length=30,
                            required=False,
                            help_text=_("Als er geen e-mailadres is, bellen wij je ouder of "
                                        "voogd."))

    def __init__(self, *args, child_email: str = "", **kwargs):
        # The child's own address (from an earlier step): the consent mail may not go there.
        self.child_email = child_email
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.input_type = "email"
        self.fields["phone"].widget.input_type = "tel"

    def clean_email(self):
        email = clean_email_address(self.cleaned_data["email"])
        if email and normalise_email(email) == normalise_email(self.child_email):
            raise forms.ValidationError(_(
                "Dit is je eigen e-mailadres. Je ouder of voogd moet zelf toestemming geven. "
                "Vul het e-mailadres van je ouder of voogd in, of laat dit leeg en vul een "
                "telefoonnummer in."), code="own_address")
        return email

    clean_phone = AboutMeForm.clean_phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.errors:
            self.add_error("email", _("Vul een e-mailadres of een telefoonnummer in."))
        return cleaned


class GuardianConsentForm(KeepsInputOnLanguageSwitch, forms.Form):
    """On the consent page: who gives the consent, and how they are related to the child."""

    NOT_ALLOWED = "anders"

    consent_name = TextField(label=_("Uw naam"), max_length=150,
                             error_messages={"required": _("Vul uw naam in.")})
    consent_relation = forms.ChoiceField(
        label=_("Wie bent u van het kind?"), widget=forms.RadioSelect,
        choices=list(GuardianRelation.choices) + [
            (NOT_ALLOWED, _("Iemand anders (bijvoorbeeld opa, oma, tante of een buur)"))],
        error_messages={"required": _("Kies wie u bent van het kind."),
                        "invalid_choice": _("Kies wie u bent van het kind.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_name"].widget.attrs["autocomplete"] = "name"

    def clean_consent_relation(self):
        relation = self.cleaned_data["consent_relation"]
        if relation == self.NOT_ALLOWED:
            raise forms.ValidationError(_(
                "Alleen een ouder of voogd van het kind mag toestemming geven. Vraag de ouder "
                "of voogd om deze link te openen, of bel ons."), code="not_a_guardian")
        return relation


class CheckForm(KeepsInputOnLanguageSwitch, forms.Form):
    """Last step: check everything and agree to the processing of the data."""

    consent = forms.BooleanField(
        label=_("Ik geef het Servicepunt Mantelzorg toestemming om deze gegevens te bewaren "
                "en te gebruiken om mij te helpen en te informeren."),
        error_messages={"required": _("Zonder uw toestemming kunnen wij u niet inschrijven.")})

    def __init__(self, *args, young: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if young:
            self.fields["consent"].error_messages["required"] = _(
                "Zonder je toestemming kunnen wij je niet inschrijven.")


def registration_data_from(about: dict, recipient: dict, contact: dict, guardian: dict | None):
    """Turn the cleaned steps into the services' RegistrationData."""
    from .services import RegistrationData

    caregiver = {key: about[key] for key in ("first_name", "surname_prefix", "last_name",
                                             "date_of_birth",
                                             "street", "house_number", "postcode", "city",
                                             "email", "phone")}
    caregiver.update(channel=contact["channel"], wants_newsletter=contact["wants_newsletter"],
                     parent_of_disabled_child=contact["parent_of_disabled_child"],
                     migration_background=contact["migration_background"])
    return RegistrationData(
        caregiver=caregiver,
        care_recipients=[{key: recipient[key] for key in (
            "name", "date_of_birth", "relationship", "lives_in_municipality",
            "living_together", "care_kinds", "hours_per_week", "care_since", "care_need")}],
        guardian=guardian,
        target_group_consent=contact["target_group_consent"],
    )
