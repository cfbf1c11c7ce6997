"""Past waarderingen in the registry import (issue 18): year, amount and date paid per line.

Registered in `AppreciationConfig.ready()` with `registrations.extensions.add_import_fields`:
the registry import does not know the waardering. Inside the import's one transaction each
line with a year becomes a paid request of that year (once per caregiver and year), in a
payment batch per year and paid date, so the history and the annual figures are complete.
A year that is not set up yet is made, already paid out (frozen), with the usual window.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from core import clock
from registrations.extensions import add_import_fields
from registrations.imports.cleaning import parse_date
from registrations.imports.fields import ImportField

from ..models import (
    NOT_COUNTED_STATES,
    AgeGroup,
    AppreciationRequest,
    AppreciationYear,
    PaymentBatch,
    PayoutForm,
    RequestState,
    Route,
)

AMOUNT_RE = re.compile(r"^(?:€|eur)?\s*([0-9]{1,4})(?:[.,]([0-9]{1,2}))?\s*(?:€|eur)?$")


def _year(value) -> int:
    text = str(value).strip().removesuffix(".0")
    if not text.isdigit() or not 2000 <= int(text) < clock.today().year:
        raise ValidationError(f"'{str(value)[:10]}' is geen jaar van voor dit jaar.")
    return int(text)


def _amount_cents(value) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        euros = Decimal(str(value))
    else:
        match = AMOUNT_RE.match(str(value).strip().casefold())
        if not match:
            raise ValidationError(f"'{str(value)[:20]}' is geen bedrag. Schrijf het zoals 75 "
                                  "of 75,00.")
        euros = Decimal(f"{match.group(1)}.{match.group(2) or 0}")
    try:
        cents = int(euros * 100)
    except InvalidOperation:
        raise ValidationError("Dit is geen bedrag.") from None
    if not 1 <= cents <= 100_000:
        raise ValidationError("Een bedrag van 0,01 tot en met 1000 euro.")
    return cents


def _paid_on(value) -> str:
    try:
        day = parse_date(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if day > clock.today():
        raise ValidationError("Deze datum ligt in de toekomst.")
    return day.isoformat()


FIELDS = [
    ImportField("waardering_year", "Waardering: jaar", names=(
        "jaar", "waardering jaar", "jaar waardering", "mantelzorgwaardering jaar"),
        help="Een jaar van voor dit jaar, bijvoorbeeld 2024.", clean=_year),
    ImportField("waardering_amount", "Waardering: bedrag", names=(
        "bedrag", "waardering bedrag", "bedrag waardering", "uitbetaald bedrag"),
        help="In euro's, bijvoorbeeld 75 of 75,00. Leeg: het bedrag van dat jaar.",
        clean=_amount_cents),
    ImportField("waardering_paid_on", "Waardering: betaald op", names=(
        "betaald op", "datum betaald", "uitbetaald op", "betaaldatum"),
        help="Leeg: 31 december van dat jaar.", clean=_paid_on),
]


def describe_history(caregiver_lines) -> dict[int, dict[int, list[str]]]:
    """For the dry run: the years each known caregiver would get, by line."""
    wanted = {(caregiver.pk, data["waardering_year"]): line
              for caregiver, lines in caregiver_lines for line, data in reversed(lines)
              if data.get("waardering_year")}
    if not wanted:
        return {}
    have = set(AppreciationRequest.objects.filter(
        year__year__in={year for _pk, year in wanted},
        caregiver_id__in={pk for pk, _year in wanted},
    ).exclude(state__in=NOT_COUNTED_STATES).values_list("caregiver_id", "year__year"))
    changes: dict[int, dict[int, list[str]]] = {}
    for (pk, year), line in sorted(wanted.items()):
        if (pk, year) not in have:
            changes.setdefault(pk, {}).setdefault(line, []).append(f"waardering {year} erbij")
    return changes


def write_history(caregiver_lines, registry_import) -> int:
    """Paid requests for the years in the lines; a year someone has already is left alone.
    Returns how many requests were made."""
    wanted = {}
    for caregiver, lines in caregiver_lines:
        for data in lines:
            if data.get("waardering_year"):
                wanted.setdefault((caregiver.pk, data["waardering_year"]), (caregiver, data))
    if not wanted:
        return 0
    years = _years({year for _pk, year in wanted})
    have = set(AppreciationRequest.objects.filter(
        year__year__in=list(years), caregiver_id__in={pk for pk, _year in wanted},
    ).exclude(state__in=NOT_COUNTED_STATES).values_list("caregiver_id", "year__year"))
    batches: dict[tuple[int, datetime.date], PaymentBatch] = {}
    requests = []
    for (caregiver_pk, year_number), (caregiver, data) in wanted.items():
        if (caregiver_pk, year_number) in have:
            continue
        year = years[year_number]
        paid_on = (datetime.date.fromisoformat(data["waardering_paid_on"])
                   if data.get("waardering_paid_on") else datetime.date(year_number, 12, 31))
        batch = batches.get((year_number, paid_on))
        if batch is None:
            batch = batches[(year_number, paid_on)] = _batch(year, paid_on)
        requests.append(_paid_request(caregiver, year, batch, data, paid_on))
    AppreciationRequest.objects.bulk_create(requests, batch_size=1000)
    for batch in batches.values():
        mine = [r for r in requests if r.payment_batch_id == batch.pk]
        batch.request_count = len(mine)
        batch.total_cents = sum(r.amount_cents for r in mine)
    PaymentBatch.objects.bulk_update(list(batches.values()), ["request_count", "total_cents"])
    return len(requests)


def _years(numbers: set[int]) -> dict[int, AppreciationYear]:
    years = {y.year: y for y in AppreciationYear.objects.filter(year__in=numbers)}
    for number in numbers - set(years):
        years[number] = AppreciationYear.objects.create(
            year=number, window_opens=datetime.date(number, 9, 1),
            window_closes=datetime.date(number, 11, 10),
            payouts_made_at=datetime.datetime(number, 12, 31, 12, 0, tzinfo=clock.AMSTERDAM))
    return years


def _batch(year, paid_on: datetime.date) -> PaymentBatch:
    moment = datetime.datetime.combine(paid_on, datetime.time(12, 0), tzinfo=clock.AMSTERDAM)
    return PaymentBatch.objects.create(year=year, payout_form=PayoutForm.BANK,
                                       created_at=moment, paid_at=moment)


def _paid_request(caregiver, year, batch, data, paid_on) -> AppreciationRequest:
    young = caregiver.is_young(on=datetime.date(year.year, 12, 31))
    age_group = AgeGroup.YOUNG if young else AgeGroup.ADULT
    moment = datetime.datetime.combine(paid_on, datetime.time(12, 0), tzinfo=clock.AMSTERDAM)
    care_since = data.get("care_since")
    return AppreciationRequest(
        year=year, caregiver=caregiver, route=Route.CONSULENT,
        caregiver_confirmed_at=moment, recipient_name=data.get("recipient_name", ""),
        recipient_postcode=caregiver.postcode, recipient_house_number=caregiver.house_number,
        hours_per_week=data.get("hours_per_week", 0),
        care_since=(datetime.date.fromisoformat(care_since) if care_since
                    else caregiver.registered_on),
        age_group=age_group, payout_form=batch.payout_form,
        amount_cents=data.get("waardering_amount") or year.amount_for(age_group),
        state=RequestState.UITBETAALD, checks_passed=True, decided_at=moment,
        payment_batch=batch, submitted_at=moment)


def register() -> None:
    add_import_fields(FIELDS, write_history, describe_history)
