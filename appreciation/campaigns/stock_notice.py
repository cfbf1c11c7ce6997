"""The coordinators' daily message about campaigns whose stock ran out.

A campaign without a waiting list keeps accepting requests when its codes (or cards) run
out: those people wait for codes. Coordinators then hear it on the dashboard, on the
campaign pages, and once a day by e-mail, until codes are added. No names in the e-mail:
only campaigns, counts and links.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from core import clock, roles
from worker.models import SchedulerBeat

from .selectors import stock_warnings


def send_stock_notice() -> int:
    """E-mail the coordinators the campaigns whose stock ran out. Returns how many
    coordinators were written to. Idempotent per day: the day's SchedulerBeat row is the
    claim, so a second run the same day sends nothing."""
    warnings = stock_warnings()
    if not warnings:
        return 0
    recipients = list(User.objects.filter(groups__name=roles.COORDINATOR, is_active=True)
                      .exclude(email="").values_list("email", flat=True).distinct())
    if not recipients:
        return 0
    now = clock.now()
    try:
        with transaction.atomic():
            SchedulerBeat.objects.create(
                name=f"campaign-stock:{clock.today().isoformat()}", last_run_at=now, runs=1)
    except IntegrityError:
        return 0  # already sent today
    site = settings.SITE_URL.rstrip("/")
    body = render_to_string("appreciation/campaigns/emails/voorraad_op.txt", {
        "rows": [{"message": row["message"], "url": site + reverse(
            "appreciation:campaign_detail", args=[row["campaign"].pk])} for row in warnings]})
    send_mail("Campagnes: de voorraad is op", body, None, recipients)
    return len(recipients)
