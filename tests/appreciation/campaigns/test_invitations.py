"""The invitation at the start of a campaign: exactly the people who may ask get it, each by
their own channel (also those who do not want the newsletter), once, however often the
daily job runs, and never before the start or for a campaign that is not asked for."""

import datetime
import functools
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from appreciation.campaigns.invitations import send_invitations
from core import clock
from registrations.models import Caregiver, Channel, State
from tests.factories import CaregiverFactory
from worker.letters import letter_html
from worker.models import Delivery, DeliveryStatus, Letter, LetterKind, Newsletter
from worker.newsletters import prepare_deliveries, send_chunk

START = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def first_day():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 5, 30), tick=False):
        yield


@pytest.fixture
def make_campaign(make_campaign):
    """This module's campaigns come with an invitation."""
    return functools.partial(make_campaign, invitation_subject="Gratis zwemmen deze zomer",
                             invitation_text="Deze zomer kunt u **2 gratis zwemkaartjes** krijgen.")


def everyone() -> dict[str, Caregiver]:
    return {
        "anja": CaregiverFactory(first_name="Anja"),
        # A benefit, not the newsletter: Bert gets it too.
        "bert": CaregiverFactory(first_name="Bert", wants_newsletter=False),
        "carla": CaregiverFactory(first_name="Carla", post=True),
        "dirk": CaregiverFactory(first_name="Dirk", channel=Channel.NONE),
        "els": CaregiverFactory(first_name="Els", unconfirmed=True),  # chose e-mail, though
        "fien": CaregiverFactory(first_name="Fien", former=True),
        "gijs": CaregiverFactory(first_name="Gijs", former=True, post=True),
        "henk": CaregiverFactory(first_name="Henk", state=State.AANGEMELD),
        "ilse": CaregiverFactory(first_name="Ilse", ended=True),
    }


def recipients(campaign) -> tuple[set[str], set[str]]:
    """(first names by e-mail, first names by post) of the prepared invitation."""
    campaign.refresh_from_db()
    prepare_deliveries(campaign.invitation)
    by_email = set(Delivery.objects.filter(newsletter=campaign.invitation)
                   .values_list("caregiver__first_name", flat=True))
    by_post = set(Letter.objects.filter(newsletter=campaign.invitation,
                                        kind=LetterKind.NEWSLETTER)
                  .values_list("caregiver__first_name", flat=True))
    return by_email, by_post


@pytest.mark.django_db
def test_exactly_the_active_caregivers_get_it_by_their_channel(make_campaign):
    campaign = make_campaign()
    people = everyone()
    assert send_invitations(START) == 1
    assert recipients(campaign) == ({"Anja", "Bert"}, {"Carla"})
    invitation = Newsletter.objects.get()
    assert invitation.subject == "Gratis zwemmen deze zomer"
    assert invitation.audience == {"campaign": campaign.pk}

    # Dirk chose "no post or e-mail" after the mailing was prepared: skipped.
    Delivery.objects.create(newsletter=invitation, caregiver=people["dirk"], channel="email")
    counts = send_chunk(invitation.pk)
    assert (counts["sent"], counts["skipped"]) == (2, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["anja@example.nl", "bert@example.nl"]
    message = mail.outbox[0]
    assert "2 gratis zwemkaartjes" in message.body
    assert "http://localhost:8000/zwemkaartjes" in message.body
    assert "tot en met 31-08-2026" in message.body
    assert "geen nieuwsbrief" in message.body and "/afmelden/" not in message.body
    assert "List-Unsubscribe" not in message.extra_headers
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "<strong>2 gratis zwemkaartjes</strong>" in html
    assert 'href="http://localhost:8000/zwemkaartjes"' in html
    assert Delivery.objects.get(caregiver=people["dirk"]).status == DeliveryStatus.SKIPPED

    postal = Letter.objects.get(newsletter=invitation)
    assert "http://localhost:8000/zwemkaartjes" in letter_html(postal)


@pytest.mark.django_db
def test_former_caregivers_only_when_the_campaign_includes_them(make_campaign):
    campaign = make_campaign(include_former=True)
    everyone()
    send_invitations(START)
    assert recipients(campaign) == ({"Anja", "Bert", "Fien"}, {"Carla", "Gijs"})


@pytest.mark.django_db
def test_the_subject_is_the_campaign_name_when_none_was_given(make_campaign):
    make_campaign(invitation_subject="  ")
    send_invitations(START)
    assert Newsletter.objects.get().subject == "Zwemkaartjes zomer 2026"


@pytest.mark.django_db
def test_running_the_job_twice_sends_it_once(make_campaign):
    campaign = make_campaign()
    everyone()
    assert send_invitations(START) == 1
    assert send_invitations(START) == 0
    assert send_invitations(START + datetime.timedelta(days=1)) == 0
    assert Newsletter.objects.count() == 1
    first = recipients(campaign)
    assert recipients(campaign) == first  # preparing again adds nobody
    assert Delivery.objects.count() == 2 and Letter.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [
    {"invitation_text": ""},
    {"invitation_text": "  \n "},
    {"requires_request": False, "kind": "attentie"},
    {"starts_on": START + datetime.timedelta(days=1)},  # not yet started
    {"starts_on": datetime.date(2026, 5, 1), "ends_on": datetime.date(2026, 5, 31)},  # over
], ids=["no-text", "blank-text", "no-request", "before-start", "after-end"])
def test_nothing_is_sent_for_a_campaign_that_is_not_due(extra, make_campaign):
    campaign = make_campaign(**extra)
    everyone()
    assert send_invitations(START) == 0
    campaign.refresh_from_db()
    assert campaign.invitation is None and not Newsletter.objects.exists()


@pytest.mark.django_db
def test_a_closed_campaign_sends_nothing(make_campaign):
    make_campaign(closed_at=clock.now())
    assert send_invitations(START) == 0


@pytest.mark.django_db
def test_the_daily_task_queues_the_sending(inline_tasks, django_capture_on_commit_callbacks,
                                           make_campaign):
    """The task creates the mailing; after commit the senders run (inline here) and the
    e-mail goes out; the postal copy waits for the letters' dispatch."""
    from appreciation.tasks import send_campaign_invitations

    make_campaign()
    everyone()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_campaign_invitations() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["anja@example.nl", "bert@example.nl"]
    assert {m.subject for m in mail.outbox} == {"Gratis zwemmen deze zomer"}
    assert Newsletter.objects.get().status == "verstuurd"


@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_the_same_moment_make_one_invitation(monkeypatch, make_campaign):
    monkeypatch.setattr("worker.newsletters.queue_senders", lambda newsletter_id: None)
    campaign = make_campaign()
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(send_invitations(START))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(results) == [0, 0, 0, 1]
    campaign.refresh_from_db()
    assert Newsletter.objects.count() == 1 and campaign.invitation == Newsletter.objects.get()
