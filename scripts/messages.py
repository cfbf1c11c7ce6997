"""The translation catalogues: gather the Dutch source strings, and report what is missing.

    python scripts/messages.py make      # makemessages for every shipped language
    python scripts/messages.py status    # per language: entries still to translate

Dutch is the source language and the legal version: the catalogues translate *from* Dutch.
Texts only staff read (the back office, letters, reports) are in the catalogues too, but a
shipped language need not translate them: staff work in Dutch and the back office is always
Dutch (core/languages.py). `status` and tests/core/test_translations.py count only the entries
a caregiver can meet.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.catalogues import (  # noqa: E402
    LOCALE_DIR,
    caregiver_entries,
    makemessages_args,
    read_catalogue,  # noqa: E402
)
from core.languages import SHIPPED  # noqa: E402


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def make() -> None:
    LOCALE_DIR.mkdir(exist_ok=True)
    manage(*makemessages_args(SHIPPED))


def status() -> int:
    missing_anywhere = 0
    for code in SHIPPED:
        entries = caregiver_entries(read_catalogue(code))
        todo = [e for e in entries if not e.translated or e.fuzzy]
        missing_anywhere += len(todo)
        print(f"{code}: {len(entries) - len(todo)} of {len(entries)} caregiver texts translated"
              f"{'' if not todo else f', {len(todo)} to do'}")
    return 1 if missing_anywhere else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "status"
    if command == "make":
        make()
    else:
        sys.exit(status())
