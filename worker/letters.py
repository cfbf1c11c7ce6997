"""Rendering letters: one mechanism for every letter the Servicepunt sends.

A letter type has a Dutch HTML template for paper (A4, address in the window of a Dutch
window envelope, letterhead and return address, page numbers) and a plain-text e-mail body.
PDFs are rendered here with WeasyPrint, only in worker tasks, never in a web request. One
FontConfiguration and the parsed stylesheet are reused for every document of a process.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from mantelzorg import clock

from .models import LetterKind
from .newsletters import render_body


@dataclass(frozen=True)
class LetterType:
    subject: str
    template: str  # templates/letters/<template>.html (paper) and .txt (e-mail body)
    attach_pdf: bool = False  # decisions go by e-mail with the letter attached


LETTER_TYPES = {
    LetterKind.RETENTION_NOTICE: LetterType(
        subject="Uw inschrijving bij het Servicepunt Mantelzorg stopt over een maand",
        template="einde_inschrijving"),
    LetterKind.NEWSLETTER: LetterType(
        subject="Nieuwsbrief van het Servicepunt Mantelzorg", template="nieuwsbrief"),
    LetterKind.WAARDERING_RECEIPT: LetterType(
        subject="Wij hebben uw aanvraag voor de mantelzorgwaardering ontvangen",
        template="waardering_ontvangen"),
    LetterKind.WAARDERING_CONFIRM: LetterType(
        subject="Iemand heeft de mantelzorgwaardering voor u aangevraagd",
        template="waardering_bevestigen"),
    LetterKind.WAARDERING_APPROVED: LetterType(
        subject="U krijgt de mantelzorgwaardering", template="waardering_goedgekeurd",
        attach_pdf=True),
    LetterKind.WAARDERING_REJECTED: LetterType(
        subject="Besluit over uw aanvraag voor de mantelzorgwaardering",
        template="waardering_afgewezen", attach_pdf=True),
    LetterKind.WAARDERING_INFO: LetterType(
        subject="Wij hebben een vraag over uw aanvraag voor de mantelzorgwaardering",
        template="waardering_vraag"),
    # Campaign letters name their campaign in the subject ("{campaign}").
    LetterKind.CAMPAIGN_CODES: LetterType(subject="{campaign}: uw codes",
                                          template="campagne_codes", attach_pdf=True),
    LetterKind.CAMPAIGN_WAITLIST: LetterType(subject="{campaign}: u staat op de wachtlijst",
                                             template="campagne_wachtlijst"),
    LetterKind.CAMPAIGN_CANCELLED: LetterType(subject="{campaign}: uw aanvraag is vervallen",
                                              template="campagne_vervallen"),
}

# Address window of a Dutch window envelope (venster links), in millimetres from the top
# left corner of the A4 sheet. The HTML template and the PDF position test both use these.
ADDRESS_WINDOW_MM = {"left": 22, "top": 50, "width": 85, "height": 30}
PAGE_MARGIN_MM = {"top": 20, "right": 20, "bottom": 22, "left": 22}


def _css_context() -> dict:
    """Positions for letter.css: the window relative to the page's content box."""
    window, margin = ADDRESS_WINDOW_MM, PAGE_MARGIN_MM
    return {
        "margin": margin,
        "window": window,
        "address_left": window["left"] - margin["left"],
        "address_top": window["top"] - margin["top"],
        "content_top": window["top"] + window["height"] - margin["top"] + 8,
    }


def letter_context(letter) -> dict:
    caregiver = letter.caregiver
    newsletter = letter.newsletter if letter.newsletter_id else None
    request = letter.appreciation_request if letter.appreciation_request_id else None
    campaign_request = letter.campaign_request if letter.campaign_request_id else None
    return {
        **(appreciation_context(request) if request else {}),
        **(campaign_context(campaign_request) if campaign_request else {}),
        "newsletter": newsletter,
        "newsletter_html": render_body(newsletter) if newsletter else "",
        "letter": letter,
        "caregiver": caregiver,
        "today": clock.today(),
        "young": caregiver.is_young(),
        "sender": settings.LETTER_SENDER,
        "site_url": settings.SITE_URL,
    }


def appreciation_context(request) -> dict:
    """What the waardering letters say: the request, the year's texts, amount and dates."""
    import datetime

    rules = request.year
    decided_on = request.decided_at.astimezone(clock.AMSTERDAM).date() \
        if request.decided_at else clock.today()
    return {
        "request": request,
        "rules": rules,
        "amount": request.amount_cents / 100,
        "expected_payment_on": decided_on + datetime.timedelta(weeks=rules.payment_within_weeks),
    }


def campaign_context(campaign_request) -> dict:
    return {"campaign_request": campaign_request, "campaign": campaign_request.campaign,
            "codes": [code.code for code in campaign_request.codes.order_by("pk")]}


def letter_subject(letter) -> str:
    subject = LETTER_TYPES[letter.kind].subject
    if letter.campaign_request_id:
        subject = subject.format(campaign=letter.campaign_request.campaign.name)
    return subject


def email_body(letter) -> str:
    """Plain text, so not marked safe: the e-mail's HTML part must escape what a person typed
    (a requester's name, a rejection's explanation). str.__str__ drops the SafeString mark."""
    spec = LETTER_TYPES[letter.kind]
    return str.__str__(render_to_string(f"letters/{spec.template}.txt", letter_context(letter)))


def letter_html(letter) -> str:
    """The letter's body as HTML: one <section class="letter"> (no <html> wrapper)."""
    spec = LETTER_TYPES[letter.kind]
    return render_to_string(f"letters/{spec.template}.html", letter_context(letter))


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    css = render_to_string("letters/letter.css", _css_context())
    return CSS(string=css, font_config=_font_config())


def render_pdf(letters) -> bytes:
    """One PDF for one or many letters; each letter starts on a new page."""
    from weasyprint import HTML

    body = "\n".join(letter_html(letter) for letter in letters)
    document = render_to_string("letters/document.html", {"body": body})
    return HTML(string=document, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[_stylesheet()], font_config=_font_config(), pdf_variant="pdf/ua-1")
