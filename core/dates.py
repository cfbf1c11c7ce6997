"""Date arithmetic of the rules: whole months (3 months of care, two years of retention)."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months; the 29th–31st fall back to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_reaching(limit: datetime.date, months: int) -> datetime.date:
    """The latest day d with add_months(d, months) <= limit (for set-based date filters)."""
    day = add_months(limit, -months)
    while add_months(day + datetime.timedelta(days=1), months) <= limit:
        day += datetime.timedelta(days=1)
    return day
