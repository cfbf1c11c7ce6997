"""Every e-mail the product sends is made here: a plain-text part and an HTML part, a
Message-ID of our own domain, and (for caregivers) how to reach the Servicepunt.

Why not Django's defaults: Django names each Message-ID after the machine's host name
(`@localhost` in a container), which spam filters count against a message. The Date header
carries the real zone because settings.EMAIL_USE_LOCALTIME is on (Django's default writes
the unknown zone -0000).

An address whose part before the @ is not ASCII is refused here (UnsendableAddress): Django
would write it as an encoded-word, which RFC 2047 section 5 forbids in an address, and
mail servers refuse or mangle it. The forms refuse such addresses at input
(core.fields.clean_email_address); this catches what came in before that.
"""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from . import contact


class UnsendableAddress(ValueError):
    """The address cannot be written in a mail header as it is."""


def message_id() -> str:
    return make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)


def list_id(label: str, name: str) -> str:
    """A List-Id header value (RFC 2919) under our own domain: `Name <label.domain>`."""
    return f"{name} <{label}.{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def check_address(address: str) -> str:
    local, at, _domain = address.rpartition("@")
    if not at or not local.isascii():
        raise UnsendableAddress
    return address


def contact_text() -> str:
    """The Servicepunt's contact details as the last lines of a plain-text e-mail."""
    return render_to_string("worker/emails/contact.txt", {"contact": contact.current()})


def html_from_text(subject: str, text: str, summary: dict | None = None) -> str:
    """The HTML part of a message written as plain text: the same words, links clickable.
    A letter's `summary` in the person's language (worker/letters.letter_summary) comes
    first, marked with its language and direction."""
    return render_to_string("worker/emails/letter.html",
                            {"subject": subject, "body": text, "summary": summary})


def email_message(subject: str, text: str, *, to: list[str], html: str = "",
                  headers: dict | None = None, connection=None,
                  with_contact: bool = True) -> EmailMultiAlternatives:
    """One message with both parts. `html` defaults to the text in the e-mail layout; the
    contact details are added to the text part (the HTML layout has its own)."""
    for address in to:
        check_address(address)
    html = html or html_from_text(subject, text)
    if with_contact:
        text = f"{text.rstrip()}\n\n{contact_text()}"
    message = EmailMultiAlternatives(subject, text, to=to, connection=connection,
                                     headers={"Message-ID": message_id(), **(headers or {})})
    message.attach_alternative(html, "text/html")
    return message
