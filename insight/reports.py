"""The annual figures of the Servicepunt (the annual report's chapter, DOMAIN.md "2023 figures").

Everything is counted in SQL with (conditional) aggregates: a fixed, small number of queries
whatever the number of caregivers, so the dashboard stays fast at 100,000 registrations.
Each query covers the chosen year and the year before it at once (the dashboard shows both).

Only columns that erasure keeps are read (dates, states, wijk, birth year, request year,
age group and amount; the kind and date of contact moments; burden scores), so the figures
of a year stay the same after retention erased the people in it. The one exception: the
target groups EMB and migration background, which exist only with consent and are erased
with the person (a past year's count of them can drop after retention).
"""

import datetime

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from appreciation.models import AgeGroup, AppreciationRequest, RequestState
from appreciation.models.campaigns import CampaignKind, CampaignRequest, CampaignRequestState
from core import clock
from core.formats import dutch_number, euros
from registrations.models import Caregiver, District, RegistrationRules
from registrations.selectors import SENIOR_AGE
from worker.models import Delivery, DeliveryStatus, Letter, LetterKind, LetterStatus

from .models import BurdenCheck, ContactKind, ContactMoment

RECEIVED_TICKETS = [CampaignRequestState.TOEGEKEND, CampaignRequestState.VERSTUURD,
                    CampaignRequestState.OPGEHAALD]

# The single figures, in the order of the page, the CSV and the PDF.
FIGURES = [
    ("registered", _("Ingeschreven mantelzorgers op 31 december")),
    ("registered_young", _("van wie jonge mantelzorgers")),
    ("registered_emb", _("van wie ouders van een kind met EMB (met toestemming)")),
    ("registered_migration", _("van wie met migratieachtergrond (met toestemming)")),
    ("registered_senior", _("van wie 70 jaar of ouder")),
    ("new_registrations", _("Nieuwe inschrijvingen in het jaar")),
    ("former", _("Voormalig mantelzorgers op 31 december")),
    ("paid_adult", _("Waarderingen uitbetaald: volwassenen")),
    ("paid_young", _("Waarderingen uitbetaald: jonge mantelzorgers")),
    ("paid_amount_cents", _("Bedrag waarderingen uitbetaald")),
    ("waardering_unknown", _("Onbekende mantelzorgers die de waardering aanvroegen")),
    ("waardering_registered", _("van wie nu ingeschreven")),
    ("swim_tickets", _("Mantelzorgers die zwemkaartjes kregen")),
    ("newsletters_sent", _("Nieuwsbrieven verstuurd (e-mail en post)")),
    ("burden_answered", _("Mantelzorgers die de zelftest invulden")),
    ("burden_heavy", _("van wie zwaar belast")),
    ("contacts_total", _("Contactmomenten")),
    ("preventive_home_visits", _("Preventieve huisbezoeken")),
]


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Start of the year and of the next one, in Harderwijk's time (for datetime columns)."""
    return (datetime.datetime(year, 1, 1, tzinfo=clock.AMSTERDAM),
            datetime.datetime(year + 1, 1, 1, tzinfo=clock.AMSTERDAM))


def registered_at(day: datetime.date) -> Q:
    """Registered on `day`: activated on or before it and the registration not ended by it.

    A registration counts once it is active (a confirmed or checked one), not while it waits
    for confirmation. Former caregivers are still registered (two more years, DOMAIN.md).
    Erased rows keep these dates, so they count for the years they were registered.
    """
    return (Q(registered_on__lte=day, activated_on__isnull=False, activated_on__lte=day)
            & (Q(ended_on__isnull=True) | Q(ended_on__gt=day)))


def young_at(day: datetime.date, young_max_age: int) -> Q:
    """Aged `young_max_age` or younger on `day` (31 December): born after the same day
    `young_max_age + 1` years earlier. Erased rows keep 1 January of the birth year."""
    return Q(date_of_birth__gt=day.replace(year=day.year - young_max_age - 1))


def senior_at(day: datetime.date) -> Q:
    """Aged 70 or older on `day`: born on or before the same day 70 years earlier (29
    February counts from 28 February). Exact also for erased rows: they keep 1 January
    of the birth year, and whoever was born in that year is 70 by 31 December."""
    try:
        cutoff = day.replace(year=day.year - SENIOR_AGE)
    except ValueError:  # 29 February
        cutoff = day.replace(year=day.year - SENIOR_AGE, day=28)
    return Q(date_of_birth__lte=cutoff)


def available_years() -> list[int]:
    """Years with registrations, newest first, always including this year."""
    this_year = clock.today().year
    first = Caregiver.objects.aggregate(first=Min("registered_on"))["first"]
    first_year = min(first.year, this_year) if first else this_year
    return list(range(this_year, first_year - 1, -1))


def annual_figures(year: int) -> dict:
    """The figures of `year`, with `previous` holding the same single figures for year - 1.

    Keys: the FIGURES keys, `burden_share` (percentage or None), `contacts` (per kind),
    `per_district` [(wijk or None, new registrations)], `per_month` and
    `per_month_previous` (12 counts of new registrations each), `year`, `previous`.
    """
    years = [year, year - 1]
    figures = {y: {"year": y} for y in years}
    for part in (_caregiver_counts, _waardering_counts, _swim_ticket_counts,
                 _newsletter_counts, _contact_counts):
        for y, values in part(years).items():
            figures[y].update(values)
    for y in years:
        figures[y].update(_burden(y))
    result = figures[year]
    result["previous"] = figures[year - 1]
    result["per_district"] = _per_district(year, result.pop("new_unknown_district"))
    figures[year - 1].pop("new_unknown_district")
    result["per_month"], result["per_month_previous"] = _per_month(year)
    return result


def _caregiver_counts(years) -> dict:
    """Registered caregivers at each year's end, with the policy's target groups among
    them. EMB and migration background are what people consented to record and still
    have on file: erasure removes them, so a past year's count can drop after retention."""
    young_max_age = RegistrationRules.current().young_max_age
    consented = Q(target_group_consent_at__isnull=False)
    aggregates = {}
    for y in years:
        end = datetime.date(y, 12, 31)
        registered = registered_at(end)
        aggregates.update({
            f"registered_{y}": Count("pk", filter=registered),
            f"registered_young_{y}": Count("pk", filter=registered & young_at(end,
                                                                               young_max_age)),
            f"new_registrations_{y}": Count("pk", filter=Q(registered_on__year=y)),
            f"registered_emb_{y}": Count("pk", filter=registered & consented & Q(
                parent_of_disabled_child=True)),
            f"registered_migration_{y}": Count("pk", filter=registered & consented & Q(
                migration_background=True)),
            f"registered_senior_{y}": Count("pk", filter=registered & senior_at(end)),
            f"former_{y}": Count("pk", filter=registered & Q(care_ended_on__lte=end)),
            f"new_unknown_district_{y}": Count("pk", filter=Q(registered_on__year=y,
                                                              district__isnull=True)),
        })
    return _split(Caregiver.objects.aggregate(**aggregates), years)


def _waardering_counts(years) -> dict:
    aggregates = {}
    for y in years:
        paid = Q(year__year=y, state=RequestState.UITBETAALD)
        unknown = Q(year__year=y, caregiver_was_unknown=True)
        aggregates.update({
            f"paid_adult_{y}": Count("pk", filter=paid & Q(age_group=AgeGroup.ADULT)),
            f"paid_young_{y}": Count("pk", filter=paid & Q(age_group=AgeGroup.YOUNG)),
            f"paid_amount_cents_{y}": Sum("amount_cents", filter=paid, default=0),
            f"waardering_unknown_{y}": Count("caregiver", distinct=True, filter=unknown),
            f"waardering_registered_{y}": Count(
                "caregiver", distinct=True,
                filter=unknown & Q(caregiver__activated_on__isnull=False)),
        })
    rows = AppreciationRequest.objects.filter(year__year__in=years)
    return _split(rows.aggregate(**aggregates), years)


def _swim_ticket_counts(years) -> dict:
    """Caregivers who received tickets in a swim campaign starting that year."""
    rows = CampaignRequest.objects.filter(campaign__kind=CampaignKind.SWIM_TICKETS,
                                          state__in=RECEIVED_TICKETS)
    aggregates = {f"swim_tickets_{y}": Count("caregiver", distinct=True,
                                             filter=Q(campaign__starts_on__year=y))
                  for y in years}
    return _split(rows.aggregate(**aggregates), years)


def _newsletter_counts(years) -> dict:
    """Newsletter copies sent: e-mails delivered plus postal copies printed and sent.
    Campaign invitations use the newsletter machinery but are not newsletters."""
    first, last = year_bounds(min(years))[0], year_bounds(max(years))[1]
    counts = {}
    for rows in (
        Delivery.objects.filter(status=DeliveryStatus.SENT),
        Letter.objects.filter(kind=LetterKind.NEWSLETTER, status=LetterStatus.SENT),
    ):
        rows = rows.filter(sent_at__gte=first, sent_at__lt=last).exclude(
            newsletter__audience__has_key="campaign")
        aggregates = {f"n_{y}": Count("pk", filter=Q(sent_at__gte=year_bounds(y)[0],
                                                      sent_at__lt=year_bounds(y)[1]))
                      for y in years}
        for y, n in rows.aggregate(**aggregates).items():
            counts[y] = counts.get(y, 0) + n
    return {y: {"newsletters_sent": counts[f"n_{y}"]} for y in years}


def _contact_counts(years) -> dict:
    aggregates = {}
    for y in years:
        in_year = Q(on__year=y)
        aggregates[f"contacts_total_{y}"] = Count("pk", filter=in_year)
        aggregates[f"preventive_home_visits_{y}"] = Count("pk", filter=in_year
                                                          & Q(preventive=True))
        for kind in ContactKind.values:
            aggregates[f"contact_{kind}_{y}"] = Count("pk", filter=in_year & Q(kind=kind))
    rows = ContactMoment.objects.filter(on__year__gte=min(years), on__year__lte=max(years))
    result = _split(rows.aggregate(**aggregates), years)
    for values in result.values():
        values["contacts"] = [(kind, label, values.pop(f"contact_{kind}"))
                              for kind, label in ContactKind.choices]
    return result


def _burden(year: int) -> dict:
    """Share heavily burdened among caregivers who answered in `year`, by their last check
    of that year (the municipality's indicator: 12.3% in 2016, must go down)."""
    start, end = year_bounds(year)
    later = BurdenCheck.objects.filter(caregiver=OuterRef("caregiver"),
                                       answered_at__gt=OuterRef("answered_at"),
                                       answered_at__lt=end)
    counts = BurdenCheck.objects.filter(answered_at__gte=start, answered_at__lt=end).filter(
        ~Exists(later)).aggregate(
        answered=Count("caregiver", distinct=True),
        heavy=Count("caregiver", distinct=True, filter=Q(heavy=True)))
    share = round(100 * counts["heavy"] / counts["answered"], 1) if counts["answered"] else None
    return {"burden_answered": counts["answered"], "burden_heavy": counts["heavy"],
            "burden_share": share}


def _per_district(year: int, unknown: int) -> list[tuple[str | None, int]]:
    """New registrations of the year per wijk (every wijk, also with 0), then 'onbekend'."""
    rows = District.objects.annotate(n=Count("caregivers", filter=Q(
        caregivers__registered_on__year=year))).order_by("name").values_list("name", "n")
    return [*rows, (None, unknown)]


def _per_month(year: int) -> tuple[list[int], list[int]]:
    """New registrations per month, for `year` and the year before."""
    rows = (Caregiver.objects.filter(registered_on__year__gte=year - 1,
                                     registered_on__year__lte=year)
            .annotate(month=TruncMonth("registered_on")).order_by()
            .values("month").annotate(n=Count("pk")).values_list("month", "n"))
    months = {(year - 1): [0] * 12, year: [0] * 12}
    for month, n in rows:
        months[month.year][month.month - 1] += n
    return months[year], months[year - 1]


def _split(aggregate: dict, years) -> dict:
    """{'registered_2023': 5, …} → {2023: {'registered': 5, …}}."""
    result = {y: {} for y in years}
    for key, value in aggregate.items():
        name, y = key.rsplit("_", 1)
        result[int(y)][name] = value or 0
    return result


# --- Dutch number formats -----------------------------------------------------------------



def nl_percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def format_figure(key: str, value) -> str:
    if key == "paid_amount_cents":
        return euros(value)
    return dutch_number(value)
