"""Values every template needs: the site's name and theme, demo mode, the Servicepunt's
contact details, the staff member's roles and which back-office menu item the page
belongs to."""

from django.conf import settings
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from core import languages, roles
from core.middleware_language import DUTCH_ONLY_PREFIXES
from core.theme import THEME_CLASS, current_theme
from worker import contact


def _servicepunt():
    """Read when a template uses it. Should the database be what fails, the page still
    shows how to reach the Servicepunt (the environment's values)."""
    try:
        return contact.current()
    except DatabaseError:
        return contact.from_environment()


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        # The municipality's theme (core/theme.py): its logo text and the class its tokens use.
        "THEME_LOGO_TEXT": current_theme().logo_text,
        "THEME_CLASS": THEME_CLASS,
        "DEMO_MODE": settings.DEMO_MODE,
        "servicepunt": SimpleLazyObject(_servicepunt),
        # "Inloggen met DigiD" buttons (templates/includes/digid_button.html)
        "DIGID_ENABLED": bool(settings.DIGID["issuer"] and settings.DIGID["client_id"]),
        "DIGID_DEMO": settings.DIGID["demo"],
        "is_coordinator": bool(user and roles.is_coordinator(user)),
        "backoffice_section": backoffice_section(getattr(request, "resolver_match", None)),
        # The language choice (templates/includes/language_choice.html): public pages only,
        # the back office is always Dutch.
        "LANGUAGE_CHOICES": languages.CHOICES,
        "LANGUAGE_CHOICE_SHOWN": not request.path.startswith(DUTCH_ONLY_PREFIXES),
    }


# (URL namespace, URL name prefix) -> back-office menu item; the first match wins.
SECTIONS = [
    ("mantelzorg", "dashboard", "dashboard"),
    ("mantelzorg", "staff_member", "staff"),
    ("registrations", "caregiver_intake", "intake"),
    ("registrations", "caregiver_", "caregivers"),
    ("registrations", "postcodes", "postcodes"),
    ("registrations", "import_", "imports"),
    ("insight", "followup_", "followup"),
    ("insight", "self_check", ""),
    ("insight", "", "insight"),
    ("appreciation", "review_", "waardering"),
    ("appreciation", "paper_entry", "waardering"),
    ("appreciation", "payout_", "payouts"),
    ("appreciation", "campaign_", "campaigns"),
    ("worker", "newsletter", "newsletters"),
    ("worker", "print_batch", "print_batches"),
    ("worker", "system", "system"),
    ("worker", "send_test_ping", "system"),
    ("worker", "outbox", "outbox"),
    ("worker", "contact_settings", "contact"),
]


def backoffice_section(match) -> str:
    """The menu item to mark as the current page (aria-current), from the URL's name."""
    if match is None:
        return ""
    for namespace, prefix, section in SECTIONS:
        if match.namespace == namespace and match.url_name.startswith(prefix):
            return section
    return ""
