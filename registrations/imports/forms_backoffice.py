"""The coordinator's forms of the import: the file, the columns, a saved choice of columns.

The file itself is read by the engine (`services.upload`); the form only makes sure there is
one, so a refused file gets its message next to the same field. The columns form has one
`<select>` per header of the file; its fields are numbered (`kolom_0`, `kolom_1`, …) because a
header can be any text, and only the headers the file has become fields: anything else posted
is ignored, and a value that is not a known field key gets a message next to its select.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import TextField

NOT_USED = ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand met mantelzorgers (CSV of Excel)"),
        help_text=_("Een CSV-bestand (met komma's of puntkomma's) of een Excel-bestand "
                    "(.xlsx). De eerste regel heeft de namen van de kolommen. Elke volgende "
                    "regel is één mantelzorger, of één naaste van een mantelzorger."),
        error_messages={"required": _("Kies een bestand."),
                        "empty": _("Het bestand is leeg. Kies een ander bestand."),
                        "invalid": _("Kies een bestand.")})


def column_field_name(index: int) -> str:
    return f"kolom_{index}"


class MappingForm(forms.Form):
    """One select per header of the file, prefilled with the current (guessed) mapping."""

    save_as = TextField(
        label=_("Bewaar deze keuze als"), max_length=100, required=False,
        help_text=_("Bijvoorbeeld 'Export oud systeem'. Bij een volgend bestand met dezelfde "
                    "kolommen kiest u dan deze naam. Leeg laten als u de keuze niet wilt "
                    "bewaren."))

    def __init__(self, data=None, *, headers, fields, initial_mapping, samples=None):
        super().__init__(data)
        self.headers = list(headers)
        choices = [(NOT_USED, _("Niet gebruiken"))] + [(f.key, f.label) for f in fields]
        samples = samples or {}
        self.columns = []
        for index, header in enumerate(self.headers):
            name = column_field_name(index)
            field = forms.ChoiceField(
                label=header, choices=choices, required=False,
                initial=initial_mapping.get(header, NOT_USED),
                error_messages={"invalid_choice": _(
                    "Kies een van de velden uit de lijst, of 'Niet gebruiken'.")})
            example = ", ".join(value for value in samples.get(header, []) if value)
            if example:
                field.help_text = _("Voorbeeld uit het bestand: %(example)s") % {
                    "example": example}
            self.fields[name] = field
            self.columns.append(name)
        self.order_fields(self.columns + ["save_as"])

    def column_fields(self):
        """The selects, their hint and message tied to them for screen readers. (Not with
        `{% field %}`: every select may stay 'Niet gebruiken', yet "(niet verplicht)" after
        each column name would only be noise.)"""
        bound = []
        for name in self.columns:
            field = self[name]
            described_by = [f"{field.auto_id}_hint"] if field.help_text else []
            attrs = self.fields[name].widget.attrs
            attrs.pop("aria-invalid", None)
            if field.errors:
                described_by.append(f"{field.auto_id}_error")
                attrs["aria-invalid"] = "true"
            if described_by:
                attrs["aria-describedby"] = " ".join(described_by)
            bound.append(field)
        return bound

    def mapping(self) -> dict[str, str]:
        """{header: field key or ""} from the cleaned data."""
        return {header: self.cleaned_data.get(column_field_name(index)) or NOT_USED
                for index, header in enumerate(self.headers)}

    def add_mapping_errors(self, errors: dict[str, str]) -> None:
        """The engine's MappingInvalid errors next to the select of their header (or the
        name to save as); `__all__`, or a header the form does not know, at the top."""
        for header, message in errors.items():
            if header in self.headers:
                self.add_error(column_field_name(self.headers.index(header)), message)
            elif header == "save_as":
                self.add_error("save_as", message)
            else:
                self.add_error(None, message)


class SavedMappingForm(forms.Form):
    prefix = "bewaard"
    mapping = forms.ModelChoiceField(
        label=_("Bewaarde keuze"), queryset=None, empty_label=None,
        error_messages={"required": _("Kies een bewaarde keuze."),
                        "invalid_choice": _("Deze bewaarde keuze bestaat niet meer. Kies "
                                            "een andere.")})

    def __init__(self, data=None, *, queryset):
        super().__init__(data, prefix=self.prefix)
        self.fields["mapping"].queryset = queryset
