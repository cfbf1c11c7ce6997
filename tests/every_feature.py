"""One caregiver who touches every feature of the product (a plain helper module, not a
test module): the erasure test (tests/security/test_erasure_leaves_nothing.py) scans for what
is left of her, the data download test (tests/registrations/test_data_download.py) looks
for everything held about her. Everything goes through the services and the public pages,
the way the forms, the back office and the jobs do it; only the mail server is faked.
"""

import datetime
import smtplib
from types import SimpleNamespace

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client

from appreciation.campaigns import services as campaigns
from appreciation.models import CampaignRoute, PayoutForm
from appreciation.waardering import payouts
from appreciation.waardering import services as waardering
from core import clock
from insight import services as insight
from insight.models import ContactKind, FollowUpTask
from registrations import services, services_records
from registrations.models import Channel, State, TokenPurpose
from tests.appreciation.waardering.wizard import SELF, post_step
from tests.factories import AppreciationYearFactory, CampaignFactory, NewsletterFactory
from tests.support import link_token, nl_iban, recipient_details, request_data, sign_in, submit
from worker import newsletters
from worker.services import create_print_batch, dispatch_queued_letters, mark_batch_printed

BORN = datetime.date(2011, 7, 19)  # 15 on the waardering day: a guardian must agree
IBAN = nl_iban(7_712_345)
IBAN_GROUPED = " ".join(IBAN[i:i + 4] for i in range(0, len(IBAN), 4))
PERSON = {
    "first_name": "Wilhelmina", "last_name": "Zandvliet-Oostergo", "date_of_birth": BORN,
    "street": "Klaproosstraat", "house_number": "77", "postcode": "3845XK",
    "city": "Harderwijk", "email": "wilhelmina.zandvliet@example.nl", "phone": "0687654321",
    "channel": Channel.EMAIL, "wants_newsletter": True, "parent_of_disabled_child": False,
    "migration_background": False,
}
GUARDIAN = {"name": "Johanna Oostergo", "email": "johanna.oostergo@example.nl",
            "phone": "0611122233"}
RECIPIENT = "Gerardus Zandvliet"

def bounce(address):
    """The mail server refuses the address (outside the system: the only thing faked)."""
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, f"5.1.1 <{address}>: Recipient address rejected".encode())})
    return send_messages


def abandon_waardering_wizard():
    """Someone starts the public waardering on a shared computer, types everything up to
    the bank account, and walks away."""
    client = Client()
    assert client.get(SELF).status_code == 302
    steps = [
        ("mantelzorger", {
            "mantelzorger-first_name": PERSON["first_name"],
            "mantelzorger-last_name": PERSON["last_name"],
            "mantelzorger-date_of_birth": BORN.strftime("%d-%m-%Y"),
            "mantelzorger-postcode": PERSON["postcode"],
            "mantelzorger-house_number": PERSON["house_number"],
            "mantelzorger-street": PERSON["street"], "mantelzorger-city": "Harderwijk",
            "mantelzorger-email": PERSON["email"], "mantelzorger-phone": "06 8765 4321"}),
        ("ouder", {f"ouder-{key}": value for key, value in GUARDIAN.items()}),
        ("zorg", {"zorg-recipient_name": RECIPIENT, "zorg-recipient_postcode": "3845XK",
                  "zorg-recipient_house_number": "77", "zorg-relationship": "ouder",
                  "zorg-living_together": "ja", "zorg-hours_per_week": "20",
                  "zorg-care_since": "01-03-2019"}),
        ("betaling", {"betaling-iban": IBAN_GROUPED.lower(),
                      "betaling-account_holder": "W. Zandvliet-Oostergo"}),
    ]
    for step, data in steps:
        response = post_step(client, SELF, step, data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])


def use_every_feature(traveller, consulent, coordinator, capture_on_commit):
    """Wilhelmina (15) registers with her mother as guardian and uses everything; returns
    the rows made. Needs an open waardering window (`traveller` is the waardering_day
    fixture's) and the `media` and `inline_tasks` fixtures."""
    year = AppreciationYearFactory(open_on=clock.today(),
                                   payout_young=PayoutForm.BANK)
    # Registration with the person cared for and a guardian; both links used.
    caregiver = services.register(services.RegistrationData(
        caregiver=dict(PERSON), guardian=dict(GUARDIAN),
        care_recipients=[{"name": RECIPIENT, "date_of_birth": datetime.date(1970, 2, 3),
                          "relationship": "ouder", "lives_in_municipality": True,
                          "living_together": True, "care_kinds": ["verzorging"],
                          "hours_per_week": 20, "care_since": datetime.date(2019, 3, 1),
                          "care_need": "lichamelijk"}]))
    services.confirm_email(link_token(caregiver, purpose=TokenPurpose.CONFIRM_EMAIL))
    services.confirm_guardian(link_token(caregiver, purpose=TokenPurpose.GUARDIAN),
                              name=GUARDIAN["name"], relation="ouder")
    caregiver.refresh_from_db()
    assert caregiver.state == State.ACTIEF and hasattr(caregiver, "guardian")
    sign_in(Client(), caregiver)
    services.log_staff_access(consulent, caregiver)
    services.log_staff_access(coordinator, caregiver, "gewijzigd")
    # A consulent corrects the street and adds a naaste: before and after are recorded.
    caregiver = services_records.update_caregiver(
        caregiver, {"street": "Klaproosplein"}, version=caregiver.version, by=consulent)
    caregiver = services_records.update_caregiver(
        caregiver, {"street": PERSON["street"]}, version=caregiver.version, by=consulent)
    services_records.add_recipient(caregiver, {
        "name": "Johanna Oostergo", "date_of_birth": datetime.date(1945, 5, 6),
        "relationship": "ouder", "lives_in_municipality": True, "living_together": False,
        "care_kinds": ["vervoer"], "hours_per_week": 4, "care_since": datetime.date(2020, 1, 1),
        "care_need": ""}, by=consulent)
    caregiver.refresh_from_db()

    # The waardering, approved, in a SEPA payment batch, paid; its letters by e-mail.
    with capture_on_commit(execute=True):
        data = request_data(caregiver={}, iban=IBAN,
                            recipient=recipient_details(recipient_name=RECIPIENT))
        data.account_holder = "W. Zandvliet-Oostergo"
        request = submit(data, caregiver=caregiver)
        request = waardering.approve(waardering.recheck(request), consulent)
    batch = payouts.create_payment_batch(year, PayoutForm.BANK, coordinator)
    assert IBAN.encode() in batch.export.read()
    payouts.mark_batch_paid(batch, coordinator)

    # Swimming tickets: one request cancelled by a consulent with a reason, one with a code
    # on a paper letter (the caregiver switched to post), printed in a batch.
    today = clock.today()
    cancelled = campaigns.ask(CampaignFactory(name="Attentie", starts_on=today, ends_on=today,
                                              codes=1), caregiver, route=CampaignRoute.DESK,
                              by=consulent)
    campaigns.cancel(cancelled, by=consulent,
                     reason="Mevrouw Zandvliet belde: 06 8765 4321, wil het niet meer")
    services.update_contact_details(caregiver, email=PERSON["email"], phone=PERSON["phone"],
                                    channel=Channel.POST, wants_newsletter=True)
    with capture_on_commit(execute=True):
        campaigns.ask(CampaignFactory(starts_on=today, ends_on=today, codes=2), caregiver,
                      route=CampaignRoute.SELF_SERVICE)
    dispatch_queued_letters()
    print_batch = create_print_batch()
    assert print_batch is not None
    mark_batch_printed(print_batch, consulent)

    # A newsletter the mail server refused, with the address in its error text.
    services.update_contact_details(caregiver, email=PERSON["email"], phone=PERSON["phone"],
                                    channel=Channel.EMAIL, wants_newsletter=True)
    services.confirm_email(link_token(caregiver, purpose=TokenPurpose.CONFIRM_EMAIL))
    newsletter = NewsletterFactory()
    assert newsletters.prepare_deliveries(newsletter) == 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", bounce(PERSON["email"]))
        assert newsletters.send_chunk(newsletter.pk)["failed"] == 1

    # The self-check, a call-back done with a contact moment, another one cancelled.
    caregiver.refresh_from_db()
    insight.record_burden_check(caregiver, [3, 3, 3, 2, 3], "aanmelding")
    task = FollowUpTask.objects.get(caregiver=caregiver)
    insight.record_contact(caregiver, consulent, on=today, kind=ContactKind.PHONE, task=task,
                           outcome="Wilhelmina gebeld op 0687654321, gaat goed")
    traveller.shift(datetime.timedelta(days=1))
    insight.record_burden_check(caregiver, [3, 3, 3, 3, 3], "mijn_gegevens")
    insight.cancel_task(FollowUpTask.objects.get(caregiver=caregiver, done_at=None),
                        "Wilhelmina Zandvliet belt zelf terug")

    abandon_waardering_wizard()
    abandon_waardering_wizard()
    return SimpleNamespace(caregiver=caregiver, year=year, request=request, batch=batch,
                           print_batch=print_batch, cancelled_campaign_request=cancelled,
                           newsletter=newsletter)
