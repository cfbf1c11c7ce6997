"""Staff accounts: creating them with a role, and what a coordinator does in "Medewerkers"
(invite, deactivate, reset the second factor, change the role).

Every management action is written to Django's admin log (LogEntry: who, whom, what, when),
the same history Beheer shows, and listed on the Medewerkers page. The last coordinator
who can actually sign in can never be switched off or demoted, and nobody demotes themselves,
so the office is never locked out of its own staff management.
"""

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import clock, roles

from . import sso_config
from .models import StaffIdentity
from .tasks import send_staff_invite

LAST_COORDINATOR = (
    "Dit is de laatste actieve coördinator. Maak eerst iemand anders coördinator. Een "
    "uitnodiging telt pas mee als die collega een wachtwoord en de app heeft ingesteld.")


class StaffActionRefused(Exception):
    """A management action that would break a rule; the message is Dutch, for the page."""


@transaction.atomic
def create_staff_user(username: str, password: str, role: str, *, first_name: str = "",
                      last_name: str = "", email: str = "") -> User:
    """A consulent or coordinator. Coordinators get is_staff for Django admin."""
    if role not in (roles.CONSULENT, roles.COORDINATOR):
        raise ValueError(f"Unknown role {role!r}")
    user, _created = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_staff = role == roles.COORDINATOR
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user


def role_of(user) -> str:
    names = {group.name for group in user.groups.all()}
    return roles.COORDINATOR if roles.COORDINATOR in names else (
        roles.CONSULENT if roles.CONSULENT in names else "")


def _role_label(role: str) -> str:
    return dict(roles.ROLE_CHOICES).get(role, role)


def _log(by, whom: User, message: str, flag=CHANGE) -> None:
    LogEntry.objects.create(
        user=by, content_type=ContentType.objects.get_for_model(User), object_id=str(whom.pk),
        object_repr=whom.get_full_name() or whom.username, action_flag=flag,
        change_message=message)


def staff_log(limit: int = 50):
    """The latest staff management actions, newest first, for the Medewerkers page."""
    return (LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User))
            .select_related("user").order_by("-action_time")[:limit])


def _lock_coordinators_who_can_sign_in() -> set[int]:
    """Lock every active coordinator's row (so two coordinators demoting each other at the
    same moment cannot both succeed) and return those who can sign in today: a usable
    password and, where the second factor is required (not in demo mode), a confirmed
    authenticator, or an account of the organisation's provider while staff SSO is on.
    An invitation nobody accepted does not count: it expires."""
    coordinators = list(User.objects.select_for_update().filter(
        is_active=True, groups__name=roles.COORDINATOR).order_by("pk"))
    can_sign_in = {user.pk for user in coordinators if user.has_usable_password()}
    if not settings.STAFF_LOCAL_LOGIN:
        can_sign_in = set()
    if settings.STAFF_2FA_REQUIRED:
        can_sign_in &= set(TOTPDevice.objects.filter(
            user_id__in=can_sign_in, confirmed=True).values_list("user_id", flat=True))
    if sso_config.enabled():  # the organisation's provider vouches for these
        can_sign_in |= set(StaffIdentity.objects.filter(
            user__in=coordinators).values_list("user_id", flat=True))
    return can_sign_in


def _refuse_if_last_coordinator(whom: User, message: str) -> None:
    """A coordinator may go only if another coordinator who can sign in stays."""
    others = _lock_coordinators_who_can_sign_in() - {whom.pk}
    if role_of(whom) == roles.COORDINATOR and whom.is_active and not others:
        raise StaffActionRefused(message)


def end_sessions(user: User) -> int:
    """Sign the person out everywhere: delete every live session that belongs to them."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=clock.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def invite_staff(*, by, first_name: str, last_name: str, email: str, role: str) -> User:
    """A new colleague: an account without a password; the e-mail (after commit) holds a
    single-use, expiring link to choose one. The authenticator is set up at first sign-in."""
    if role not in (roles.CONSULENT, roles.COORDINATOR):
        raise ValueError(f"Unknown role {role!r}")
    username = email.strip().lower()
    if User.objects.filter(username__iexact=username).exists() or \
            User.objects.filter(email__iexact=username).exists():
        raise StaffActionRefused(_("Er is al een medewerker met dit e-mailadres."))
    user = User(username=username, email=username, first_name=first_name,
                last_name=last_name, is_staff=role == roles.COORDINATOR, is_active=True)
    user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    _log(by, user, _("Uitgenodigd als %(role)s.") % {"role": _role_label(role)}, ADDITION)
    transaction.on_commit(lambda: send_staff_invite.delay(user.pk))
    return user


@transaction.atomic
def deactivate_staff(whom: User, *, by) -> User:
    """Off-boarding: the account can no longer sign in and every session of it ends."""
    whom = User.objects.select_for_update().get(pk=whom.pk)
    if whom.pk == by.pk:
        raise StaffActionRefused(_("U kunt uw eigen account niet uitzetten."))
    _refuse_if_last_coordinator(whom, LAST_COORDINATOR)
    if not whom.is_active:
        return whom
    whom.is_active = False
    whom.save(update_fields=["is_active"])
    ended = end_sessions(whom)
    _log(by, whom, _("Account uitgezet. Beëindigde sessies: %(n)s.") % {"n": ended})
    return whom


@transaction.atomic
def reset_second_factor(whom: User, *, by) -> User:
    """A lost phone: remove the authenticator; the next sign-in sets up a new one. Sessions
    end too, so nobody continues with the old device's sign-in."""
    whom = User.objects.select_for_update().get(pk=whom.pk)
    removed, _rows = TOTPDevice.objects.filter(user=whom).delete()
    ended = end_sessions(whom)
    _log(by, whom, _("Tweestapsverificatie opnieuw ingesteld (apps verwijderd: %(d)s, "
                     "beëindigde sessies: %(s)s).") % {"d": removed, "s": ended})
    return whom


@transaction.atomic
def change_role(whom: User, role: str, *, by) -> User:
    """Consulent ↔ coordinator; the last coordinator who can sign in stays coordinator, and
    nobody changes their own role (another coordinator does that, and sees it happen)."""
    if role not in (roles.CONSULENT, roles.COORDINATOR):
        raise ValueError(f"Unknown role {role!r}")
    whom = User.objects.select_for_update().get(pk=whom.pk)
    before = role_of(whom)
    if before == role:
        return whom
    if sso_config.enabled() and StaffIdentity.objects.filter(user=whom).exists():
        raise StaffActionRefused(_(
            "De rol van deze collega komt van de groep bij de organisatie. Vraag de "
            "organisatie om de groep te veranderen."))
    if before == roles.COORDINATOR:
        _refuse_if_last_coordinator(whom, LAST_COORDINATOR)
    if whom.pk == by.pk:
        raise StaffActionRefused(_(
            "U kunt uw eigen rol niet veranderen. Vraag een andere coördinator."))
    whom.groups.set([Group.objects.get(name=role)])
    whom.is_staff = role == roles.COORDINATOR
    whom.save(update_fields=["is_staff"])
    _log(by, whom, _("Rol veranderd van %(old)s naar %(new)s.") % {
        "old": _role_label(before) or "-", "new": _role_label(role)})
    return whom


@transaction.atomic
def set_first_password(whom: User, password: str) -> User:
    """The invited colleague chose a password through the link; that uses the link up (the
    token is derived from the password hash)."""
    whom = User.objects.select_for_update().get(pk=whom.pk)
    whom.set_password(password)
    whom.save(update_fields=["password"])
    _log(whom, whom, _("Wachtwoord gekozen via de uitnodiging."))
    return whom
