"""What a waardering decision tells the person: the reasons for a rejection as sentences
to them, never staff labels.

A decision on a waardering is a decision of the municipality (a beschikking under the
Awb), taken by the Servicepunt on behalf of the college. Its letters therefore say so, and
say how to object (templates/appreciation/waardering/letters/_bezwaar.*).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RejectionReason(models.TextChoices):
    """Why a request is rejected. The label is the sentence an adult reads in the letter
    (and the consulent picks from the list), so staff see exactly what the person reads.
    "Een andere reden" has no sentence of its own: the consulent's explanation is it."""

    TOO_FEW_HOURS = "te_weinig_uren", _(
        "U zorgt minder uren per week voor uw naaste dan nodig is.")
    TOO_SHORT = "te_kort", _("U zorgt nog niet lang genoeg voor uw naaste.")
    RECIPIENT_ELSEWHERE = "naaste_elders", _("Uw naaste woont niet in Harderwijk of Hierden.")
    ALREADY_RECEIVED = "al_ontvangen", _(
        "U heeft dit jaar al een mantelzorgwaardering gekregen.")
    CAP_REACHED = "grens_bereikt", _(
        "Voor uw naaste of voor uw adres zijn dit jaar al genoeg waarderingen gegeven.")
    NOT_INFORMAL_CARE = "geen_mantelzorg", _(
        "Wat u doet, is geen mantelzorg. Het is betaald werk, vrijwilligerswerk of de "
        "gewone zorg die huisgenoten voor elkaar hebben.")
    NOT_CONFIRMED = "niet_bevestigd", _(
        "Iemand anders heeft de aanvraag voor u gedaan. Wij hebben van u geen akkoord "
        "gekregen.")
    # Only on requests decided before "buiten behandeling" existed (the daily job used to
    # reject them); a consulent cannot choose it any more.
    NO_ANSWER = "geen_antwoord", _("U heeft onze vraag niet op tijd beantwoord.")
    OTHER = "anders", _("Een andere reden (schrijf hieronder de uitleg)")


# Young caregivers read "je" (the same sentences, addressed as they are everywhere else).
YOUNG_SENTENCES = {
    RejectionReason.TOO_FEW_HOURS: _(
        "Je zorgt minder uren per week voor je naaste dan nodig is."),
    RejectionReason.TOO_SHORT: _("Je zorgt nog niet lang genoeg voor je naaste."),
    RejectionReason.RECIPIENT_ELSEWHERE: _("Je naaste woont niet in Harderwijk of Hierden."),
    RejectionReason.ALREADY_RECEIVED: _(
        "Je hebt dit jaar al een mantelzorgwaardering gekregen."),
    RejectionReason.CAP_REACHED: _(
        "Voor je naaste of voor je adres zijn dit jaar al genoeg waarderingen gegeven."),
    RejectionReason.NOT_INFORMAL_CARE: _(
        "Wat je doet, is geen mantelzorg. Het is betaald werk, vrijwilligerswerk of de "
        "gewone zorg die huisgenoten voor elkaar hebben."),
    RejectionReason.NOT_CONFIRMED: _(
        "Iemand anders heeft de aanvraag voor je gedaan. Wij hebben van jou geen akkoord "
        "gekregen."),
    RejectionReason.NO_ANSWER: _("Je hebt onze vraag niet op tijd beantwoord."),
}

# The reasons a consulent chooses from (the form's list, in this order).
CHOOSABLE_REASONS = [reason for reason in RejectionReason if reason != RejectionReason.NO_ANSWER]


def rejection_sentence(reason: str, *, young: bool = False) -> str:
    """The sentence the person reads for `reason`; "" for "een andere reden" (the
    consulent's explanation is the reason then)."""
    if not reason or reason == RejectionReason.OTHER:
        return ""
    if young and reason in YOUNG_SENTENCES:
        return str(YOUNG_SENTENCES[reason])
    return str(RejectionReason(reason).label)
