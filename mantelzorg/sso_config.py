"""Which staff single sign-on applies now: the coordinator's settings in Beheer
(StaffSignInSettings) while they are switched on, else the environment's STAFF_SSO_*.

Read at each use (the login page, a sign-in, a staff management action), so a change in
Beheer counts at once in every process. The client secret always comes from the
environment.
"""

from django.conf import settings

from .models import StaffSignInSettings


def current() -> dict:
    row = StaffSignInSettings.objects.filter(use_sso=True).first()
    if row is None:
        return settings.STAFF_SSO
    return row.as_config(client_secret=settings.STAFF_SSO["client_secret"],
                         demo=settings.STAFF_SSO["demo"])


def enabled(config: dict | None = None) -> bool:
    config = current() if config is None else config
    return bool(config["issuer"] and config["client_id"])
