"""The burden self-check: five statements in our own plain words, each answered
'nooit' (0) to 'vaak' (3). The score is the sum (0–15); the threshold is a setting
(InsightRules.heavy_from_score). Changing a statement means a new version.

The check is offered at three places (registration, waardering request, Mijn gegevens). Each
announces a filled-in check with the `burden_check_answered` signal (insight stores it and
opens a follow-up task when the score is high) and shows the same result page (insight's),
which reads only what the session says: the score, "je" or "u", and where to go on.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .signals import burden_check_answered

RESULT_SESSION_KEY = "burden_check_result"

VERSION = "v1"
STATEMENTS = [
    _("De zorg kost mij meer tijd en energie dan ik heb."),
    _("Ik slaap slecht of ben vaak moe door de zorg."),
    _("Ik heb te weinig tijd voor mijzelf, mijn werk, school of vrienden."),
    _("Ik maak me veel zorgen over mijn naaste of over hoe het verder moet."),
    _("Ik sta er alleen voor: niemand neemt de zorg eens van mij over."),
]
ANSWERS = [(0, _("Nooit")), (1, _("Soms")), (2, _("Vaak")), (3, _("Bijna altijd"))]
MAX_SCORE = len(STATEMENTS) * max(value for value, _label in ANSWERS)


def score(answers: list[int]) -> int:
    if len(answers) != len(STATEMENTS) or any(a not in (0, 1, 2, 3) for a in answers):
        raise ValueError("one answer 0–3 per statement")
    return sum(answers)


class CheckContext(models.TextChoices):
    REGISTRATION = "aanmelding", _("Bij de aanmelding")
    WAARDERING = "waardering", _("Bij de waardering")
    SELF_SERVICE = "mijn_gegevens", _("In Mijn gegevens")
    CONSULENT = "consulent", _("Met een consulent")


def record_and_remember(request, caregiver, answers, context: str, *, young: bool) -> str:
    """Announce a filled-in check and keep its outcome for the result page; returns that
    page's URL. The session holds no answers, only the score.

    `caregiver` None: we do not know the person filling in is the caregiver (a public form
    that matched typed details): the result page is shown, nothing is stored about anyone."""
    total = score(answers)
    if caregiver is not None:
        burden_check_answered.send(sender=type(caregiver), caregiver=caregiver,
                                   answers=list(answers), context=context)
    request.session[RESULT_SESSION_KEY] = {"score": total, "young": young, "context": context}
    return reverse("insight:self_check_result")
