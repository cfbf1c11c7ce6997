"""The registrations' Celery tasks: link mails and the nightly retention. Task names keep
their old "worker.…" prefix: messages already queued, and the beat schedule, still find them."""

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core import clock, languages
from worker.mail import email_message

from .imports import jobs as import_jobs
from .models import AccessToken
from .retention import run_daily

LINK_MAILS = {
    # purpose: (template, URL name, who receives it)
    "email": ("registrations/emails/confirm_email", "registrations:confirm_email", "caregiver"),
    "ouder": ("registrations/emails/guardian_consent", "registrations:guardian_consent",
              "guardian"),
    "inloggen": ("registrations/emails/magic_link", "registrations:magic_link", "caregiver"),
}


@shared_task(name="worker.send_link_mail")
def send_link_mail(token_id: int, raw_token: str) -> bool:
    """E-mail a confirmation, consent or sign-in link.

    Idempotent: the token row is claimed (mailed_at set) before sending, so a redelivered
    task sends nothing twice. A token already used or expired is not mailed.
    """
    now = clock.now()
    claimed = AccessToken.objects.filter(
        pk=token_id, mailed_at__isnull=True, used_at__isnull=True, expires_at__gt=now
    ).update(mailed_at=now)
    if not claimed:
        return False
    token = AccessToken.objects.select_related("caregiver", "caregiver__guardian").get(
        pk=token_id)
    template, url_name, recipient_kind = LINK_MAILS[token.purpose]
    caregiver = token.caregiver
    to = caregiver.guardian.email if recipient_kind == "guardian" else caregiver.email
    if not to or not token.still_sent_to(to):
        return False  # no address, or it changed after the link was made: send nothing
    context = {
        "caregiver": caregiver,
        "guardian": getattr(caregiver, "guardian", None) if recipient_kind == "guardian" else None,
        "link": settings.SITE_URL.rstrip("/") + reverse(url_name, args=[raw_token]),
        "expires_at": token.expires_at,
        "young": caregiver.is_young(),
    }
    # In the language the person chose on our pages when registering.
    with translation.override(languages.known(caregiver.language)):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        email_message(subject, render_to_string(f"{template}.txt", context), to=[to]).send()
    return True


@shared_task(name="worker.run_retention")
def run_retention() -> dict:
    """The daily retention jobs (registrations/retention.py); safe to run twice a day."""
    return run_daily().__dict__


@shared_task(name="registrations.check_import")
def check_import(import_id: int) -> None:
    """The registry import's dry run: a verdict per line, nothing written to the registry."""
    import_jobs.check_import(import_id)


@shared_task(name="registrations.run_import")
def run_import(import_id: int) -> None:
    """The registry import's write: everything in one transaction, or nothing."""
    import_jobs.run_import(import_id)
