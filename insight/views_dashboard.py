"""The annual dashboard (Inzicht): figures, charts drawn on the server as SVG, CSV and PDF.

Charts are inline SVG computed here (no JavaScript: the CSP allows no inline scripts), each
with a text alternative and a visible data table. The PDF is made by a worker task
(`insight.render_annual_report`), never in a request; this page only queues it and offers
the stored file for download.
"""

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mantelzorg import clock
from mantelzorg.formats import dutch_number
from mantelzorg.staff_access import staff_required

from . import reports

MONTHS = [gettext_lazy("jan"), gettext_lazy("feb"), gettext_lazy("mrt"), gettext_lazy("apr"),
          gettext_lazy("mei"), gettext_lazy("jun"), gettext_lazy("jul"), gettext_lazy("aug"),
          gettext_lazy("sep"), gettext_lazy("okt"), gettext_lazy("nov"), gettext_lazy("dec")]
# Colours with at least 4.5:1 contrast on white (text and lines alike).
COLOUR_THIS_YEAR = "#1d4f91"
COLOUR_LAST_YEAR = "#8a4b00"


def report_path(year: int) -> str:
    return f"reports/jaarverslag-{year}.pdf"


@dataclass
class Figure:
    key: str
    label: str
    value: str
    previous: str


def figure_rows(figures: dict) -> list[Figure]:
    """The single figures as formatted rows, this year beside last year."""
    previous = figures["previous"]
    return [Figure(key, str(label), reports.format_figure(key, figures[key]),
                   reports.format_figure(key, previous[key]))
            for key, label in reports.FIGURES]


def district_rows(figures: dict) -> list[tuple[str, int]]:
    return [(name or _("onbekend"), n) for name, n in figures["per_district"]]


def nice_max(value: int) -> int:
    """A round top for an axis (1, 2, 5 × 10^n) at or above `value`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return max(step * factor, 1)
        step *= 10


def bar_chart(rows: list[tuple[str, int]]) -> dict:
    """Horizontal bars, one per wijk, with the number at the end of each bar."""
    label_width, bar_space, row_height = 150, 330, 22
    top = nice_max(max((n for _name, n in rows), default=0))
    bars = [{"label": name, "value": n, "text": dutch_number(n),
             "y": 10 + i * row_height, "text_y": 10 + i * row_height + 14,
             "width": round(bar_space * n / top, 1),
             "value_x": label_width + round(bar_space * n / top, 1) + 6}
            for i, (name, n) in enumerate(rows)]
    biggest = max(rows, key=lambda row: row[1]) if rows else ("", 0)
    return {"bars": bars, "height": 20 + len(rows) * row_height, "label_width": label_width,
            "label_x": label_width - 6, "width": label_width + bar_space + 60,
            "colour": COLOUR_THIS_YEAR,
            "summary": _("Nieuwe inschrijvingen per wijk. De meeste in %(name)s: %(n)s.")
            % {"name": biggest[0], "n": dutch_number(biggest[1])}}


def line_chart(this_year: list[int], last_year: list[int], year: int) -> dict:
    """Two lines over 12 months: this year solid, last year dashed (not colour alone)."""
    left, width, height, bottom = 50, 520, 200, 30
    top = nice_max(max(this_year + last_year + [0]))

    def point(i, n):
        return round(left + i * width / 11, 1), round(10 + height - height * n / top, 1)

    def series(values):
        points = [point(i, n) for i, n in enumerate(values)]
        return {"path": " ".join(f"{x},{y}" for x, y in points),
                "points": [{"x": x, "y": y, "square_x": x - 3, "square_y": y - 3}
                           for x, y in points]}

    parts = next(n for n in (5, 4, 2, 1) if top % n == 0)  # whole numbers on the axis
    ticks = [{"value": dutch_number(top * k // parts),
              "y": round(10 + height - height * k / parts, 1), "text_y": round(
                  10 + height - height * k / parts + 4, 1)} for k in range(parts + 1)]
    months = [{"label": label, "x": round(left + i * width / 11, 1)}
              for i, label in enumerate(MONTHS)]
    return {"this_year": series(this_year), "last_year": series(last_year),
            "ticks": ticks, "months": months, "left": left, "right": left + width,
            "axis_y": 10 + height, "month_y": 10 + height + 18,
            "width": left + width + 20, "height": 10 + height + bottom,
            "colour_this": COLOUR_THIS_YEAR, "colour_last": COLOUR_LAST_YEAR,
            "rows": [(label, dutch_number(a), dutch_number(b))
                     for label, a, b in zip(MONTHS, this_year, last_year,
                                                    strict=True)],
            "summary": _("Nieuwe inschrijvingen per maand: %(year)s in totaal %(now)s, "
                         "%(last)s in totaal %(before)s.") % {
                "year": year, "now": dutch_number(sum(this_year)),
                "last": year - 1, "before": dutch_number(sum(last_year))}}


def report_context(year: int) -> dict:
    """Everything the page and the PDF show for `year`."""
    figures = reports.annual_figures(year)
    districts = district_rows(figures)
    return {
        "year": year, "last_year": year - 1, "figures": figures,
        "rows": figure_rows(figures), "districts": [(name, dutch_number(n))
                                                    for name, n in districts],
        "bar_chart": bar_chart(districts),
        "line_chart": line_chart(figures["per_month"], figures["per_month_previous"], year),
        "burden_share": reports.nl_percent(figures["burden_share"]),
        "burden_share_previous": reports.nl_percent(figures["previous"]["burden_share"]),
        "contacts": [(label, dutch_number(n)) for _kind, label, n in figures["contacts"]],
    }


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
