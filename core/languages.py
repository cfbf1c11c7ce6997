"""The languages the caregivers' pages speak. Dutch is the source and the legal version; the
others are translations of it (locale/<code>/LC_MESSAGES/django.po).

Why a list of our own beside settings.LANGUAGES: the back office, the admin and the letters
are Dutch only, and the catalogues' completeness test needs to know which languages we ship.
"""

SOURCE = "nl"

# code, the language's own name (shown in the language choice, in that language)
CHOICES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("tr", "Türkçe"),
    ("pl", "Polski"),
    ("ar", "العربية"),
]

SHIPPED = [code for code, _name in CHOICES if code != SOURCE]

RIGHT_TO_LEFT = {"ar"}


def known(code: str | None) -> str:
    """A language code we ship, or Dutch: an unknown or tampered choice never fails a page."""
    code = (code or "").strip().lower()
    return code if code in dict(CHOICES) else SOURCE
