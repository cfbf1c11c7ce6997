"""Reads for pages and reports about caregivers."""

import datetime
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from core import clock
from core.dates import add_months
from core.postcodes import CanonicalHouseNumber, canonical_house_number, normalise_postcode

from .models import (
    LINK_STATES,
    Caregiver,
    RecordChange,
    RegistrationRules,
    StaffAccess,
    State,
)

POSTCODE_START_RE = re.compile(r"^[1-9][0-9]{3}[A-Z]{0,2}$")


def caregiver_counts() -> dict:
    """Totals for the back-office dashboard: per state, and registered ones per wijk."""
    registered = Caregiver.objects.filter(state__in=[State.ACTIEF, State.VOORMALIG])
    per_district = (
        registered.values("district__name").annotate(n=Count("id"))
        .order_by("-n", "district__name")
    )
    per_state = dict(Caregiver.objects.values_list("state").annotate(n=Count("id")))
    return {
        "total": registered.count(),
        "young": registered.filter(young_filter()).count(),
        "per_state": [(label, per_state.get(value, 0)) for value, label in State.choices],
        "to_check": waiting_for_consulent().count(),
        "duplicates": Caregiver.objects.filter(state=State.AANGEMELD,
                                               duplicate_check=True).count(),
        "per_district": [(row["district__name"], row["n"]) for row in per_district],
    }


def young_filter(today: datetime.date | None = None) -> Q:
    """Young caregivers: at most `young_max_age` years old today (a date-of-birth cutoff)."""
    today = today or clock.today()
    max_age = RegistrationRules.current().young_max_age
    # Born after this day means younger than max_age + 1 today.
    return Q(date_of_birth__gt=add_months(today, -12 * (max_age + 1)))


# The groups the policy plan names for specific attention (DOMAIN.md). EMB and migration
# background are stored only with the caregiver's explicit consent; 70+ comes from the date
# of birth, young caregivers from the registration rules' age.
TARGET_GROUPS = [
    ("jong", _("Jonge mantelzorgers")),
    ("emb", _("Ouders van een kind met een ernstige meervoudige beperking (EMB)")),
    ("migratie", _("Mantelzorgers met een migratieachtergrond")),
    ("70plus", _("Mantelzorgers van 70 jaar of ouder")),
]
SENIOR_AGE = 70


def senior_filter(today: datetime.date | None = None) -> Q:
    """70 or older today: born on or before the same day 70 years ago."""
    today = today or clock.today()
    return Q(date_of_birth__lte=add_months(today, -12 * SENIOR_AGE))


def target_group_filter(group: str, today: datetime.date | None = None) -> Q:
    """Who belongs to a target group. EMB and migration background count only with the
    consent to record them (the database also refuses the flags without it)."""
    consented = Q(target_group_consent_at__isnull=False)
    if group == "jong":
        return young_filter(today)
    if group == "emb":
        return consented & Q(parent_of_disabled_child=True)
    if group == "migratie":
        return consented & Q(migration_background=True)
    if group == "70plus":
        return senior_filter(today)
    raise ValueError(f"unknown target group {group!r}")


def in_target_groups(groups) -> Q:
    """Anyone in at least one of the known groups named (unknown names are ignored)."""
    wanted = Q(pk__in=[])
    for group in groups:
        if group in dict(TARGET_GROUPS):
            wanted |= target_group_filter(group)
    return wanted


def waiting_for_consulent():
    """New registrations a consulent should look at: no confirmed e-mail, a guardian who
    has not agreed yet, or a possible duplicate held back."""
    return Caregiver.objects.filter(state=State.AANGEMELD).filter(
        Q(email_confirmed_at__isnull=True, checked_by_consulent_at__isnull=True)
        | Q(guardian__isnull=False, guardian__confirmed_at__isnull=True)
        | Q(duplicate_check=True)
    ).distinct()


def search_caregivers(*, query="", state="", age_group="", district="", channel="",
                      to_check=False, target_group=""):
    """The back-office list. Erased registrations only when asked for by state."""
    caregivers = Caregiver.objects.select_related("district")
    if state:
        caregivers = caregivers.filter(state=state)
    else:
        caregivers = caregivers.exclude(state=State.GEWIST)
    if to_check:
        caregivers = caregivers.filter(pk__in=waiting_for_consulent().values("pk"))
    if age_group == "jong":
        caregivers = caregivers.filter(young_filter())
    elif age_group == "volwassen":
        caregivers = caregivers.exclude(young_filter())
    if district == "onbekend":
        caregivers = caregivers.filter(district__isnull=True)
    elif district:
        caregivers = caregivers.filter(district_id=district)
    if channel:
        caregivers = caregivers.filter(channel=channel)
    if target_group:
        caregivers = caregivers.filter(target_group_filter(target_group))
    compact = query.replace(" ", "").upper()
    if POSTCODE_START_RE.match(compact):
        return caregivers.filter(postcode__startswith=compact).order_by(
            "last_name", "first_name", "pk")
    for word in query.split()[:5]:
        caregivers = caregivers.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word)
            | Q(surname_prefix__iexact=word) | Q(email__icontains=word))
    return caregivers.order_by("last_name", "first_name", "pk")


def possible_duplicates(caregiver: Caregiver):
    """Other registrations that may be the same person: same date of birth + postcode +
    house number, or the same e-mail address. Pairs marked as different are left out."""
    same = Q(date_of_birth=caregiver.date_of_birth, postcode=caregiver.postcode,
             house_key=canonical_house_number(caregiver.house_number))
    if caregiver.email:
        same |= Q(email__iexact=caregiver.email)
    dismissed = caregiver.not_duplicates.values("other")
    return (Caregiver.objects.alias(house_key=CanonicalHouseNumber("house_number"))
            .filter(same)
            .exclude(pk=caregiver.pk)
            .exclude(state__in=[State.GEWIST])
            .exclude(merged_into__isnull=False)
            .exclude(pk__in=dismissed)
            .order_by("pk"))


@dataclass
class TimelineEntry:
    at: datetime.datetime
    by: object  # a staff user, or None (the system or the person)
    what: str
    changes: list  # [label, before, after]
    description: str = ""
    css: str = "transition"


def running_duplicates(caregiver: Caregiver):
    """Look-alikes that are still registered: these hold a new registration back as
    "te controleren" (ended and erased ones do not)."""
    return possible_duplicates(caregiver).filter(state__in=LINK_STATES)


def timeline(caregiver: Caregiver) -> list[TimelineEntry]:
    """Every recorded transition and every correction, newest first, with who did it."""
    content_type = ContentType.objects.get_for_model(Caregiver)
    labels = dict(State.choices)
    entries = [
        TimelineEntry(at=log.timestamp, by=log.by, description=log.description or "",
                      what=_("Status: %(from)s → %(to)s") % {
                          "from": labels.get(log.source_state, log.source_state or "–"),
                          "to": labels.get(log.state, log.state)}, changes=[])
        for log in StateLog.objects.filter(content_type=content_type, object_id=caregiver.pk)
        .select_related("by").order_by("-timestamp", "-pk")
    ]
    entries += [
        TimelineEntry(at=change.at, by=change.by, what=change.get_kind_display(),
                      changes=change.changes, css="change")
        for change in RecordChange.objects.filter(caregiver=caregiver).select_related("by")
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def recent_staff_access(caregiver: Caregiver, limit: int = 10):
    return StaffAccess.objects.filter(caregiver=caregiver).select_related("user")[:limit]


def find_caregiver(date_of_birth, postcode: str, house_number: str,
                   states=LINK_STATES) -> Caregiver | None:
    """A registration that is still running, matched on date of birth and address.

    `states` widens the search, e.g. to an ended registration that a public form's outcome
    must be told to by its own channel (never on the page). House numbers are compared in
    their canonical form ('12 a' finds '12a')."""
    return (Caregiver.objects
            .alias(house_key=CanonicalHouseNumber("house_number"))
            .filter(date_of_birth=date_of_birth, postcode=normalise_postcode(postcode),
                    house_key=canonical_house_number(house_number), state__in=states,
                    merged_into__isnull=True)
            .order_by("registered_on", "pk").first())
