"""The municipality's theme file (core/theme.py): what it makes, and what it refuses.

A theme is one JSON file another municipality writes: a mistake in it must stop the site at
start with the reason, and no value may break out of the CSS rule it is written into."""

import json
import os

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from core.theme import THEME_CSS, current_theme, parse_theme

ERMELO = {"name": "Ermelo", "logo_text": "Mantelzorg Ermelo",
          "tokens": {"mantelzorg-color-primary": "#6b2c91",
                     "mantelzorg-color-ink": "#111111",
                     "mantelzorg-color-paper": "#ffffff",
                     "mantelzorg-color-line": "#777777",
                     "mantelzorg-font-family": "\"Fira Sans\", sans-serif",
                     "utrecht-link-color": "var(--mantelzorg-color-primary)"}}


@pytest.fixture
def ermelo(tmp_path, settings):
    path = tmp_path / "ermelo.json"
    path.write_text(json.dumps(ERMELO), encoding="utf-8")
    settings.MANTELZORG_THEME = str(path)
    return path


def test_harderwijk_is_the_default_theme():
    theme = current_theme()
    assert theme.name == "Harderwijk"
    assert theme.logo_text == "Servicepunt Mantelzorg Harderwijk & Hierden"
    assert theme.value("utrecht-button-background-color") == "#005a70"


def test_another_municipality_replaces_one_file(ermelo, client, db):
    css = open(finders.find(THEME_CSS), encoding="utf-8").read()
    assert "--mantelzorg-color-primary: #6b2c91;" in css
    assert "#005a70" not in css
    assert "Mantelzorg Ermelo" in client.get("/").content.decode()


def test_a_changed_theme_file_is_read_again(ermelo):
    assert current_theme().logo_text == "Mantelzorg Ermelo"
    ermelo.write_text(json.dumps({**ERMELO, "logo_text": "Servicepunt Ermelo"}),
                      encoding="utf-8")
    os.utime(ermelo, (1, 1))  # a different modification time, as an edit gives
    assert current_theme().logo_text == "Servicepunt Ermelo"


@pytest.mark.django_db  # the e-mail's foot carries the Servicepunt's contact details
def test_e_mails_take_the_theme_resolved(ermelo):
    html = render_to_string("worker/emails/letter.html",
                            {"subject": "Uw aanvraag", "body": "Hallo"})
    assert "color: #6b2c91" in html and "var(" not in html
    assert "font-family: &quot;Fira Sans&quot;, sans-serif" in html


@pytest.mark.parametrize("broken, reason", [
    ("{", "not valid JSON"),
    ("[]", "JSON object"),
    (json.dumps({**ERMELO, "logo_text": "  "}), "logo_text"),
    (json.dumps({**ERMELO, "tokens": {}}), "tokens"),
    (json.dumps({**ERMELO, "tokens": {"Kleur": "red"}}), "Kleur"),
    (json.dumps({**ERMELO, "tokens": {"a": "red; } body { display: none"}}), "'a'"),
    (json.dumps({**ERMELO, "tokens": {"a": "red</style><script>"}}), "'a'"),
    (json.dumps({**ERMELO, "tokens": {"a": 12}}), "'a'"),
])
def test_a_broken_theme_is_refused_with_the_reason(broken, reason):
    with pytest.raises(ImproperlyConfigured, match=reason):
        parse_theme(broken)


def test_a_broken_theme_file_fails_the_start_up_check(tmp_path, settings):
    path = tmp_path / "kapot.json"
    path.write_text('{"name": "Kapot"}', encoding="utf-8")
    settings.MANTELZORG_THEME = str(path)
    with pytest.raises(Exception, match="mantelzorg.E101"):
        call_command("check")


@given(st.text(max_size=40))
def test_no_value_breaks_out_of_its_css_rule(value):
    """Hostile values: a value is refused, or it stays inside its one declaration."""
    try:
        theme = parse_theme(json.dumps({**ERMELO, "tokens": {"x": value}}))
    except ImproperlyConfigured:
        return
    css = theme.css()
    assert css.count("{") == 1 and css.count("}") == 1
    assert css.count(";") == 1 and "<" not in css
