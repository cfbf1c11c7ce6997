"""A newsletter chunk's message is made once and copied per reader (worker/bulk_mail.py):
every reader still gets a message of their own, with their own unsubscribe link, the same
as the one Django would make for them, also where copying is not safe (long lines)."""

import email
import re

import pytest
from django.core.mail import get_connection

from tests.factories import NewsletterFactory
from worker.bulk_mail import PLACEHOLDER_ADDRESS, PLACEHOLDER_LINK, BulkMessage
from worker.newsletters import (
    build_message,
    caregiver_for_unsubscribe_token,
    prepare_deliveries,
    prerender,
    send_chunk,
    unsubscribe_url,
)


def parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_payload(decode=True).decode()
            for part in message.walk() if part.get_content_maintype() == "text"}


def token_in(text: str) -> str:
    return re.search(r"/afmelden/([^\s<>\"/]+)", text).group(1)


LONG_LINE = "Een heel lange regel " * 60  # over 998 characters: quoted-printable


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["Beste mantelzorger,\n\n**Inloop** op dinsdag.",
                                  f"Beste mantelzorger,\n\n{LONG_LINE}"])
def test_every_reader_gets_a_message_with_their_own_unsubscribe_link(smtp_sink, caregivers, body):
    people = caregivers(3)
    newsletter = NewsletterFactory(body=body)
    prepare_deliveries(newsletter)
    assert send_chunk(newsletter.pk)["sent"] == 3
    assert sorted(rcpt for rcpt, _ in smtp_sink.envelopes) == [[p.email] for p in people]
    ids = set()
    for rcpt, message in smtp_sink.envelopes:
        reader = next(p for p in people if p.email == rcpt[0])
        assert message["To"] == reader.email
        assert message["Subject"] == "Nieuws van het Servicepunt"
        header = token_in(" ".join(message["List-Unsubscribe"].split()))
        text = parts(message)
        assert token_in(text["text/plain"]) == token_in(text["text/html"]) == header
        assert caregiver_for_unsubscribe_token(header) == reader
        assert "heel lange regel" in text["text/plain"] or LONG_LINE not in body
        ids.add(message["Message-ID"])
    assert len(ids) == 3


@pytest.mark.django_db
def test_a_copy_is_the_message_django_makes_for_that_reader(settings, caregivers):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    (reader,) = caregivers(1)
    newsletter = NewsletterFactory()
    rendered, smtp = prerender(newsletter), get_connection()
    bulk = BulkMessage.make(build_message(newsletter, type("Anyone", (), {
        "email": PLACEHOLDER_ADDRESS})(), rendered, smtp, link=PLACEHOLDER_LINK), smtp)
    link = unsubscribe_url(reader)
    copy = email.message_from_bytes(bulk.copy_for(reader.email, link))
    made = email.message_from_bytes(build_message(newsletter, reader, rendered, smtp,
                                                  link=link).message().as_bytes(linesep="\r\n"))
    ignored = {"Message-ID", "Date", "Content-Type"}  # unique per message; the boundary

    def headers(message):  # as a mail program shows them: long ones unfolded
        return [(k, " ".join(v.split())) for k, v in message.items() if k not in ignored]

    assert headers(copy) == headers(made)
    assert parts(copy) == parts(made)
    assert copy["Message-ID"] != made["Message-ID"]


def test_only_plain_addresses_and_links_are_copied():
    link = "https://mantelzorg.example.nl/afmelden/MTI:1tWq:abc-_"
    assert BulkMessage.fits("jan@example.nl", link)
    assert not BulkMessage.fits("jan@bücher.nl", link)
    assert not BulkMessage.fits("jan@example.nl\nBcc: x@example.nl", link)
    assert not BulkMessage.fits("jan@example.nl", link + "\nBcc: x@example.nl")
