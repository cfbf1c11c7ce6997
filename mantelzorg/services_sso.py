"""Staff single sign-on: who comes into the back office once the organisation's provider
has vouched for them (the protocol itself is core/oidc.py).

The configuration is sso_config.current() (Beheer, or the environment). At every sign-in the
account is created or brought up to date: name and e-mail from the claims, the role from the
groups claim. A colleague whose groups map to no role gets no access (an existing account
loses its role and its sessions end); an account a coordinator switched off stays off; and
the provider must show a second factor (`acr`/`amr` as configured), because SSO users skip
the local authenticator code. Every creation and role change is written to the admin log,
like the other staff management actions.
"""

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock, oidc, roles

from . import sso_config
from .models import StaffIdentity
from .services_staff import end_sessions


class SsoRefused(Exception):
    """The provider vouched for someone we do not let in. `reason` for tests and logs:
    no_role, deactivated, no_second_factor."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def enabled() -> bool:
    return sso_config.enabled()


def provider() -> oidc.Provider:
    config = sso_config.current()
    return oidc.Provider(issuer=config["issuer"], client_id=config["client_id"],
                         client_secret=config["client_secret"], scopes=config["scopes"],
                         timeout=settings.OIDC_TIMEOUT_SECONDS)


def _as_list(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def role_for(claims: dict, config: dict) -> str:
    """coordinator, consulent, or "" when none of the person's groups is mapped."""
    groups = set(_as_list(claims.get(config["groups_claim"])))
    if groups & set(config["coordinator_groups"]):
        return roles.COORDINATOR
    if groups & set(config["consulent_groups"]):
        return roles.CONSULENT
    return ""


def has_second_factor(claims: dict, config: dict) -> bool:
    """The provider says this sign-in used a second factor, in the way configured."""
    acr_ok = bool(config["acr_values"]) and claims.get("acr") in config["acr_values"]
    amr_ok = bool(set(_as_list(claims.get("amr"))) & set(config["amr_values"]))
    return acr_ok or amr_ok


def _log(user: User, message: str, flag=CHANGE) -> None:
    LogEntry.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk),
        object_repr=user.get_full_name() or user.username, action_flag=flag,
        change_message=message)


def _new_username(claims: dict, subject: str) -> str:
    """The e-mail address when no account has it yet, else a name made from the subject."""
    email = str(claims.get("email") or "").strip().lower()[:150]
    if email and not User.objects.filter(username__iexact=email).exists():
        return email
    return f"sso-{subject}"[:150]


def sign_in(claims: dict) -> User:
    """The account for these verified claims, created or updated; SsoRefused otherwise."""
    user, refusal = _apply(claims)
    if refusal:
        raise SsoRefused(refusal)
    return user


@transaction.atomic
def _apply(claims: dict) -> tuple[User | None, str]:
    """(the account, "") or (None, why not). A refusal may still change something that must
    stay changed: a colleague the organisation took out of the groups loses the role."""
    config = sso_config.current()
    issuer, subject = config["issuer"], str(claims["sub"])
    if not has_second_factor(claims, config):
        return None, "no_second_factor"
    identity = (StaffIdentity.objects.select_for_update().select_related("user")
                .filter(issuer=issuer, subject=subject).first())
    if identity is not None and not identity.user.is_active:
        return None, "deactivated"
    role = role_for(claims, config)
    if not role:
        if identity is not None:
            _withdraw_role(identity.user)
        return None, "no_role"
    created = identity is None
    if created:
        user = User(username=_new_username(claims, subject), is_active=True)
        user.set_unusable_password()
    else:
        user = identity.user
    before = "" if created else _current_role(user)
    user.first_name = str(claims.get("given_name") or "")[:150]
    user.last_name = str(claims.get("family_name") or "")[:150]
    user.email = str(claims.get("email") or "")[:254]
    user.is_staff = role == roles.COORDINATOR
    user.last_login = clock.now()
    user.save()
    if created:
        identity = StaffIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    identity.last_sign_in = clock.now()
    identity.save(update_fields=["last_sign_in"])
    if before != role:
        user.groups.set([Group.objects.get(name=role)])
    label = dict(roles.ROLE_CHOICES)[role]
    if created:
        _log(user, _("Account gemaakt bij inloggen via de organisatie, als %(role)s.")
             % {"role": label}, ADDITION)
    elif before != role:
        _log(user, _("Rol bij inloggen via de organisatie: %(role)s.") % {"role": label})
    return user, ""


def _withdraw_role(user: User) -> None:
    """The organisation no longer puts this colleague in a group with access: no role, and
    every open session of theirs ends (not only this sign-in is refused)."""
    if not _current_role(user):
        return
    user.groups.clear()
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    ended = end_sessions(user)
    _log(user, _("Geen toegang meer volgens de organisatie (geen passende groep). "
                 "Beëindigde sessies: %(n)s.") % {"n": ended})


def _current_role(user: User) -> str:
    names = set(user.groups.values_list("name", flat=True))
    return roles.COORDINATOR if roles.COORDINATOR in names else (
        roles.CONSULENT if roles.CONSULENT in names else "")
