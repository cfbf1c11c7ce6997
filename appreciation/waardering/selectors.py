"""Reads for the back-office waardering pages: the review queue, one request, the budget.

The queue must stay fast with hundreds of thousands of requests, so it reads only the
columns the list shows and joins year, caregiver and wijk in the same query. Health
information never appears here: the queue has no free text about care at all.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django_fsm_log.models import StateLog

from core import clock
from core.formats import euros
from registrations.models import Channel, State

from ..models import OPEN_STATES, AppreciationRequest, AppreciationYear, RequestState
from . import services

# The columns the queue shows (and the bulk checkbox needs); nothing else is read. The
# caregiver's state is read too: its state machine looks at it when the row is loaded.
QUEUE_COLUMNS = [
    "id", "submitted_at", "state", "age_group", "amount_cents", "checks", "checks_passed",
    "info_due_on",
    "year__id", "year__year",
    "caregiver__id", "caregiver__state", "caregiver__first_name", "caregiver__surname_prefix",
    "caregiver__last_name",
    "caregiver__district__id", "caregiver__district__name",
]

BULK_STATES = [RequestState.INGEDIEND, RequestState.IN_BEHANDELING]
OPEN = "open"  # the queue's default state filter: everything still waiting for someone
# The queue's filter for questions not answered by their deadline: a consulent decides
# whether to set each request aside (art. 4:5 Awb); nothing does it on its own.
OVERDUE = "antwoord_te_laat"



def mask_iban(iban: str) -> str:
    """Only the last four characters, enough to recognise the account on the phone."""
    if not iban:
        return ""
    return "•" * max(len(iban) - 4, 0) + iban[-4:]


def current_year() -> AppreciationYear | None:
    """The year of today, else the newest year set up."""
    years = AppreciationYear.objects.order_by("-year")
    return years.filter(year=clock.today().year).first() or years.first()


def overdue_questions(today=None) -> QuerySet:
    """Requests whose question was not answered by its deadline (the deadline day itself
    still counts as in time)."""
    return AppreciationRequest.objects.filter(state=RequestState.AANVULLING_NODIG,
                                              info_due_on__lt=today or clock.today())


def review_queue(*, year=None, state=OPEN, age_group="", district="",
                 failed_checks=False) -> QuerySet:
    """Requests oldest first, filtered; `district` is a wijk id or 'onbekend'."""
    requests = (AppreciationRequest.objects
                .select_related("year", "caregiver", "caregiver__district")
                .only(*QUEUE_COLUMNS))
    if year:
        requests = requests.filter(year=year)
    if state == OPEN:
        requests = requests.filter(state__in=OPEN_STATES)
    elif state == OVERDUE:
        requests = requests.filter(pk__in=overdue_questions().values("pk"))
    elif state:
        requests = requests.filter(state=state)
    if age_group:
        requests = requests.filter(age_group=age_group)
    if district == "onbekend":
        requests = requests.filter(caregiver__district__isnull=True)
    elif district:
        requests = requests.filter(caregiver__district_id=district)
    if failed_checks:
        requests = requests.filter(checks_passed=False)
    return requests.order_by("submitted_at", "pk")


def queue_rows(requests) -> list[dict]:
    """What one page of the queue shows per request, formatted once here."""
    today = clock.today()
    return [{
        "overdue": (request.state == RequestState.AANVULLING_NODIG
                    and request.info_due_on is not None and request.info_due_on < today),
        "request": request,
        "amount": euros(request.amount_cents),
        "failed": sum(1 for check in request.checks if not check.get("ok")),
        "bulk": request.checks_passed and request.state in BULK_STATES,
    } for request in requests]


def budget_panel(year: AppreciationYear | None) -> dict | None:
    """The budget of a year in euros, and whether to warn: available below 5% or below
    what one adult's waardering costs."""
    if year is None:
        return None
    summary = services.budget_summary(year)
    newcomers = AppreciationRequest.objects.filter(
        year=year, caregiver_was_unknown=True).exclude(state=RequestState.INGETROKKEN).aggregate(
        unknown=Count("id"),
        registered=Count("id", filter=Q(caregiver__state__in=[State.ACTIEF, State.VOORMALIG])))
    available = summary["available"]
    low_mark = max(year.budget_cents // 20, year.amount_adult_cents)
    return {
        "year": year.year,
        **{key: euros(value) for key, value in summary.items()},
        "overspent": euros(-available) if available < 0 else "",
        "low": 0 <= available < low_mark,
        "room_for": max(available, 0) // year.amount_adult_cents
        if year.amount_adult_cents else None,
        # The annual report's "109 of 168 previously unknown caregivers registered".
        "newcomers": newcomers,
    }


def request_for_review(pk: int) -> AppreciationRequest:
    return (AppreciationRequest.objects
            .select_related("year", "caregiver", "caregiver__district", "decided_by",
                            "payment_batch")
            .get(pk=pk))


def history(request: AppreciationRequest) -> list[dict]:
    """Every recorded transition, oldest first, with the states in words."""
    labels = dict(RequestState.choices)
    content_type = ContentType.objects.get_for_model(AppreciationRequest)
    logs = (StateLog.objects.filter(content_type=content_type, object_id=request.pk)
            .select_related("by").order_by("timestamp", "pk"))
    return [{"log": log, "source": labels.get(log.source_state, log.source_state or "–"),
             "target": labels.get(log.state, log.state)} for log in logs]


def letters(request: AppreciationRequest) -> list[dict]:
    """The letters about this request, oldest first, with the channel in words."""
    channels = dict(Channel.choices)
    return [{"letter": letter, "channel": channels.get(letter.channel, letter.channel)}
            for letter in request.letters.order_by("created_at", "pk")]
