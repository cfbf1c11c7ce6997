"""Forms for consulenten: the list filters, the intake, and the lifecycle actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import TextField

from .forms_public import (
    AboutMeForm,
    CareRecipientForm,
    ContactForm,
    GuardianForm,
    registration_data_from,
)
from .forms_selfservice import CareEndedForm
from .models import Channel, District, RegistrationRules, State
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

