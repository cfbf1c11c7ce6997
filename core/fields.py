"""Form fields and checks every form of the product shares: text a person types, Dutch
dates, yes/no questions and e-mail addresses (phone numbers: core/phones.py).

Every message is plain Dutch (B1) and appears next to its field.
"""

import unicodedata

from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from core import clock

DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y"]
YES_NO = [("ja", _("Ja")), ("nee", _("Nee"))]


def refuse_control_characters(value: str) -> str:
    """Names and addresses are text a person types: no control or invisible characters."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in value):
        raise forms.ValidationError(_("Gebruik alleen gewone letters, cijfers en leestekens."),
                                    code="control_characters")
    return value.strip()


class TextField(forms.CharField):
    """Text a person types; control characters get a Dutch message before anything else."""

    def to_python(self, value):
        value = super().to_python(value)
        return refuse_control_characters(value) if value else value


class DutchDateField(forms.DateField):
    """A date typed as dd-mm-jjjj; never in the future."""

    widget = forms.DateInput(format="%d-%m-%Y",
                             attrs={"inputmode": "numeric", "autocomplete": "off",
                                    # Translators: day-month-year, as letters
                                    "placeholder": _("dd-mm-jjjj")})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("error_messages", {
            "required": _("Vul een datum in."),
            "invalid": _("Vul de datum in zoals 15-03-1958 (dag-maand-jaar)."),
        })
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and value > clock.today():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."), code="future")
        if value and value.year < 1900:
            raise forms.ValidationError(_("Controleer het jaar."), code="too_old")
        return value


class YesNoField(forms.TypedChoiceField):
    widget = forms.RadioSelect

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", YES_NO)
        kwargs.setdefault("coerce", lambda v: v == "ja")
        kwargs.setdefault("error_messages", {"required": _("Kies ja of nee.")})
        super().__init__(*args, **kwargs)


def clean_email_address(value: str) -> str:
    """Syntax only (we cannot know it exists until someone clicks our link); lower case.

    The part before the @ must be plain ASCII: a mail header may not carry other letters
    there (RFC 2047 section 5 forbids an encoded-word in an address), and we do not rely on
    every mail server speaking SMTPUTF8. A domain with accents is fine (it becomes IDNA)."""
    email = (value or "").strip()
    if email and not email.rpartition("@")[0].isascii():
        raise forms.ValidationError(
            _("Gebruik voor de @ alleen letters zonder accent, cijfers en . - _ +, zoals "
              "naam@voorbeeld.nl."), code="email_ascii")
    if email:
        try:
            EmailValidator()(email)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Vul een e-mailadres in zoals naam@voorbeeld.nl."), code="email") from None
    return email.lower()



class LanguageRadioSelect(forms.RadioSelect):
    """Languages named in their own language ("Türkçe"), each with its lang attribute, so a
    screen reader pronounces it right (WCAG 3.1.2)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["lang"] = value
        return option
