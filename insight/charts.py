"""The charts and figures of the dashboard and the annual report, as plain data: bar and
line geometry (SVG coordinates computed here, so the templates draw without scripts) and the
report's context. The views and the report task both read them."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formats import dutch_number

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
