"""The waardering's and the campaigns' daily jobs. Task names keep their old "worker.…"
prefix: messages already queued, and the beat schedule, still find them."""

from celery import shared_task

from .campaigns.invitations import send_invitations
from .campaigns.services import close_finished_campaigns
from .campaigns.stock_notice import send_stock_notice
from .waardering.payment_files import remove_old_payment_files as remove_files
from .waardering.payment_files import set_aside_orphan_payment_files
from .waardering.services import expire_information_requests


@shared_task(name="worker.expire_waardering_questions")
def expire_waardering_questions() -> dict:
    """The daily waardering upkeep. Requests whose question went unanswered in time are
    rejected, with a letter; payment files no batch references (a batch killed before its
    commit) are moved aside, so no second file with the same payments lies beside the real
    one. Safe to run twice: only requests still waiting for an answer move, and a file moved
    aside is no longer in the batch folder."""
    return {"expired": expire_information_requests(),
            "orphan_payment_files": set_aside_orphan_payment_files()}


@shared_task(name="worker.close_campaigns")
def close_campaigns() -> int:
    """Campaigns whose period is over close once (waiting list lapses, with letters).
    Safe to run twice: a closed campaign is skipped."""
    return close_finished_campaigns()


@shared_task(name="worker.send_campaign_invitations")
def send_campaign_invitations() -> int:
    """Campaigns that started today (or earlier) send their invitation mailing once.
    Safe to run twice or in parallel: the campaign row is locked and the mailing is stored
    on the campaign in the same transaction, so a second run finds nothing to send."""
    return send_invitations()


@shared_task(name="appreciation.remove_old_payment_files")
def remove_old_payment_files() -> int:
    """Payment files (names and IBANs) of batches paid more than 90 days ago are deleted;
    the batch rows stay for the bookkeeping. Safe to run twice."""
    return remove_files()


@shared_task(name="appreciation.campaign_stock_notice")
def campaign_stock_notice() -> int:
    """Coordinators hear once a day which campaigns ran out of stock while people wait for
    codes. Safe to run twice: the day's claim row makes a second run send nothing."""
    return send_stock_notice()
