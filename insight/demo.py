"""Made-up self-checks, contact moments and follow-up tasks for `make run`, so the follow-up
list and the dashboard's burden and contact figures have something to show.

Made through the services (a high score opens its call-back task), spread over this year and
last year. Loaded once: nothing is added when any self-check exists.
"""

import datetime
import random

from core import clock
from registrations.models import Caregiver, State

from . import services
from .models import BurdenCheck, CheckContext, ContactKind, ContactMoment

OUTCOMES = [
    "Informatie over respijtzorg gegeven.",
    "Doorverwezen naar het lotgenotencontact.",
    "Afgesproken om over een maand weer te bellen.",
    "Samen de aanvraag voor dagbesteding doorgenomen.",
    "Gaat het goed mee; geen hulp nodig.",
]


def load_insight_demo(consulent) -> int:
    """Self-checks for some active caregivers and contacts with a few of them."""
    if BurdenCheck.objects.exists():
        return 0
    rng = random.Random(2016)  # the year of the 12.3% indicator
    today = clock.today()
    people = list(Caregiver.objects.filter(state=State.ACTIEF).order_by("pk")[:120])
    for person in people:
        heavy = rng.random() < 0.13
        answers = [rng.choice([2, 3]) if heavy else rng.choice([0, 1, 1, 2])
                   for _ in range(5)]
        context = rng.choice(list(CheckContext))
        check = services.record_burden_check(person, answers, context)
        days_ago = rng.randint(0, 600)
        answered = clock.now() - datetime.timedelta(days=days_ago)
        BurdenCheck.objects.filter(pk=check.pk).update(answered_at=answered)
    for person in people[:30]:
        kind = rng.choice(list(ContactKind))
        on = today - datetime.timedelta(days=rng.randint(0, 500))
        services.record_contact(person, consulent, on=on, kind=kind,
                                preventive=kind == ContactKind.HOME_VISIT and rng.random() < 0.7,
                                outcome=rng.choice(OUTCOMES))
    return ContactMoment.objects.count()
