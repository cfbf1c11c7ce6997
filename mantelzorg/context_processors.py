"""Values every template needs: the site's name, demo mode and the staff member's roles."""

from django.conf import settings

from core import roles


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "is_coordinator": bool(user and roles.is_coordinator(user)),
    }
