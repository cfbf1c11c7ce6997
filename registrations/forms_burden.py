"""The burden self-check as a form: five statements, each a group of four answers.

The whole check is optional. A person may skip it with the "Overslaan" button or by leaving
every statement empty; both store nothing. Half an answer is not enough to score, so a
half-filled check gets a message next to each missing statement. Values outside 0–3 and
field names we never sent get a message too, never an error page.
"""

from django import forms
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.forms_language import KeepsInputOnLanguageSwitch

from . import burden

PREFIX = "belasting"  # the wizards' step name doubles as the form prefix
SKIP = "skip"  # the name of the "Overslaan" button (with the prefix)
MISSING = _("Kies een antwoord bij deze uitspraak. Wilt u de vragen niet invullen? "
            "Klik dan op 'Overslaan'.")
MISSING_YOUNG = _("Kies een antwoord bij deze uitspraak. Wil je de vragen niet invullen? "
                  "Klik dan op 'Overslaan'.")
INVALID = _("Kies een van de antwoorden: nooit, soms, vaak of bijna altijd.")
TAMPERED = _("Er ging iets mis met het formulier. Kies bij elke uitspraak een antwoord, "
             "of klik op 'Overslaan'.")


def field_name(index: int) -> str:
    return f"statement_{index + 1}"


class BurdenCheckForm(KeepsInputOnLanguageSwitch, forms.Form):
    """`answers` after validation: five numbers 0–3, or None when skipped or left empty."""

    def __init__(self, *args, young: bool = False, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.young = young
        self.answers = None
        for index, statement in enumerate(burden.STATEMENTS):
            self.fields[field_name(index)] = forms.TypedChoiceField(
                label=statement, choices=burden.ANSWERS, coerce=int, required=False,
                widget=forms.RadioSelect, error_messages={"invalid_choice": INVALID})

    @property
    def intro(self):
        if self.young:
            return _("Hoe zwaar is de zorg voor jou? Dit is niet verplicht. Het helpt ons "
                     "om je op tijd te helpen.")
        return _("Hoe zwaar is de zorg voor u? Dit is niet verplicht. Het helpt ons om u "
                 "op tijd te helpen.")

    @property
    def skipped(self) -> bool:
        return self.is_bound and bool(self.data.get(self.add_prefix(SKIP)))

    def full_clean(self):
        """The "Overslaan" button wins over whatever else was sent: nothing to check."""
        if self.skipped:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            self.answers = None
            return
        super().full_clean()

    def clean(self):
        cleaned = super().clean()
        known = {self.add_prefix(name) for name in self.fields} | {self.add_prefix(SKIP)}
        sent = self.data.keys() if hasattr(self.data, "keys") else []
        if any(key.startswith(f"{self.prefix}-") and key not in known for key in sent):
            raise forms.ValidationError(TAMPERED, code="tampered")
        names = [field_name(index) for index in range(len(burden.STATEMENTS))]
        if any(name in self.errors for name in names):
            return cleaned
        values = [cleaned.get(name) for name in names]
        given = [value for value in values if value not in (None, "")]
        if not given:
            return cleaned  # left empty: skipped
        if len(given) < len(values):
            for name, value in zip(names, values, strict=True):
                if value in (None, ""):
                    self.add_error(name, MISSING_YOUNG if self.young else MISSING)
            return cleaned
        self.answers = [int(value) for value in values]
        return cleaned


def count_unposted_step_as_skipped(wizard) -> None:
    """In a wizard the check is an optional step: someone who never posted it (went straight
    to the last step, e.g. with the browser's back and forward) has skipped it, so sending
    is never blocked by it."""
    if PREFIX in wizard.get_form_list() and wizard.storage.get_step_data(PREFIX) is None:
        wizard.storage.set_step_data(PREFIX, QueryDict())
