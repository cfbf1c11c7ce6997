"""The burden self-check: five statements in our own plain words, each answered
'nooit' (0) to 'vaak' (3). The score is the sum (0–15); the threshold is a setting
(InsightRules.heavy_from_score). Changing a statement means a new version."""

from django.utils.translation import gettext_lazy as _

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
