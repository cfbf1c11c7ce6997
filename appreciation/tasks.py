"""The waardering's and the campaigns' daily jobs. Task names keep their old "worker.…"
prefix: messages already queued, and the beat schedule, still find them."""

from celery import shared_task

from .campaigns.invitations import send_invitations
from .campaigns.services import close_finished_campaigns
from .campaigns.stock_notice import send_stock_notice
from .waardering.payment_files import remove_old_payment_files as remove_files
from .waardering.payment_files import set_aside_orphan_payment_files
from .waardering.renewal import send_invitations as send_renewal_invitations
from .waardering.selectors import overdue_questions


@shared_task(name="worker.expire_waardering_questions")
def expire_waardering_questions() -> dict:
    """The daily waardering upkeep. Payment files no batch references (a batch killed
    before its commit) are moved aside, so no second file with the same payments lies
    beside the real one. Questions not answered in time are only counted: the queue flags
    them ("Antwoord te laat") and a consulent decides to set each aside (art. 4:5 Awb), so
    nothing ends a request without a person. The name is kept for the beat schedule.
    Safe to run twice: a file moved aside is no longer in the batch folder."""
    return {"overdue": overdue_questions().count(),
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


@shared_task(name="appreciation.invite_waardering_renewals")
def invite_waardering_renewals() -> int:
    """While a year's window is open, everyone who received last year's waardering is
    invited once to ask again in one step. Safe to run twice or in parallel: one invitation
    per person per year is a database constraint, and its letter has the invitation's key."""
    return send_renewal_invitations()


@shared_task(name="appreciation.campaign_stock_notice")
def campaign_stock_notice() -> int:
    """Coordinators hear once a day which campaigns ran out of stock while people wait for
    codes. Safe to run twice: the day's claim row makes a second run send nothing."""
    return send_stock_notice()
