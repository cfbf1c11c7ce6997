"""Two runs of the daily closing job at once close every campaign exactly once (found by
`make mutate`): a run that finds a campaign closed by the other run while it waited for it
goes on with the next campaign, instead of stopping there.

The other run is a second database session that has closed the first campaign and not yet
committed; this run starts in a thread, lists both campaigns, and waits for that row.
"""

import datetime
import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from appreciation.campaigns import services as campaigns
from appreciation.models import Campaign

pytestmark = pytest.mark.django_db(transaction=True)

AFTER_THE_SUMMER = datetime.date(2026, 9, 1)


def waiting_for_a_campaign_row() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE %s", ["%appreciation_campaign%"])
        return cursor.fetchone()[0] > 0


def test_a_campaign_closed_by_the_other_run_is_skipped_and_the_next_one_closed(
        make_campaign, wait_for):
    # The job lists the campaign that started last first.
    closed_elsewhere = make_campaign(name="Zwemkaartjes", starts_on=datetime.date(2026, 6, 2))
    next_one = make_campaign(name="Attentie", starts_on=datetime.date(2026, 6, 1))
    other_run = connections.create_connection(DEFAULT_DB_ALIAS)
    outcome = {}

    def this_run():
        try:
            outcome["closed"] = campaigns.close_finished_campaigns(AFTER_THE_SUMMER)
        finally:
            connections.close_all()

    try:
        other_run.set_autocommit(False)
        with other_run.cursor() as cursor:
            cursor.execute("UPDATE appreciation_campaign SET closed_at = now() WHERE id = %s",
                           [closed_elsewhere.pk])
        thread = threading.Thread(target=this_run)
        thread.start()
        wait_for(waiting_for_a_campaign_row, timeout=30,
                 message="this run to wait for the campaign the other run holds")
        other_run.commit()
        thread.join(timeout=30)
    finally:
        other_run.rollback()
        other_run.close()

    assert outcome == {"closed": 1}
    assert Campaign.objects.get(pk=next_one.pk).closed_at is not None
