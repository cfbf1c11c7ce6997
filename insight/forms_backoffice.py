"""Forms for consulenten: filter the follow-up list, record a contact, cancel a task."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import DutchDateField, TextField, refuse_control_characters

from .models import ContactKind, TaskKind


class TaskFilterForm(forms.Form):
    soort = forms.ChoiceField(label=_("Soort"), required=False,
                              choices=[("", _("Alles"))] + list(TaskKind.choices))


class OutcomeField(forms.CharField):
    """A few sentences: line breaks become spaces, other control characters are refused."""

    def to_python(self, value):
        value = super().to_python(value)
        for line_break in ("\r\n", "\r", "\n", "\t"):
            value = value.replace(line_break, " ")
        return refuse_control_characters(value) if value else value


class ContactForm(forms.Form):
    on = DutchDateField(label=_("Datum van het contact"))
    kind = forms.ChoiceField(label=_("Soort contact"), choices=ContactKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Kies de soort contact."),
                                             "invalid_choice": _("Kies de soort contact.")})
    preventive = forms.BooleanField(
        label=_("Dit was een preventief huisbezoek"), required=False,
        help_text=_("Telt mee voor de indicator van de gemeente. Alleen bij een huisbezoek."))
    outcome = OutcomeField(
        label=_("Uitkomst in het kort"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat is afgesproken, in maximaal 300 tekens. Geen diagnose of medische "
                    "gegevens."),
        error_messages={"max_length": _("Schrijf maximaal %(limit_value)d tekens "
                                        "(nu %(show_value)d).")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = clock.today()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("preventive") and cleaned.get("kind") != ContactKind.HOME_VISIT:
            self.add_error("preventive", _("Een preventief huisbezoek kan alleen bij de "
                                           "soort 'Huisbezoek'."))
        return cleaned


class CancelTaskForm(forms.Form):
    reason = TextField(
        label=_("Waarom is dit niet meer nodig?"), max_length=200,
        help_text=_("Bijvoorbeeld: niet meer nodig, of: al gesproken. Geen medische "
                    "gegevens."),
        error_messages={"required": _("Schrijf kort waarom."),
                        "max_length": _("Schrijf maximaal %(limit_value)d tekens.")})
