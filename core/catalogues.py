"""Reading the translation catalogues, for the completeness test and scripts/messages.py.

Which texts must a shipped language translate? Every text a caregiver can meet. A text used
only in the back office, the admin, the reports or the letters (which stay Dutch, the legal
version) may stay untranslated: those pages are always Dutch.
"""

from dataclasses import dataclass
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# Where a text is used, by the path in its "#:" reference. A text used in any other file is
# one a caregiver can meet.
STAFF_ONLY_PATHS = (
    "/backoffice/", "backoffice.py", "base_backoffice", "forms_contact", "views_contact",
    "forms_newsletters", "views_newsletters", "forms_backoffice", "views_backoffice", "/admin",
    "admin.py", "admin_site.py", "/staff/", "_staff", "staff_", "/letters/", "/payouts/",
    "payouts.py", "/imports/", "/reports/", "/dashboard/", "insight/reports",
    "insight/charts", "insight/selectors", "insight/views_dashboard",
)


# What `manage.py makemessages` reads: the apps and templates, not the tests, benchmarks,
# scripts, docs, tools or copies (mutants/, staticfiles/, var/). Shared by
# scripts/messages.py and the test that the catalogues are up to date.
IGNORED = [".venv/*", "node_modules/*", "tools/*", "mutants/*", "tests/*", "benchmarks/*",
           "staticfiles/*", "var/*", "static/*", "docs/*", "scripts/*"]


def makemessages_args(codes: list[str]) -> list[str]:
    """--no-obsolete: a text removed from the code leaves the catalogue, not a #~ line that
    would be mistaken for a translation still in use."""
    ignore = [arg for pattern in IGNORED for arg in ("--ignore", pattern)]
    languages = [arg for code in codes for arg in ("-l", code)]
    return ["makemessages", *languages, "--no-obsolete", "--extension", "html,txt,py", *ignore]


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None
    references: list[str]
    translated: bool
    fuzzy: bool


def read_catalogue(code: str, locale_dir: Path = LOCALE_DIR) -> list[Entry]:
    path = locale_dir / code / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return []
    return [
        Entry(
            msgid=item.msgid,
            msgctxt=item.msgctxt,
            references=[file for file, _line in item.occurrences],
            translated=item.translated(),
            fuzzy="fuzzy" in item.flags,
        )
        for item in polib.pofile(str(path))
        if not item.obsolete
    ]


def staff_only(entry: Entry) -> bool:
    return bool(entry.references) and all(
        any(part in ref for part in STAFF_ONLY_PATHS) for ref in entry.references)


def caregiver_entries(entries: list[Entry]) -> list[Entry]:
    return [entry for entry in entries if not staff_only(entry)]
