"""Every text a caregiver can meet in a template goes through the translation machinery.

Dutch is the source language: a caregiver who chose English, Turkish, Polish or Arabic gets
the catalogue's translation of each `{% translate %}` and `{% blocktranslate %}`, and Dutch
for anything written straight into the template. This test finds the latter.

How: Django's own lexer (django.template.base.Lexer) splits each template into tokens. The
TEXT tokens outside a `{% blocktranslate %}` or `{% comment %}` are kept; every other token
becomes a placeholder. Python's HTML parser then reads what is left: text between the tags
with a letter in it (tags, entities, whitespace and <script>/<style> stripped) is a finding,
and so is a letter in an attribute a person reads or hears (aria-label, alt, title,
placeholder, a button's value). Plain-text templates (the e-mails) are read without the HTML
parser: every letter in their loose text counts. A `|yesno:"Ja,Nee"` is a finding too: words
in a filter's argument reach the page as they are, unless written as `_("…")`.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Templates no caregiver meets, by a part of their path. Those pages and documents are always
# Dutch (core/middleware_language.py keeps the back office Dutch; letters are the legal
# version), so their text stays outside the catalogues.
EXCLUDED = {
    "/backoffice/": "back-office pages: staff only, always Dutch",
    "/base_backoffice.html": "the back office's layout",
    "/letters/": "letters (decisions, codes, the printed newsletter): the legal Dutch version",
    "/payouts/": "payment batches and voucher lists: coordinators only",
    "/imports/": "importing a list of caregivers: back office",
    "/appreciation/waardering/intake/": "paper requests typed in by staff (base_backoffice)",
    "/insight/dashboard/": "annual figures and charts: staff only",
    "/insight/reports/": "the annual report: staff only",
    "/mantelzorg/staff/": "staff sign-in, two-factor set-up, SSO: staff only",
    "/mantelzorg/emails/": "the invitation of a new staff member",
    "/worker/emails/failed_digest.txt": "the daily list of failed mail, to staff",
    "/appreciation/campaigns/emails/voorraad_op.txt": "'the codes are out', to staff",
}

# Text with letters that is not a text to translate: (template, finding) -> why it stays.
ALLOWED = {
    ("worker/emails/letter.html", "20px"):
        "a CSS size (the heading_size block fills a style attribute in worker/emails/base.html)",
    ("insight/selfservice/result.html", "mantelzorg.nl"):
        "a web address as the link's text: the same in every language",
    ("appreciation/campaigns/emails/campagne_uitnodiging_email.txt", "/mijn-gegevens/"):
        "the path of a web address, after {{ site_url }}: the same in every language",
    ("includes/language_choice.html", 'aria-label="… / Language"'):
        "'Language' in English on every page, beside the translated word, so that someone "
        "who reads no Dutch finds the language choice: not a text to translate",
}

CHECKED_ATTRIBUTES = {"aria-label", "aria-description", "alt", "title", "placeholder"}
BUTTON_INPUTS = {"submit", "button", "reset"}
# A private-use character stands for each tag, variable and translated text: it never occurs
# in a template, and HTML's parser takes it inside a tag or an attribute like any character.
PLACEHOLDER = "\ue000"
LETTER = re.compile(r"[^\W\d_]")
# A filter argument in words, e.g. |yesno:"Ja,Nee"; |yesno:_("Ja,Nee") is translated.
WORDS_ARGUMENT = re.compile(r"\|\s*yesno\s*:\s*([\"'])(.*?)\1")


def caregiver_templates() -> list[Path]:
    paths = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in {".html", ".txt"} or not path.is_file():
            continue
        name = "/" + path.relative_to(TEMPLATES).as_posix()
        if not any(part in name for part in EXCLUDED):
            paths.append(path)
    return paths


def _closing_tag(token, inside: str | None) -> str | None:
    """The end tag of the untranslated-text-free block we are in after this BLOCK token."""
    word = token.contents.split()[0] if token.contents.split() else ""
    if inside is None and word in {"blocktranslate", "blocktrans"}:
        return "end" + word
    if inside is None and word == "comment":
        return "endcomment"
    if inside is not None and word == inside:
        return None
    return inside


def loose_text(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The template with only the text outside the translation machinery left (every tag,
    variable and comment, and the text inside a blocktranslate or comment, becomes a
    placeholder with the line breaks it had, so line numbers still match), and the words in
    filter arguments found on the way."""
    parts, arguments = [], []
    inside = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT and inside is None:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            inside = _closing_tag(token, inside)
        elif token.token_type == TokenType.VAR and inside is None:
            arguments += [(token.lineno, f'|yesno:"{match.group(2)}"')
                          for match in WORDS_ARGUMENT.finditer(token.contents)
                          if LETTER.search(match.group(2))]
        parts.append(PLACEHOLDER + "\n" * token.contents.count("\n"))
    return "".join(parts), arguments


def has_language(text: str) -> bool:
    return bool(LETTER.search(text.replace(PLACEHOLDER, " ")))


def _runs(text: str, first_line: int) -> list[tuple[int, str]]:
    """The runs of loose text between placeholders that hold a letter, with the line of
    their first letter."""
    found, line = [], first_line
    for piece in text.split(PLACEHOLDER):
        if has_language(piece):
            first_letter = LETTER.search(piece).start()
            found.append((line + piece.count("\n", 0, first_letter), " ".join(piece.split())))
        line += piece.count("\n")
    return found


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[tuple[int, str]] = []
        self.skipping = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skipping += 1
        kind = (dict(attrs).get("type") or "").lower()
        for name, value in attrs:
            read_out = name in CHECKED_ATTRIBUTES or (
                name == "value" and tag in {"input", "button"} and kind in BUTTON_INPUTS)
            if read_out and value and has_language(value):
                shown = " ".join(value.replace(PLACEHOLDER, "…").split())
                self.findings.append((self.getpos()[0], f'{name}="{shown}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in {"script", "style"}:
            self.skipping -= 1

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.findings += _runs(data, self.getpos()[0])


def findings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every text in the template outside the translation machinery."""
    text, arguments = loose_text(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":
        return _runs(text, 1) + arguments
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.findings + arguments


def untranslated(path: Path) -> list[str]:
    name = path.relative_to(TEMPLATES).as_posix()
    return [f"templates/{name}:{line}: {text}" for line, text in findings(path)
            if (name, text) not in ALLOWED]


def test_the_scan_covers_the_caregiver_templates_only():
    names = {path.relative_to(TEMPLATES).as_posix() for path in caregiver_templates()}
    assert {"base.html", "errors/404.html", "errors/500.html", "includes/field.html",
            "registrations/emails/confirm_email.txt", "worker/emails/newsletter.html",
            "appreciation/campaigns/emails/campagne_uitnodiging_email.txt",
            "registrations/selfservice/overview.html"} <= names
    assert not any(part.strip("/") in name for name in names for part in EXCLUDED)


def test_every_allowed_text_is_still_there():
    """An allow-list entry whose text is gone would let a later text through unseen."""
    found = {(path.relative_to(TEMPLATES).as_posix(), text)
             for path in caregiver_templates() for _line, text in findings(path)}
    assert set(ALLOWED) <= found


@pytest.mark.parametrize("path", caregiver_templates(),
                         ids=lambda path: path.relative_to(TEMPLATES).as_posix())
def test_no_text_outside_the_translation_machinery(path):
    found = untranslated(path)
    assert not found, ("Text a caregiver reads that no catalogue translates (use "
                       "{% translate %} or {% blocktranslate trimmed %}):\n" + "\n".join(found))


def test_a_bare_dutch_word_is_found(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<h1>{% translate "Welkom" %}</h1>\n'
        '<p class="intro">Hallo {{ name }}</p><img src="a.png" alt="Een foto">\n'
        '<details{% if open %} open{% endif %}><summary>{% translate "Meer" %}</summary>\n'
        '{% blocktranslate trimmed %}Goed{% endblocktranslate %}{% comment %}Niet'
        '{% endcomment %}{# ook niet #}<style>p { color: red }</style><script>let a;</script>'
        '<p>&euro; 5 &middot; {{ amount }} <input type="submit" value="Verstuur"></p>\n'
        '{{ ok|yesno:_("Ja,Nee") }} {{ ok|yesno:"Wel,Niet" }} {{ day|date:"j F" }}')
    assert findings(page) == [
        (2, "Hallo"), (2, 'alt="Een foto"'), (4, 'value="Verstuur"'),
        (5, '|yesno:"Wel,Niet"')]
    mail = tmp_path / "mail.txt"
    mail.write_text('{% load i18n %}{% translate "Hoi" %} {{ name }},\n\nTot ziens\n')
    assert findings(mail) == [(3, ", Tot ziens")]
