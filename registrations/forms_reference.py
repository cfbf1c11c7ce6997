"""The upload form for the postcode→wijk table (coordinators).

The file is read here, not in a view, with the limits of every upload (core/uploads.py):
too big, a binary file or not UTF-8 text gets one plain message next to the field; wrong lines
get their line numbers (from `reference_services.parse_postcode_table`) and nothing changes.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.uploads import LineCheckedUploadForm, csv_file_field, read_text_upload

from . import services_reference as reference_services
from .reference import District


class UploadPostcodesForm(LineCheckedUploadForm):
    prefix = "tabel"
    file = csv_file_field(
        _("Bestand met postcodegebieden (CSV)"),
        _("Het bestand is de hele tabel: wat er nu staat, wordt vervangen. Eerste "
          "regel: van;tot;wijk. Daarna per regel een gebied, bijvoorbeeld "
          "3841 AA;3841 ZZ;WK024301. Bij wijk de CBS-code of de naam van de wijk. "
          "Hoogstens 1 MB."))

    def clean_file(self):
        """The ranges in the file, or a message; `cleaned_data["ranges"]` holds them."""
        upload = self.cleaned_data["file"]
        text = read_text_upload(upload)
        try:
            ranges = reference_services.parse_postcode_table(text, District.objects.all())
        except reference_services.TableRefused as refused:
            n = len(refused.errors)
            raise self.refuse_lines(refused.errors, ngettext(
                "%(n)s regel klopt niet. Er is niets veranderd. Verbeter de regel hieronder "
                "en laad het hele bestand opnieuw.",
                "%(n)s regels kloppen niet. Er is niets veranderd. Verbeter de regels "
                "hieronder en laad het hele bestand opnieuw.", n) % {"n": n}) from None
        if not ranges:
            raise forms.ValidationError(_(
                "Er staan geen postcodegebieden in het bestand. Er is niets veranderd."),
                code="no_ranges")
        self.cleaned_data["ranges"] = ranges
        return upload
