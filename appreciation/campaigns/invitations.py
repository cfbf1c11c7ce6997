"""The invitation at the start of a campaign: one mailing to everyone who may ask.

The invitation is a newsletter-style mailing (worker/newsletters.py) with the audience
`{"campaign": <id>}`: the campaign's allowed states, also people who do not want the
newsletter (it is about a benefit they are entitled to), each by their own channel
(a confirmed e-mail address, or a printed letter; nobody who chose "no post or e-mail").

The newsletter is created and stored on `campaign.invitation` in one transaction with the
campaign's row locked, so the daily job may run twice or in parallel and still sends one.
"""

import datetime

from django.conf import settings
from django.db import transaction

from core import clock
from worker.models import Newsletter
from worker.newsletters import schedule

from ..models import Campaign


def due_campaigns(today: datetime.date):
    """Campaigns that started, still run, are asked for, and have an unsent invitation."""
    return (Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today,
                                    closed_at__isnull=True, requires_request=True,
                                    invitation__isnull=True)
            .exclude(invitation_text__regex=r"^\s*$"))


def send_invitations(today: datetime.date | None = None) -> int:
    """The daily job: each campaign that has started gets its invitation once. Returns how
    many invitations were queued. Safe to run twice or in parallel: the campaign row is
    locked and `invitation` is checked again under the lock."""
    today = today or clock.today()
    sent = 0
    for campaign_id in due_campaigns(today).values_list("pk", flat=True):
        with transaction.atomic():
            campaign = due_campaigns(today).select_for_update().filter(pk=campaign_id).first()
            if campaign is None:  # another run sent it meanwhile
                continue
            newsletter = Newsletter.objects.create(
                subject=campaign.invitation_subject.strip() or campaign.name,
                body=invitation_body(campaign), audience={"campaign": campaign.pk})
            campaign.invitation = newsletter
            campaign.save(update_fields=["invitation"])
            schedule(newsletter, None)  # the senders are queued after commit
            sent += 1
    return sent


def invitation_body(campaign: Campaign) -> str:
    """The coordinator's text (Markdown), then where and until when people can ask."""
    link = f"{settings.SITE_URL.rstrip('/')}/zwemkaartjes"
    return (f"{campaign.invitation_text.strip()}\n\n"
            f"**Zo vraagt u het aan:** ga naar <{link}> of naar Mijn gegevens op onze website. "
            f"Dat kan tot en met {campaign.ends_on.strftime('%d-%m-%Y')}. "
            f"Lukt het niet? Bel of mail ons, dan helpen wij u.\n")
