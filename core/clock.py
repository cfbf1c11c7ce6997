"""The one place that says what time and day it is.

Every rule with a date (application windows, ages, the two-year retention) asks here, in
Europe/Amsterdam, so tests can move the clock with time-machine and get consistent answers.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now() -> datetime.datetime:
    """The current moment, aware, in Europe/Amsterdam."""
    return timezone.now().astimezone(AMSTERDAM)


def today() -> datetime.date:
    """Today's date in Harderwijk (not in UTC: just after midnight they differ)."""
    return now().date()


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day`; someone born on 29 February ages on 1 March."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)
