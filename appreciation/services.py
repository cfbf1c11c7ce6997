"""Writes for the waardering."""

import datetime

from django.db import transaction

from .models import AppreciationYear


def _shift(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def copy_next_year(source: AppreciationYear) -> AppreciationYear:
    """The next year starts with last year's rules, the window moved one year on."""
    existing = AppreciationYear.objects.filter(year=source.year + 1).first()
    if existing:
        return existing
    fields = {f.name: getattr(source, f.name) for f in AppreciationYear._meta.fields
              if f.name not in ("id", "year", "payouts_made_at")}
    fields["window_opens"] = _shift(source.window_opens, 1)
    fields["window_closes"] = _shift(source.window_closes, 1)
    return AppreciationYear.objects.create(year=source.year + 1, **fields)

