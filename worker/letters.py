"""Rendering letters: one mechanism for every letter the Servicepunt sends.

A letter type has a Dutch HTML template for paper (A4, address in the window of a Dutch
window envelope, letterhead and return address, page numbers) and a plain-text e-mail body.
PDFs are rendered here with WeasyPrint, only in worker tasks, never in a web request. One
FontConfiguration and the parsed stylesheet are reused for every document of a process.
"""

import functools

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import clock, languages

from . import contact
from .models import LetterKind
from .newsletters import render_body
from .registry import LetterType, letter_type, recipients, register_letter_type
from .static_fetcher import static_files_fetcher

register_letter_type(LetterType(
    kind=LetterKind.NEWSLETTER, label=LetterKind.NEWSLETTER.label,
    subject="Nieuwsbrief: {subject}", template="worker/letters/nieuwsbrief",
    summary=_("Dit is de nieuwsbrief van het Servicepunt Mantelzorg."),
    subject_values=lambda letter: {"subject": letter.newsletter.subject},
    context=lambda letter: {"newsletter": letter.newsletter,
                            "newsletter_html": render_body(letter.newsletter)}))

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
    """What every letter's template gets, plus what its registered type adds. Letters are
    Dutch, whatever language is active: only `summary` speaks the person's language."""
    with translation.override(languages.SOURCE):
        person = recipients().letter_context(letter.caregiver)
        return {
            **letter_type(letter.kind).context(letter),
            **person,
            "letter": letter,
            "today": clock.today(),
            "sender": contact.current(),
            "site_url": settings.SITE_URL,
            "summary": letter_summary(letter, person),
        }


def letter_summary(letter, person: dict | None = None) -> dict | None:
    """What the letter means, in the language the person chose, for the top of the letter
    and of its e-mail; None for Dutch (the letter itself says it) or a type without one."""
    person = person or recipients().letter_context(letter.caregiver)
    code = languages.known(person.get("language"))
    spec = letter_type(letter.kind)
    text = spec.summary_young if person.get("young") and spec.summary_young else spec.summary
    if code == languages.SOURCE or not text:
        return None
    with translation.override(code):
        return {
            "lang": code,
            "dir": "rtl" if code in languages.RIGHT_TO_LEFT else "ltr",
            "text": str(text).format(**spec.subject_values(letter)),
            "note": gettext("Dit is een korte samenvatting in uw taal. De Nederlandse brief "
                            "hieronder is de officiële tekst.") if not person.get("young") else
            gettext("Dit is een korte samenvatting in jouw taal. De Nederlandse brief "
                    "hieronder is de officiële tekst."),
        }


def letter_subject(letter) -> str:
    """The subject in the form of address the body uses ("je" for a young caregiver)."""
    spec = letter_type(letter.kind)
    young = recipients().letter_context(letter.caregiver).get("young")
    subject = spec.subject_young if young and spec.subject_young else spec.subject
    return subject.format(**spec.subject_values(letter))


def email_texts(letter) -> tuple[str, dict | None]:
    """(the Dutch e-mail body, the summary in the person's language or None). Plain text,
    so not marked safe: the e-mail's HTML part must escape what a person typed (a
    requester's name, a rejection's explanation). str.__str__ drops the SafeString mark."""
    spec = letter_type(letter.kind)
    context = letter_context(letter)
    with translation.override(languages.SOURCE):  # "j F Y" and every word stay Dutch
        body = render_to_string(f"{spec.template}.txt", context)
    return str.__str__(body), context["summary"]


def email_body(letter) -> str:
    """The e-mail's plain text (with_summary of email_texts)."""
    return with_summary(*email_texts(letter))


def with_summary(body: str, summary: dict | None) -> str:
    """The summary in the person's own language first, above a line, then the Dutch
    letter."""
    if summary:
        return f"{summary['text']}\n{summary['note']}\n\n----------\n\n{body}"
    return body


def letter_html(letter) -> str:
    """The letter's body as HTML: one <section class="letter"> (no <html> wrapper)."""
    spec = letter_type(letter.kind)
    context = letter_context(letter)
    with translation.override(languages.SOURCE):  # "j F Y" and every word stay Dutch
        return render_to_string(f"{spec.template}.html", context)


@functools.cache
def font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    css = render_to_string("worker/letters/letter.css", _css_context())
    return CSS(string=css, font_config=font_config(), url_fetcher=static_files_fetcher())


def render_pdf(letters) -> bytes:
    """One PDF for one or many letters; each letter starts on a new page. A single letter's
    PDF carries its subject as title (what a PDF reader or screen reader names it)."""
    letters = list(letters)
    title = letter_subject(letters[0]) if len(letters) == 1 else ""
    return pdf_from_html([letter_html(letter) for letter in letters], title=title)


def pdf_from_html(letter_htmls: list[str], title: str = "") -> bytes:
    """One PDF of letters already rendered to HTML (`letter_html`). Without a title (a print
    batch), the PDF is named after the number of letters in it."""
    from weasyprint import HTML

    if not letter_htmls:
        return b""
    body = "\n".join(letter_htmls)
    title = title or ngettext("%(n)d brief van het Servicepunt Mantelzorg",
                              "%(n)d brieven van het Servicepunt Mantelzorg",
                              len(letter_htmls)) % {"n": len(letter_htmls)}
    document = render_to_string("worker/letters/document.html", {"body": body, "title": title})
    return HTML(string=document, base_url=str(settings.BASE_DIR),
                url_fetcher=static_files_fetcher()).write_pdf(
        stylesheets=[_stylesheet()], font_config=font_config(), pdf_variant="pdf/ua-1")
