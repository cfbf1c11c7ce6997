"""The catalogues are complete: every text a caregiver can meet is translated in every
language we ship, none is a machine guess (fuzzy), every one compiles with the same
placeholders as the Dutch, and the catalogues hold every text the code has now.

A new Dutch text in a caregiver page fails here until `make messages` gathered it and it was
translated (docs/TRANSLATIONS.md)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.catalogues import LOCALE_DIR, caregiver_entries, makemessages_args, read_catalogue
from core.languages import SHIPPED

ROOT = Path(__file__).resolve().parents[2]


def describe(entries) -> str:
    return "\n".join(f"  {e.msgid[:80]!r} ({', '.join(e.references[:2])})" for e in entries[:30])


@pytest.mark.parametrize("code", SHIPPED)
def test_every_caregiver_text_is_translated(code):
    entries = caregiver_entries(read_catalogue(code))
    assert len(entries) > 1000, f"no catalogue for {code}?"
    untranslated = [e for e in entries if not e.translated]
    assert not untranslated, (
        f"{len(untranslated)} caregiver texts without a {code} translation:\n"
        + describe(untranslated))


@pytest.mark.parametrize("code", SHIPPED)
def test_no_translation_is_a_guess(code):
    fuzzy = [e for e in read_catalogue(code) if e.fuzzy]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {code}:\n" + describe(fuzzy)


@pytest.mark.parametrize("code", SHIPPED)
def test_every_catalogue_compiles_with_the_dutch_placeholders(code, tmp_path):
    po = LOCALE_DIR / code / "LC_MESSAGES" / "django.po"
    checked = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)],
                             capture_output=True, text=True)
    assert checked.returncode == 0 and not checked.stderr, checked.stderr


def test_the_catalogues_hold_every_text_of_the_code(tmp_path):
    """Gather the texts again, from a copy of the code, and compare: a text marked for
    translation but never gathered would show in Dutch on an English page."""
    copy = tmp_path / "code"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    if not any(tracked):  # not a git checkout (a release archive): every file
        tracked = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()]
    for name in tracked:
        source = ROOT / name
        if source.suffix in {".py", ".html", ".txt", ".json"} and source.is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    (copy / "locale").mkdir(exist_ok=True)
    subprocess.run([sys.executable, "manage.py", *makemessages_args(["en"])], cwd=copy,
                   check=True, capture_output=True)
    fresh = caregiver_entries(read_catalogue("en", copy / "locale"))
    for code in SHIPPED:
        known = {(e.msgctxt, e.msgid) for e in read_catalogue(code)}
        missing = [e for e in fresh if (e.msgctxt, e.msgid) not in known]
        assert not missing, (
            f"{len(missing)} texts of the code are not in the {code} catalogue; run "
            f"`make messages` and translate them:\n" + describe(missing))
