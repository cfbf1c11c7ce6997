"""Back-office page for the postcode→wijk table (mounted under /backoffice/postcodes/).

Every staff member may look at the table (a consulent wondering why someone's wijk is
"onbekend" finds the answer here) and download it; only a coordinator loads a new one, as
only coordinators edit reference data.
"""

import csv
import io

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.postcodes import format_postcode
from core.staff_access import coordinator_required, staff_required
from core.uploads import safe_cell

from . import services_reference as reference_services
from .forms_reference import UploadPostcodesForm
from .reference import District, PostcodeRange


def _page(request, upload_form=None):
    return render(request, "registrations/backoffice/postcodes.html", {
        "ranges": PostcodeRange.objects.select_related("district").order_by("first", "last"),
        "districts": District.objects.annotate(range_count=Count("postcodes")),
        "upload_form": upload_form or UploadPostcodesForm(prefix=UploadPostcodesForm.prefix),
    })


@staff_required
def overview(request):
    return _page(request)


@coordinator_required
@require_POST
def upload(request):
    form = UploadPostcodesForm(request.POST, request.FILES, prefix=UploadPostcodesForm.prefix)
    if not form.is_valid():
        return _page(request, form)
    try:
        loaded = reference_services.replace_postcode_table(form.cleaned_data["ranges"],
                                                           request.user)
    except reference_services.DistrictDeleted:
        form.add_error("file", _("Een wijk uit het bestand is net in Beheer verwijderd. Er is "
                                 "niets veranderd. Laad het bestand opnieuw."))
        return _page(request, form)
    counts = {"ranges": loaded.ranges, "changed": loaded.caregivers_changed}
    messages.success(request, " ".join([
        ngettext("De tabel is vervangen: %(ranges)s postcodegebied geladen.",
                 "De tabel is vervangen: %(ranges)s postcodegebieden geladen.",
                 loaded.ranges) % counts,
        ngettext("%(changed)s mantelzorger heeft nu een andere wijk.",
                 "%(changed)s mantelzorgers hebben nu een andere wijk.",
                 loaded.caregivers_changed) % counts]))
    return redirect("registrations:postcodes")


@staff_required
def export(request):
    """The current table in the upload's format (the name column is skipped on upload), so
    a coordinator changes it in a spreadsheet and loads it again."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["van", "tot", "wijk", "naam"])
    for item in PostcodeRange.objects.select_related("district").order_by("first", "last"):
        writer.writerow([format_postcode(item.first), format_postcode(item.last),
                         safe_cell(item.district.cbs_code), safe_cell(item.district.name)])
    response = HttpResponse(out.getvalue().encode("utf-8-sig"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="postcodegebieden.csv"'
    return response
