"""Two people press "Aanvraag versturen" for the same caregiver at the same moment (two
browsers, two threads, each with its own database connection): one request is stored; both
see the same page (not signed in, nobody is told whether the caregiver asked before) and the
caregiver hears of the second one by their own channel; an unknown caregiver is registered
once."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client

from appreciation.models import AppreciationLetter, AppreciationRequest
from registrations.models import Caregiver
from tests.appreciation.waardering.test_locked_rows_mutants import held_elsewhere
from tests.appreciation.waardering.wizard import CHECK, SELF, fill, post_step
from tests.factories import AppreciationYearFactory, CaregiverFactory
from tests.support import wait_for
from worker.models import Letter

TODAY = datetime.date(2026, 9, 15)


def send_together(clients) -> list[str]:
    """Send the last step from every client at once; returns each one's final page."""
    barrier = threading.Barrier(len(clients))
    pages, errors = [None] * len(clients), []

    def run(index, client):
        try:
            barrier.wait(timeout=10)
            response = post_step(client, SELF, "controleren", CHECK)
            while response.status_code == 302 and "verstuurd" not in response["Location"]:
                response = client.get(response["Location"])
            pages[index] = response.get("Location") or response.content.decode()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return pages


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("known", [False, True], ids=["unknown", "known"])
def test_two_parallel_requests_store_one(known):
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=False):
        AppreciationYearFactory(open_on=TODAY)
        if known:
            CaregiverFactory(complete=True, date_of_birth=datetime.date(1955, 4, 3),
                             house_number="12")
        clients = [fill(Client()), fill(Client(), **{"zorg-recipient_name": "Truus Bakker"})]
        pages = send_together(clients)
    assert AppreciationRequest.objects.count() == 1
    assert Caregiver.objects.count() == 1
    assert pages == ["/waardering/verstuurd"] * 2, pages
    assert Letter.objects.filter(kind=AppreciationLetter.WAARDERING_DUPLICATE).count() == 1
    request = AppreciationRequest.objects.get()
    assert request.caregiver_was_unknown is (not known)


@pytest.mark.django_db(transaction=True)
def test_a_double_click_stores_one_request_and_tells_nobody_of_a_second():
    """The same form sent twice at once (a double click, or two tabs of one browser): both
    answers are "verstuurd", one request is stored, and the caregiver gets no letter about
    a second request, because nobody asked twice.

    "At once" is made certain: another session holds the caregiver's row until both posts
    wait for it, so both have passed every check made before that row's lock."""
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0), tick=False):
        AppreciationYearFactory(open_on=TODAY)
        riet = CaregiverFactory(complete=True, date_of_birth=datetime.date(1955, 4, 3),
                                house_number="12")
        first = fill(Client())
        second = Client()
        second.cookies = first.cookies  # the same browser: the same session, the same form
        pages = []
        with held_elsewhere(riet):  # FOR UPDATE, in another database session
            sending = threading.Thread(target=lambda: pages.extend(
                send_together([first, second])))
            sending.start()
            wait_for(lambda: waiting_for_a_lock() == 2, message="both posts waiting")
        sending.join(60)
    assert pages == ["/waardering/verstuurd"] * 2, pages
    assert AppreciationRequest.objects.count() == 1
    assert not Letter.objects.filter(kind=AppreciationLetter.WAARDERING_DUPLICATE).exists()


def waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                       "current_database() AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]
