"""The waardering's and the campaigns' letters, registered with the mail engine.

Each type names its template (the path below templates/ without extension: `<template>.html`
is the paper letter, `<template>.txt` the e-mail body), its subject and what its template needs
besides the caregiver; the mail engine renders and routes them.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import clock
from worker.registry import LetterType, register_letter_type

from .models import AppreciationLetter, CampaignRequestState, RequestState
from .waardering import confirmation, renewal

Kind = AppreciationLetter


def waardering_context(letter) -> dict:
    """What the waardering letters say: the request, the year's texts, amount and dates,
    and for a rejection the reason as the person reads it."""
    request = letter.about
    rules = request.year
    decided_on = request.decided_at.astimezone(clock.AMSTERDAM).date() \
        if request.decided_at else clock.today()
    return {
        "request": request,
        "rules": rules,
        "amount": request.amount_cents / 100,
        "expected_payment_on": decided_on + datetime.timedelta(weeks=rules.payment_within_weeks),
        "rejection_reason": request.rejection_reason_text(young=letter.caregiver.is_young()),
        "objection_address": [line.strip() for line in rules.objection_address.splitlines()
                              if line.strip()],
    }


def confirm_context(letter) -> dict:
    """The confirmation letter also prints the request's current code (and, by e-mail,
    the link with it), rendered only when the letter goes out, and where the money goes."""
    code = confirmation.code_for(letter.about)
    url = settings.SITE_URL + reverse("appreciation:waardering_confirm_code")
    # Where the money goes, so the caregiver can tell it is not theirs: the last 4 digits
    # only (a letter can be read by others in the house), and the holder's name.
    iban = letter.about.iban
    return {**waardering_context(letter), "code": code, "confirm_page": url,
            "confirm_link": f"{url}?code={code}" if code else "",
            "valid_until": letter.about.confirm_expires_at,
            "iban_end": iban[-4:] if iban else ""}


def confirmation_still_needed(letter) -> str:
    request = letter.about
    if request.caregiver_confirmed_at is not None or request.state not in (
            RequestState.INGEDIEND, RequestState.IN_BEHANDELING,
            RequestState.AANVULLING_NODIG):
        return "Niet meer van toepassing: de aanvraag is al bevestigd of afgehandeld"
    return ""


def voucher_subject(letter) -> dict:
    return {"your": "Je" if letter.caregiver.is_young() else "Uw",
            "year": letter.about.year.year}


def voucher_still_given(letter) -> str:
    if not letter.about.voucher_code:
        return "Niet meer van toepassing: de aanvraag heeft geen boncode"
    return ""


def renewal_context(letter) -> dict:
    """The invitation: last year's naaste and account (last 4 digits only: a letter can be
    read by others in the house), the code, rendered only when the letter goes out."""
    invitation = letter.about
    previous = invitation.previous
    code = renewal.code_for(invitation)
    url = settings.SITE_URL + reverse("appreciation:waardering_renewal")
    return {"invitation": invitation, "rules": invitation.year, "previous": previous,
            "code": code, "renewal_page": url, "renewal_link": f"{url}?code={code}",
            "iban_end": previous.iban[-4:] if previous.iban else ""}


def renewal_subject(letter) -> dict:
    return {"year": letter.about.year.year}


def renewal_still_open(letter) -> str:
    try:
        renewal.check_usable(letter.about)
    except renewal.RenewalRefused as refused:
        return f"Niet meer van toepassing: {refused.code}"
    return ""


def campaign_context(letter) -> dict:
    campaign_request = letter.about
    return {"campaign_request": campaign_request, "campaign": campaign_request.campaign,
            "codes": [code.code for code in campaign_request.codes.order_by("pk")]}


def campaign_subject(letter) -> dict:
    about = letter.about
    return {"campaign": getattr(about, "campaign", about).name}


def campaign_only_context(letter) -> dict:
    """A letter about a campaign someone could not ask for (there is no request)."""
    return {"campaign": letter.about}


def codes_still_granted(letter) -> str:
    if letter.about.state != CampaignRequestState.TOEGEKEND:
        return "Niet meer van toepassing: de aanvraag is geannuleerd of al afgehandeld"
    return ""


WAARDERING_LETTERS = "appreciation/waardering/letters/"
CAMPAIGN_LETTERS = "appreciation/campaigns/letters/"


def _waardering(kind, subject, name, young, **extra):
    """`subject` says "u", `young` is the same subject with "je" (young caregivers)."""
    extra.setdefault("context", waardering_context)
    register_letter_type(LetterType(kind=kind, label=kind.label, subject=subject,
                                    subject_young=young,
                                    template=WAARDERING_LETTERS + name, about_own_request=True,
                                    **extra))


def _campaign(kind, subject, name, young, **extra):
    extra.setdefault("context", campaign_context)
    register_letter_type(LetterType(kind=kind, label=kind.label, subject=subject,
                                    subject_young=young,
                                    template=CAMPAIGN_LETTERS + name,
                                    subject_values=campaign_subject, **extra))


def register() -> None:
    _waardering(Kind.WAARDERING_RECEIPT,
                "Wij hebben uw aanvraag voor de mantelzorgwaardering ontvangen",
                "waardering_ontvangen",
                summary=_("Wij hebben uw aanvraag voor de mantelzorgwaardering ontvangen. U "
                          "hoeft nu niets te doen."),
                summary_young=_("Wij hebben je aanvraag voor de mantelzorgwaardering ontvangen. "
                                "Je hoeft nu niets te doen."),
                young="Wij hebben je aanvraag voor de mantelzorgwaardering ontvangen")
    _waardering(Kind.WAARDERING_CONFIRM,
                "Iemand heeft de mantelzorgwaardering voor u aangevraagd",
                "waardering_bevestigen", context=confirm_context,
                summary=_("Iemand heeft de mantelzorgwaardering voor u aangevraagd. Klopt dat? "
                          "Bevestig het dan met de code in deze brief."),
                summary_young=_("Iemand heeft de mantelzorgwaardering voor je aangevraagd. "
                                "Klopt dat? Bevestig het dan met de code in deze brief."),
                young="Iemand heeft de mantelzorgwaardering voor je aangevraagd",
                no_longer_applies=confirmation_still_needed)
    _waardering(Kind.WAARDERING_DUPLICATE,
                "De mantelzorgwaardering is opnieuw voor u aangevraagd",
                "waardering_dubbel",
                summary=_("De mantelzorgwaardering is opnieuw voor u aangevraagd. U krijgt hem "
                          "één keer per jaar."),
                summary_young=_("De mantelzorgwaardering is opnieuw voor je aangevraagd. Je "
                                "krijgt hem één keer per jaar."),
                young="De mantelzorgwaardering is opnieuw voor je aangevraagd")
    # Decisions, and the question whose answer a decision waits for, reach the person
    # whatever their mail preference (always_delivered: by post if need be).
    _waardering(Kind.WAARDERING_APPROVED, "U krijgt de mantelzorgwaardering",
                "waardering_goedgekeurd", attach_pdf=True, always_delivered=True,
                summary=_("Goed nieuws: u krijgt de mantelzorgwaardering. In de brief staat "
                          "wanneer en hoe."),
                summary_young=_("Goed nieuws: je krijgt de mantelzorgwaardering. In de brief "
                                "staat wanneer en hoe."),
                young="Je krijgt de mantelzorgwaardering")
    _waardering(Kind.WAARDERING_REJECTED,
                "Besluit over uw aanvraag voor de mantelzorgwaardering",
                "waardering_afgewezen", attach_pdf=True, always_delivered=True,
                summary=_("U krijgt de mantelzorgwaardering niet. In de brief staat waarom, en "
                          "hoe u bezwaar kunt maken."),
                summary_young=_("Je krijgt de mantelzorgwaardering niet. In de brief staat "
                                "waarom, en hoe je bezwaar kunt maken."),
                young="Besluit over je aanvraag voor de mantelzorgwaardering")
    _waardering(Kind.WAARDERING_SET_ASIDE,
                "Besluit: wij behandelen uw aanvraag voor de mantelzorgwaardering niet verder",
                "waardering_buiten_behandeling", attach_pdf=True, always_delivered=True,
                summary=_("Wij behandelen uw aanvraag voor de mantelzorgwaardering niet verder. "
                          "In de brief staat waarom, en hoe u bezwaar kunt maken."),
                summary_young=_("Wij behandelen je aanvraag voor de mantelzorgwaardering niet "
                                "verder. In de brief staat waarom, en hoe je bezwaar kunt "
                                "maken."),
                young="Besluit: wij behandelen je aanvraag voor de mantelzorgwaardering niet "
                      "verder")
    _waardering(Kind.WAARDERING_INFO,
                "Wij hebben een vraag over uw aanvraag voor de mantelzorgwaardering",
                "waardering_vraag", always_delivered=True,
                summary=_("Wij hebben een vraag over uw aanvraag voor de mantelzorgwaardering. "
                          "Geeft u op tijd antwoord? Anders kunnen wij niet beslissen."),
                summary_young=_("Wij hebben een vraag over je aanvraag voor de "
                                "mantelzorgwaardering. Geef je op tijd antwoord? Anders kunnen "
                                "wij niet beslissen."),
                young="Wij hebben een vraag over je aanvraag voor de mantelzorgwaardering")
    # The gift itself: always delivered, like a decision ("{your}" is Je or Uw).
    _waardering(Kind.WAARDERING_VOUCHER, "{your} cadeaubon: de mantelzorgwaardering {year}",
                "waardering_bon", attach_pdf=True, subject_values=voucher_subject,
                no_longer_applies=voucher_still_given, always_delivered=True,
                summary=_("In deze brief staat uw cadeaubon van de mantelzorgwaardering."),
                summary_young=_("In deze brief staat je cadeaubon van de mantelzorgwaardering."),
                young="{your} cadeaubon: de mantelzorgwaardering {year}")
    register_letter_type(LetterType(
        kind=Kind.WAARDERING_RENEWAL, label=Kind.WAARDERING_RENEWAL.label,
        subject="Mantelzorgwaardering {year}: opnieuw aanvragen in één stap",
        template=WAARDERING_LETTERS + "waardering_opnieuw", context=renewal_context,
        subject_values=renewal_subject, no_longer_applies=renewal_still_open,
        summary=_("U kunt de mantelzorgwaardering opnieuw aanvragen, in één stap. Gebruik daarvoor "
                  "de code in deze brief."),
        summary_young=_("Je kunt de mantelzorgwaardering opnieuw aanvragen, in één stap. Gebruik "
                        "daarvoor de code in deze brief.")))
    # Campaign letters name their campaign in the subject ("{campaign}").
    # The tickets or the gift itself: always delivered, like a decision.
    _campaign(Kind.CAMPAIGN_CODES, "{campaign}: uw codes", "campagne_codes",
              "{campaign}: je codes", attach_pdf=True, no_longer_applies=codes_still_granted,
              always_delivered=True,
              summary=_("In deze brief staan uw codes voor {campaign}."),
              summary_young=_("In deze brief staan je codes voor {campaign}."))
    _campaign(Kind.CAMPAIGN_WAITLIST, "{campaign}: u staat op de wachtlijst",
              "campagne_wachtlijst", "{campaign}: je staat op de wachtlijst",
              summary=_("U staat op de wachtlijst voor {campaign}. Komt er iets vrij, dan "
                        "krijgt u bericht."),
              summary_young=_("Je staat op de wachtlijst voor {campaign}. Komt er iets vrij, "
                              "dan krijg je bericht."))
    _campaign(Kind.CAMPAIGN_CANCELLED, "{campaign}: uw aanvraag is vervallen",
              "campagne_vervallen", "{campaign}: je aanvraag is vervallen",
              summary=_("Uw aanvraag voor {campaign} is vervallen. In de brief staat waarom."),
              summary_young=_("Je aanvraag voor {campaign} is vervallen. In de brief staat "
                              "waarom."))
    # Outcomes of the public form that its page does not show (it answers everyone alike).
    _campaign(Kind.CAMPAIGN_DUPLICATE, "{campaign}: u had het al aangevraagd",
              "campagne_dubbel", "{campaign}: je had het al aangevraagd",
              summary=_("U had {campaign} al aangevraagd. U krijgt het één keer."),
              summary_young=_("Je had {campaign} al aangevraagd. Je krijgt het één keer."))
    _campaign(Kind.CAMPAIGN_NOT_ACTIVE, "{campaign}: uw aanvraag", "campagne_niet_actief",
              "{campaign}: je aanvraag", context=campaign_only_context,
              summary=_("U kunt {campaign} nu niet krijgen. In de brief staat waarom."),
              summary_young=_("Je kunt {campaign} nu niet krijgen. In de brief staat waarom."))
