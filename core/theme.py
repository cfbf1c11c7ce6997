"""The municipality's theme: one JSON file with the NL Design System tokens (colours, font)
and the logo text, so another municipality replaces one file, not templates or CSS.

The tokens become CSS custom properties in the static file `nlds/theme.css`, made from the
JSON by `ThemeFinder` (a static-files finder, so runserver, the tests' live server and
collectstatic all serve it as an ordinary file: no inline style, the CSP stays strict).
E-mails cannot use custom properties; they take resolved values from `theme_value`.
"""

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

THEME_CSS = "nlds/theme.css"
# The class on <html> that the generated rules hang on (after Utrecht's `utrecht-theme`).
THEME_CLASS = "mantelzorg-theme"
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_UNSAFE = re.compile(r"[;{}<>\\]|/\*|\*/")
_VAR = re.compile(r"var\(--([a-z0-9-]+)\)")


@dataclass(frozen=True)
class Theme:
    name: str
    logo_text: str
    tokens: dict[str, str]

    def css(self) -> str:
        lines = [f"/* The {self.name} theme, made from {Path(theme_path()).name} by "
                 "core/theme.py: change the JSON file, not this one. */",
                 f".{THEME_CLASS} {{"]
        lines += [f"  --{key}: {value};" for key, value in self.tokens.items()]
        lines.append("}")
        return "\n".join(lines) + "\n"

    def value(self, token: str, _depth: int = 0) -> str:
        """A token with var(--…) references to other tokens of this theme filled in."""
        if _depth > 10:
            raise ImproperlyConfigured(f"Theme token {token!r} refers to itself.")
        raw = self.tokens[token]
        return _VAR.sub(lambda m: self.value(m.group(1), _depth + 1), raw)


def theme_path() -> Path:
    """MANTELZORG_THEME: a theme's name in themes/ (default `harderwijk`) or a file's path."""
    chosen = settings.MANTELZORG_THEME
    if chosen.endswith(".json"):
        return Path(chosen)
    return Path(settings.BASE_DIR) / "themes" / f"{chosen}.json"


def parse_theme(text: str) -> Theme:
    """Read and check a theme; a mistake stops the site at start with the reason."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"The theme is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise ImproperlyConfigured("The theme must be a JSON object.")
    name, logo_text, tokens = data.get("name"), data.get("logo_text"), data.get("tokens")
    if not isinstance(name, str) or not isinstance(logo_text, str) or not logo_text.strip():
        raise ImproperlyConfigured("The theme needs a `name` and a `logo_text`.")
    if not isinstance(tokens, dict) or not tokens:
        raise ImproperlyConfigured("The theme needs `tokens`: CSS custom properties.")
    for key, value in tokens.items():
        if not _NAME.match(key):
            raise ImproperlyConfigured(f"Theme token {key!r}: only a-z, 0-9 and hyphens.")
        if not isinstance(value, str) or not value.strip() or _UNSAFE.search(value):
            raise ImproperlyConfigured(f"Theme token {key!r} has a value CSS cannot take.")
    return Theme(name=name, logo_text=logo_text.strip(), tokens=dict(tokens))


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Theme:
    return parse_theme(Path(path).read_text(encoding="utf-8"))


def current_theme() -> Theme:
    """The configured theme, read again only when its file changed."""
    path = theme_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise ImproperlyConfigured(f"The theme file {path} does not exist.") from None
    return _load(str(path), mtime)


def theme_value(token: str) -> str:
    return current_theme().value(token)


class ThemeFinder(BaseFinder):
    """Finds `nlds/theme.css`, written from the theme's JSON into the var dir whenever the
    JSON is newer than the CSS."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.root = Path(settings.VAR_DIR) / "theme"
        self.storage = FileSystemStorage(location=str(self.root))

    def _write(self) -> Path:
        target = self.root / THEME_CSS
        css = current_theme().css()
        if not target.exists() or target.read_text(encoding="utf-8") != css:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(css, encoding="utf-8")
        return target

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != THEME_CSS:
            return []  # as Django's own finders: [] also when find_all is False (None is
            # taken for a match by finders.find, and a missing file then gives a 500)
        target = str(self._write())
        return [target] if find_all else target

    def list(self, ignore_patterns):
        self._write()
        yield THEME_CSS, self.storage
