"""Writes for the waardering."""

from django.db import transaction

from registrations.models import add_months

from .models import AppreciationYear


@transaction.atomic
def copy_next_year(source: AppreciationYear) -> AppreciationYear:
    """The next year starts with last year's rules, the window moved one year on."""
    existing = AppreciationYear.objects.filter(year=source.year + 1).first()
    if existing:
        return existing
    fields = {f.name: getattr(source, f.name) for f in AppreciationYear._meta.fields
              if f.name not in ("id", "year", "payouts_made_at")}
    fields["window_opens"] = add_months(source.window_opens, 12)
    fields["window_closes"] = add_months(source.window_closes, 12)
    return AppreciationYear.objects.create(year=source.year + 1, **fields)

