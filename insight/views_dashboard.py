"""The annual dashboard (Inzicht): figures, charts drawn on the server as SVG, CSV and PDF.

Charts are inline SVG computed here (no JavaScript: the CSP allows no inline scripts), each
with a text alternative and a visible data table. The PDF is made by a worker task
(`insight.render_annual_report`), never in a request; this page only queues it and offers
the stored file for download.
"""

import csv

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.staff_access import staff_required

from . import reports
from .charts import (
    MONTHS,
    report_context,
    report_path,
)


def _chosen_year(value, years) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return years[0]
    return year if year in years else years[0]


@staff_required
def dashboard(request):
    years = reports.available_years()
    year = _chosen_year(request.GET.get("jaar"), years)
    context = report_context(year)
    path = report_path(year)
    pdf_made_at = None
    if default_storage.exists(path):
        pdf_made_at = formats.date_format(
            default_storage.get_modified_time(path).astimezone(clock.AMSTERDAM),
            "d-m-Y H:i")
    context.update({"years": years, "pdf_made_at": pdf_made_at})
    return render(request, "insight/dashboard/index.html", context)


def csv_rows(year: int) -> list[list[str]]:
    """One row per figure: key, label, value (Dutch decimal comma, no thousands dots)."""
    figures = reports.annual_figures(year)
    rows = [["sleutel", "omschrijving", "waarde"]]
    for key, label in reports.FIGURES:
        value = figures[key]
        if key == "paid_amount_cents":
            rows.append(["paid_amount_euro", str(label),
                         f"{value // 100},{value % 100:02d}"])
        else:
            rows.append([key, str(label), str(value)])
    share = figures["burden_share"]
    rows.append(["burden_share", _("Aandeel zwaar belast (procent)"),
                 "" if share is None else f"{share:.1f}".replace(".", ",")])
    for kind, label, n in figures["contacts"]:
        rows.append([f"contact:{kind}", _("Contactmomenten: %(kind)s") % {"kind": label},
                     str(n)])
    for name, n in figures["per_district"]:
        rows.append([f"wijk:{name or 'onbekend'}", _("Nieuwe inschrijvingen wijk %(name)s")
                     % {"name": name or _("onbekend")}, str(n)])
    for y, values in ((year, figures["per_month"]), (year - 1, figures["per_month_previous"])):
        for month, n in enumerate(values, start=1):
            rows.append([f"maand:{y}-{month:02d}", _("Nieuwe inschrijvingen %(month)s %(year)s")
                         % {"month": MONTHS[month - 1], "year": y}, str(n)])
    return rows


@staff_required
def export_csv(request, year: int):
    if year not in reports.available_years():
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inzicht-{year}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 (ë in wijk names) only with a BOM
    csv.writer(response, delimiter=";").writerows(csv_rows(year))
    return response


@staff_required
@require_POST
def make_pdf(request, year: int):
    """Queue the PDF; a worker renders it (WeasyPrint never runs in a request)."""
    from .tasks import render_annual_report

    if year not in reports.available_years():
        raise Http404
    render_annual_report.delay(year)
    messages.success(request, _("De PDF wordt gemaakt. Vernieuw de pagina over een paar "
                                "seconden om hem te downloaden."))
    return redirect(f"{reverse('insight:dashboard')}?jaar={year}")


@staff_required
def download_pdf(request, year: int):
    path = report_path(year)
    if not default_storage.exists(path):
        raise Http404
    return FileResponse(default_storage.open(path, "rb"), as_attachment=True,
                        filename=f"jaarverslag-mantelzorg-{year}.pdf",
                        content_type="application/pdf")
