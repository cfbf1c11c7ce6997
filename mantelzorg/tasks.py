"""The project's own Celery task: the invitation e-mail for a new colleague."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from worker.mail import email_message

INVITE_TEMPLATE = "mantelzorg/emails/staff_invite"


def invite_link(user: User) -> str:
    """A link to choose a first password. Django's token is derived from the password hash,
    the last sign-in and the e-mail address, so it works once, for this address, and expires
    after PASSWORD_RESET_TIMEOUT. Nothing secret is stored or queued."""
    path = reverse("mantelzorg:staff_welcome", args=[
        urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])
    return settings.SITE_URL.rstrip("/") + path


@shared_task(name="mantelzorg.send_staff_invite")
def send_staff_invite(user_id: int) -> bool:
    """Mail the invitation; nothing when the account is gone, switched off or already has a
    password (a redelivered task must not hand out a new link)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password() or not user.email:
        return False
    context = {"user": user, "link": invite_link(user),
               "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1)}
    subject = render_to_string(f"{INVITE_TEMPLATE}_subject.txt", context).strip()
    email_message(subject, render_to_string(f"{INVITE_TEMPLATE}.txt", context), to=[user.email],
                  html=render_to_string(f"{INVITE_TEMPLATE}.html", context),
                  with_contact=False).send()
    return True
