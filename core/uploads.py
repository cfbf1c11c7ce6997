"""CSV files: the ones we read (ticket codes, the postcode table: one set of limits and
messages) and the ones we write (safe against formulas).

A file that is too big, binary or not UTF-8 text gets one plain Dutch message next to the
field; the form that reads it then names its wrong lines by number.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 1024 * 1024
MAX_LINE_ERRORS_SHOWN = 50
# Spreadsheets run a cell starting with one of these as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell for a CSV file we write: a quote before a formula start makes it plain text."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def read_text_upload(upload) -> str:
    """The text of an uploaded CSV, or a ValidationError saying why it is not usable."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("Het bestand is te groot: hoogstens 1 MB."),
                                    code="too_big")
    raw = upload.read(MAX_UPLOAD_BYTES + 1)
    if b"\x00" in raw:
        raise forms.ValidationError(_(
            "Dit is geen tekstbestand. Sla de lijst op als CSV (UTF-8) en probeer het "
            "opnieuw."), code="binary")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(_(
            "Het bestand is niet als UTF-8 opgeslagen. Kies in Excel 'CSV UTF-8' bij "
            "Opslaan als, en probeer het opnieuw."), code="encoding") from None


def csv_file_field(label, help_text) -> forms.FileField:
    return forms.FileField(label=label, help_text=help_text,
                           error_messages={"required": _("Kies een bestand."),
                                           "empty": _("Het bestand is leeg."),
                                           "invalid": _("Kies een bestand.")})


class LineCheckedUploadForm(forms.Form):
    """A form with one CSV `file` whose wrong lines the page lists by number: at most
    MAX_LINE_ERRORS_SHOWN in `line_errors`, the rest counted in `more_line_errors`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_errors, self.more_line_errors = [], 0

    def refuse_lines(self, errors: list, message: str) -> forms.ValidationError:
        self.line_errors = errors[:MAX_LINE_ERRORS_SHOWN]
        self.more_line_errors = len(errors) - len(self.line_errors)
        return forms.ValidationError(message, code="lines")
