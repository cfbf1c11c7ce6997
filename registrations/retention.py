"""Retention: former caregivers stay two years, then the registration ends and, after a grace
period, personal data is erased. Run daily by beat (mantelzorg/schedule.py).

Everything here is set-based SQL, never a loop over objects: it must handle a million
registrations in well under a minute. Each step is idempotent (it selects by state and
date), so running a job twice, or late, changes nothing more. Transitions are logged in
django-fsm-log's table with one INSERT … SELECT, like the transition methods would.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import DateField, F, Value
from django.db.models.functions import Substr, Trunc
from django_fsm_log.models import StateLog

from core import clock, languages
from core.dates import last_day_reaching
from worker.models import Letter, LetterStatus
from worker.retention import forget_recipients

from .imports.jobs import forget_old_imports
from .models import (
    AccessToken,
    Caregiver,
    CareRecipient,
    ConsentRecord,
    EndReason,
    Guardian,
    ImportRow,
    RecordChange,
    RegistrationLetter,
    RegistrationRules,
    State,
)
from .signals import caregivers_erased, registrations_ended

# Conditions (Q objects on Caregiver) under which an unconfirmed registration is kept, e.g.
# a waardering request still being handled; apps above register them in their ready().
_unconfirmed_kept_while = []


# Called once at start-up (AppConfig.ready()), before `make mutate` forks: no mutants here.
def keep_unconfirmed_while(condition) -> None:  # pragma: no mutate block
    """Register a callable returning a Q: unconfirmed registrations matching it don't expire."""
    if condition not in _unconfirmed_kept_while:
        _unconfirmed_kept_while.append(condition)


@dataclass(frozen=True)
class RetentionResult:
    notices: int = 0
    ended: int = 0
    expired: int = 0
    erased: int = 0
    imports_forgotten: int = 0


def _sql_of(queryset):
    """SQL and parameters selecting the ids of `queryset` as `row_id`, for INSERT … SELECT.

    Unordered: the default ordering by name would sort a million rows for nothing.
    """
    return queryset.order_by().values(row_id=F("pk")).query.sql_with_params()


def _log_transitions(queryset, source: str, target: str, transition: str, description: str):
    """Insert one StateLog row per caregiver in `queryset`, in one statement.

    The rows are locked (FOR UPDATE) until the caller's transaction ends, so the UPDATE that
    follows changes exactly the rows logged here: a concurrent resume_care or a second run
    of the job waits, then no longer matches.
    """
    content_type = ContentType.objects.get_for_model(Caregiver)
    select_sql, params = _sql_of(queryset.select_for_update())
    table = StateLog._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (timestamp, by_id, source_state, state, transition, "
            f"content_type_id, object_id, description) "
            f"SELECT %s, NULL, %s, %s, %s, %s, ids.row_id, %s FROM ({select_sql}) AS ids",
            [clock.now(), source, target, transition, content_type.pk, description, *params],
        )


def _last_end_of_care_to_end(today: datetime.date, months: int) -> datetime.date:
    """The last registered day is care_ended_on + `months`; it ends the day after. So today
    ends everyone whose care ended on or before the returned day."""
    return last_day_reaching(today - datetime.timedelta(days=1), months)


def create_end_notices(today: datetime.date, rules: RegistrationRules) -> int:
    """Queue the 'your registration ends in a month' letter, once per former caregiver."""
    notice_from = today + datetime.timedelta(days=rules.end_notice_days)
    months = rules.former_retention_months
    due = Caregiver.objects.filter(
        state=State.VOORMALIG,
        care_ended_on__lte=last_day_reaching(notice_from, months),
        # Not for registrations that end today anyway (e.g. an end of care entered late).
        care_ended_on__gt=_last_end_of_care_to_end(today, months),
    )
    select_sql, params = due.order_by().values(
        row_id=F("pk"), ended=F("care_ended_on")).query.sql_with_params()
    table = Letter._meta.db_table
    kind = RegistrationLetter.RETENTION_NOTICE
    with connection.cursor() as cursor:
        cursor.execute(
            # One notice per end of care: care that resumes and ends again gets a new one.
            f"INSERT INTO {table} (kind, caregiver_id, status, dedupe_key, created_at) "
            f"SELECT %s, due.row_id, %s, "
            f"%s || CAST(due.row_id AS varchar(20)) || ':' || CAST(due.ended AS varchar(10)), "
            f"%s "
            # "WHERE true" lets SQLite (make run) parse the upsert after a SELECT.
            f"FROM ({select_sql}) AS due WHERE true "
            f"ON CONFLICT (dedupe_key) DO NOTHING",
            [kind, LetterStatus.QUEUED, f"{kind}:", clock.now(), *params],
        )
        return cursor.rowcount


def _end(queryset, source: str, reason: str, description: str, today: datetime.date) -> int:
    """End the registrations in `queryset` today, logging each transition; follow-up
    tasks still open for them are cancelled."""
    _log_transitions(queryset, source, State.BEEINDIGD, "end_registration", description)
    registrations_ended.send(sender=Caregiver, caregiver_ids=queryset.values("pk"),
                             reason=description)
    return queryset.update(state=State.BEEINDIGD, ended_on=today, end_reason=reason)


def end_former_registrations(today: datetime.date, rules: RegistrationRules) -> int:
    """Former caregivers whose two years are over: the registration ends today."""
    over = Caregiver.objects.filter(
        state=State.VOORMALIG,
        care_ended_on__lte=_last_end_of_care_to_end(today, rules.former_retention_months),
    )
    return _end(over, State.VOORMALIG, EndReason.RETENTION, "Bewaartermijn voorbij", today)


def expire_unconfirmed(today: datetime.date, rules: RegistrationRules) -> int:
    """Registrations nobody ever confirmed end after a while; then they are erased too."""
    stale = Caregiver.objects.filter(
        state=State.AANGEMELD,
        registered_on__lt=today - datetime.timedelta(days=rules.unconfirmed_expiry_days),
    )
    for condition in _unconfirmed_kept_while:
        # E.g. registered through a waardering request that is still being handled or
        # paid: the request needs the registration until it is decided and paid.
        stale = stale.exclude(condition())
    return _end(stale, State.AANGEMELD, EndReason.UNCONFIRMED, "Aanmelding nooit bevestigd",
                today)


def erase_ended_registrations(today: datetime.date, rules: RegistrationRules) -> int:
    """After the grace period: remove personal data, keep an anonymous row for the counts."""
    due = Caregiver.objects.filter(
        state=State.BEEINDIGD,
        ended_on__lte=today - datetime.timedelta(days=rules.erasure_grace_days),
    )
    ids = due.values("pk")
    # Corrections hold before and after values (names, addresses): they go first, as the
    # naasten they point to do.
    for model in (RecordChange, CareRecipient, Guardian, ConsentRecord, AccessToken):
        model.objects.filter(caregiver__in=ids).delete()
    # What an import's dry run kept of them (the name and the cleaned line).
    ImportRow.objects.filter(caregiver__in=ids).update(name="", data={}, reasons=[])
    # Error texts, print-batch PDFs and letters not yet sent (worker/retention.py).
    forget_recipients(ids)
    caregivers_erased.send(sender=Caregiver, caregiver_ids=ids)
    StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Caregiver), object_id__in=ids
    ).exclude(description=None).update(description=None)
    _log_transitions(due, State.BEEINDIGD, State.GEWIST, "erase", "Gegevens gewist")
    return due.update(
        state=State.GEWIST, erased_on=today,
        first_name=Value(""), surname_prefix=Value(""), last_name=Value(""),
        street=Value(""), house_number=Value(""), city=Value(""), email=Value(""),
        phone=Value(""), email_confirmed_at=None,
        external_id=Value(""), bsn_pseudonym=Value(""), postcode=Substr("postcode", 1, 4),
        date_of_birth=Trunc("date_of_birth", "year", output_field=DateField()),
        parent_of_disabled_child=False, migration_background=False,
        target_group_consent_at=None, duplicate_check=False,
        # The language someone chose can say where they come from: back to the default.
        language=Value(languages.SOURCE),
    )


def run_daily(today: datetime.date | None = None) -> RetentionResult:
    """All retention steps in order, each in its own transaction."""
    today = today or clock.today()
    rules = RegistrationRules.current()
    with transaction.atomic():
        notices = create_end_notices(today, rules)
    with transaction.atomic():
        ended = end_former_registrations(today, rules)
    with transaction.atomic():
        expired = expire_unconfirmed(today, rules)
    with transaction.atomic():
        erased = erase_ended_registrations(today, rules)
    with transaction.atomic():
        imports_forgotten = forget_old_imports()
    return RetentionResult(notices=notices, ended=ended, expired=expired, erased=erased,
                           imports_forgotten=imports_forgotten)

