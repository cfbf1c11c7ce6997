"""Mail that arrives: what a receiving server and its spam filter read in the messages the
SMTP sink really receives (Message-ID, Date, List-Id, the parts, the addresses)."""

import datetime
import email.utils
import re
import zoneinfo

import pytest
import time_machine
from django import forms
from django.contrib.auth.models import User
from django.core import mail

from appreciation.campaigns.invitations import send_invitations
from core.fields import clean_email_address
from mantelzorg.tasks import send_staff_invite
from registrations.demo import make_caregivers
from registrations.links import TokenPurpose
from registrations.services import issue_token
from registrations.tasks import send_link_mail
from tests.factories import CaregiverFactory, NewsletterFactory, RetentionNoticeFactory
from worker.models import Delivery, DeliveryStatus, Letter, LetterStatus, Newsletter
from worker.newsletters import prepare_deliveries, send_chunk
from worker.services import dispatch_queued_letters

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def assert_arrives_well(message, domain="example.org"):
    """Message-ID in our own domain, a Date with a real zone (Dutch time), two parts."""
    message_id = " ".join(message["Message-ID"].split())  # a long header may be folded
    assert re.fullmatch(rf"<[^<>@\s]+@{re.escape(domain)}>", message_id), message_id
    assert not message["Date"].endswith("-0000"), message["Date"]
    sent = email.utils.parsedate_to_datetime(message["Date"])
    assert sent.utcoffset() == sent.astimezone(AMSTERDAM).utcoffset()
    assert abs(sent - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=5)
    types = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= types, types


@pytest.mark.django_db
def test_a_letter_by_email_arrives_with_our_message_id_and_dutch_time(smtp_sink):
    RetentionNoticeFactory(caregiver__email="anja@example.nl")
    dispatch_queued_letters()
    [message] = smtp_sink.messages
    assert_arrives_well(message)


@pytest.mark.django_db
def test_the_message_id_follows_the_setting(smtp_sink, settings):
    settings.EMAIL_MESSAGE_ID_DOMAIN = "mantelzorg.harderwijk.example"
    RetentionNoticeFactory(caregiver__email="anja@example.nl")
    dispatch_queued_letters()
    assert_arrives_well(smtp_sink.messages[0], domain="mantelzorg.harderwijk.example")


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", [TokenPurpose.MAGIC_LINK, TokenPurpose.CONFIRM_EMAIL])
def test_the_sign_in_and_confirmation_mails_have_an_html_part_with_the_link(smtp_sink, purpose):
    riet = CaregiverFactory(email="riet@example.nl")
    token, raw = issue_token(riet, purpose, datetime.timedelta(days=1))
    assert send_link_mail(token.pk, raw)
    [message] = smtp_sink.messages
    assert_arrives_well(message)
    html = message.get_payload()[1].get_payload(decode=True).decode()
    assert re.search(rf'<a href="http://[^"]+/{raw}"', html), html
    text = message.get_payload()[0].get_payload(decode=True).decode()
    assert raw in text and "E-mail: mantelzorg@example.org" in text


@pytest.mark.django_db
def test_newsletters_say_which_list_they_belong_to(smtp_sink, caregivers):
    caregivers(3)
    newsletter = NewsletterFactory()
    prepare_deliveries(newsletter)
    assert send_chunk(newsletter.pk)["sent"] == 3
    ids = set()
    for message in smtp_sink.messages:  # the chunk's copies (worker/bulk_mail.py)
        assert message["List-Id"] == "Nieuwsbrief Servicepunt Mantelzorg <nieuwsbrief.example.org>"
        assert_arrives_well(message)
        ids.add(message["Message-ID"])
    assert len(ids) == 3  # every copy its own Message-ID


@pytest.mark.django_db
def test_the_staff_invitation_arrives_well_too(smtp_sink):
    colleague = User.objects.create(username="nieuw", email="nieuw@example.org")
    colleague.set_unusable_password()
    colleague.save()
    assert send_staff_invite(colleague.pk)
    [message] = smtp_sink.messages
    assert_arrives_well(message)


# --- addresses with letters other than ASCII before the @ ----------------------------------

@pytest.mark.parametrize("address", ["zoë@example.nl", "çelik@example.nl", "jan\u212a@example.nl",
                                     "ſara@example.nl"])
def test_such_an_address_is_refused_at_input_with_a_dutch_message(address):
    with pytest.raises(forms.ValidationError) as refused:
        clean_email_address(address)
    assert "Gebruik voor de @ alleen letters zonder accent" in refused.value.messages[0]


def test_a_domain_with_accents_is_fine():
    assert clean_email_address("Zoe@Café.example") == "zoe@café.example"


@pytest.mark.django_db
def test_registering_with_such_an_address_shows_the_message_next_to_the_field(client):
    page = client.post("/mijn-gegevens/inloggen", {"email": "zoë@example.nl"}).content.decode()
    assert "Gebruik voor de @ alleen letters zonder accent" in page
    assert 'value="zoë@example.nl"' in page


@pytest.mark.django_db
def test_a_stored_address_like_that_is_never_sent_as_an_encoded_word(smtp_sink):
    """An address stored before the check: the letter fails with a reason staff can act on,
    the other letters go out."""
    odd = RetentionNoticeFactory(caregiver__email="zoë@example.nl")
    fine = RetentionNoticeFactory(caregiver__email="sem@example.nl")
    counts = dispatch_queued_letters()
    assert counts["failed"] == 1 and counts["email"] == 1
    odd.refresh_from_db()
    assert odd.status == LetterStatus.FAILED and "accent" in odd.error
    assert Letter.objects.get(pk=fine.pk).status == LetterStatus.SENT
    assert [str(m["To"]) for m in smtp_sink.messages] == ["sem@example.nl"]
    assert b"=?utf-8?" not in smtp_sink.messages[0].as_bytes()


@pytest.mark.django_db
def test_a_newsletter_to_such_an_address_fails_alone(smtp_sink, caregivers):
    odd, fine = caregivers(2)
    type(odd).objects.filter(pk=odd.pk).update(email="zoë@example.nl")
    newsletter = NewsletterFactory()
    prepare_deliveries(newsletter)
    assert send_chunk(newsletter.pk) == {"sent": 1, "failed": 1, "skipped": 0, "retry": 0}
    failed = Delivery.objects.get(caregiver_id=odd.pk)
    assert failed.status == DeliveryStatus.FAILED and "accent" in failed.error
    assert [str(m["To"]) for m in smtp_sink.messages] == [fine.email]


@pytest.mark.django_db
def test_the_demo_data_has_no_such_addresses():
    people = make_caregivers(400)
    addresses = [p.email for p in people if p.email]
    assert addresses and any("zoe." in a for a in addresses)
    for address in addresses:
        assert address.rpartition("@")[0].isascii(), address
        clean_email_address(address)


@pytest.mark.django_db
def test_a_campaign_invitation_has_its_own_list_id_and_no_newsletter_unsubscribe(
        make_campaign):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 5, 30), tick=False):
        make_campaign(invitation_subject="Gratis zwemmen deze zomer",
                      invitation_text="Deze zomer kunt u **2 gratis zwemkaartjes** krijgen.")
        CaregiverFactory(first_name="Anja")
        assert send_invitations(datetime.date(2026, 6, 1)) == 1
        invitation = Newsletter.objects.get()
        prepare_deliveries(invitation)
        assert send_chunk(invitation.pk)["sent"] == 1
    [message] = mail.outbox
    assert message.extra_headers["List-Id"] == \
        "Uitnodigingen Servicepunt Mantelzorg <uitnodigingen.example.org>"
    assert "List-Unsubscribe" not in message.extra_headers
