"""Forms for consulenten: the list filters, the intake, and the lifecycle actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import clock, languages
from core.fields import DutchDateField, LanguageRadioSelect, TextField, YesNoField

from .forms_public import (
    AboutMeForm,
    CareRecipientForm,
    ContactForm,
    GuardianForm,
    registration_data_from,
)
from .forms_selfservice import CareEndedForm
from .models import CareEndReason, CareNeed, Channel, District, RegistrationRules, State
from .selectors import TARGET_GROUPS


class CaregiverFilterForm(forms.Form):
    q = TextField(label=_("Zoek op naam, postcode of e-mail"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("Status"), required=False,
                              choices=[("", _("Alle behalve gewist"))] + list(State.choices))
    age_group = forms.ChoiceField(label=_("Leeftijd"), required=False)
    district = forms.ChoiceField(label=_("Wijk"), required=False)
    channel = forms.ChoiceField(label=_("Post"), required=False,
                                choices=[("", _("Alle"))] + list(Channel.choices))
    to_check = forms.BooleanField(label=_("Alleen 'te controleren'"), required=False)
    target_group = forms.ChoiceField(
        label=_("Doelgroep"), required=False,
        choices=[("", _("Alle mantelzorgers"))] + TARGET_GROUPS,
        help_text=_("EMB en migratieachtergrond: alleen wie toestemming gaf om dit vast te "
                    "leggen."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = (
            [("", _("Alle wijken")), ("onbekend", _("Onbekend"))]
            + [(str(d.pk), d.name) for d in District.objects.all()])
        young_max = RegistrationRules.current().young_max_age
        self.fields["age_group"].choices = [
            ("", _("Alle leeftijden")), ("jong", _("Jong (tot en met %s)") % young_max),
            ("volwassen", _("Volwassen"))]


class EndCareForm(CareEndedForm):
    """The same questions a caregiver answers in Mijn gegevens, asked by the consulent."""


class EndRegistrationForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, beëindig deze inschrijving. De gegevens worden later gewist."),
        error_messages={"required": _("Zet een vinkje om te bevestigen.")})


class Intake:
    """The registration forms on one page, each with its own prefix."""

    def __init__(self, data=None):
        self.about = AboutMeForm(data, prefix="over")
        about_ok = data is not None and self.about.is_valid()
        cleaned = self.about.cleaned_data if about_ok else {}
        self.recipient = CareRecipientForm(data, prefix="naaste",
                                           caregiver_postcode=cleaned.get("postcode", ""))
        self.contact = ContactForm(data, prefix="contact", email=cleaned.get("email", ""))
        self.guardian = GuardianForm(data, prefix="ouder", child_email=cleaned.get("email", ""))
        below = RegistrationRules.current().guardian_consent_below_age
        self.needs_guardian = bool(
            about_ok and clock.age_on(cleaned["date_of_birth"], clock.today()) < below)
        if data is not None and not self.needs_guardian:
            # Not checked for adults, but what was typed stays on the page.
            self.guardian = GuardianForm(prefix="ouder", initial={
                key: data.get(f"ouder-{key}", "") for key in ("name", "email", "phone")})

    def forms(self):
        return [self.about, self.recipient, self.contact] + (
            [self.guardian] if self.needs_guardian else [])

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms()])

    def registration_data(self):
        return registration_data_from(
            self.about.cleaned_data, self.recipient.cleaned_data, self.contact.cleaned_data,
            self.guardian.cleaned_data if self.needs_guardian else None)



def version_field(required=True) -> forms.IntegerField:
    """The version of the record the form was made from (hidden): a form made from an
    older version is refused by the service (services_records.StaleEdit)."""
    outdated = _("Deze pagina is verouderd. Open de gegevens opnieuw en vul het nog eens in.")
    return forms.IntegerField(
        label=_("Versie van de gegevens"), widget=forms.HiddenInput, min_value=1,
        required=required, error_messages={"required": outdated, "invalid": outdated,
                                           "min_value": outdated})


class CaregiverEditForm(AboutMeForm):
    """A consulent corrects the caregiver's details: the registration's checks and messages,
    plus how we reach them. `version` is the record's version the form was made from."""

    channel = forms.ChoiceField(label=_("Hoe wil de mantelzorger post krijgen?"),
                                choices=Channel.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("Kies hoe post moet komen.")})
    wants_newsletter = forms.BooleanField(label=_("Wil de nieuwsbrief krijgen"),
                                          required=False)
    language = forms.ChoiceField(
        label=_("Taal van e-mails"), choices=languages.CHOICES, required=False,
        widget=LanguageRadioSelect,
        help_text=_("E-mails komen in deze taal. Brieven zijn in het Nederlands, met een korte "
                    "samenvatting in deze taal erboven."),
        error_messages={"invalid_choice": _("Kies een taal uit de lijst.")})
    version = version_field()

    field_order = AboutMeForm.field_order + ["channel", "wants_newsletter"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "Verandert het e-mailadres? Dan krijgt de mantelzorger een mail om het nieuwe "
            "adres te bevestigen.")
        for name in self.fields:
            self.fields[name].widget.attrs.pop("autocomplete", None)  # not the consulent's own

    def clean_date_of_birth(self):
        # A consulent corrects; the registration's lower age limit is for signing up alone.
        born = self.cleaned_data["date_of_birth"]
        if clock.age_on(born, clock.today()) > 120:
            raise forms.ValidationError(_("Controleer het geboortejaar."), code="too_old")
        return born

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == Channel.EMAIL and "email" in cleaned and not cleaned["email"]:
            self.add_error("channel", _(
                "Er is geen e-mailadres ingevuld. Kies 'Per post', of vul een e-mailadres in."))
        return cleaned

    @staticmethod
    def initial_for(caregiver) -> dict:
        initial = {name: getattr(caregiver, name) for name in (
            "first_name", "surname_prefix", "last_name", "date_of_birth", "street",
            "house_number", "city", "email", "phone", "channel", "wants_newsletter",
            "language", "version")}
        initial["postcode"] = caregiver.postcode_display
        return initial

    def values(self) -> dict:
        """What to save; a language left out (an older form) keeps the one stored."""
        return {key: value for key, value in self.cleaned_data.items()
                if key != "version" and not (key == "language" and not value)}


class RecipientForm(CareRecipientForm):
    """Add or correct a naaste: the registration's questions, asked of the consulent."""

    version = version_field(required=False)  # not sent when a naaste is added

    LABELS = {
        "name": _("Naam van de naaste"),
        "date_of_birth": _("Geboortedatum van de naaste"),
        "relationship": _("Wie is de naaste voor de mantelzorger?"),
        "lives_in_municipality": _("Woont de naaste in Harderwijk of Hierden?"),
        "living_together": _("Wonen de mantelzorger en de naaste samen?"),
        "care_kinds": _("Wat doet de mantelzorger voor de naaste?"),
        "hours_per_week": _("Hoeveel uur per week zorgt de mantelzorger ongeveer?"),
        "care_since": _("Sinds wanneer zorgt de mantelzorger?"),
        "care_need": _("Waarom heeft de naaste zorg nodig?"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.LABELS.items():
            self.fields[name].label = label
        self.fields["name"].help_text = ""
        self.fields["care_need"].help_text = _("Alleen als de mantelzorger dit wil zeggen.")
        self.fields["care_need"].choices = [("", _("Niet gezegd"))] + list(CareNeed.choices)

    @staticmethod
    def initial_for(recipient) -> dict:
        initial = {name: getattr(recipient, name) for name in (
            "name", "date_of_birth", "relationship", "care_kinds", "hours_per_week",
            "care_since", "care_need", "version")}
        initial["lives_in_municipality"] = "ja" if recipient.lives_in_municipality else "nee"
        initial["living_together"] = "ja" if recipient.living_together else "nee"
        return initial

    def values(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key != "version"}


class RecipientEndForm(forms.Form):
    """The care for one naaste ends, or the naaste moved into a care home."""

    ended_on = DutchDateField(label=_("Op welke dag?"), help_text=_("Bijvoorbeeld 15-03-2026."))
    reason = forms.ChoiceField(
        label=_("Wat is er gebeurd?"), widget=forms.RadioSelect,
        choices=[(CareEndReason.OVERLIJDEN, _("De naaste is overleden")),
                 (CareEndReason.OPNAME, _("De naaste woont nu in een zorginstelling (opname)")),
                 (CareEndReason.HERSTELD, _("De naaste heeft geen zorg meer nodig")),
                 (CareEndReason.ANDERS, _("Een andere reden"))],
        error_messages={"required": _("Kies wat er is gebeurd."),
                        "invalid_choice": _("Kies wat er is gebeurd.")})
    still_caring = YesNoField(
        label=_("Alleen bij opname: blijft de mantelzorger voor de naaste zorgen?"),
        required=False, empty_value=None,
        help_text=_("Bijvoorbeeld bezoeken, geldzaken regelen of de was doen. Dan gaat de "
                    "zorg door en blijft de naaste staan, met de datum van de opname."))
    version = version_field()

    def __init__(self, *args, care_since=None, **kwargs):
        self.care_since = care_since
        super().__init__(*args, **kwargs)

    def clean_ended_on(self):
        day = self.cleaned_data["ended_on"]
        if self.care_since and day < self.care_since:
            raise forms.ValidationError(
                _("Deze datum ligt voor het begin van de zorg op %(day)s.")
                % {"day": self.care_since.strftime("%d-%m-%Y")}, code="before_care")
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == CareEndReason.OPNAME and cleaned.get("still_caring") is None:
            self.add_error("still_caring", _(
                "Kies of de mantelzorger na de opname blijft zorgen."))
        return cleaned
