"""One template scheme: per app, then audience.

Every file under templates/ is either the shared layout every app extends (base.html,
base_backoffice.html, includes/, errors/) or lies in templates/<app>/<audience>/…, where <app>
is one of the project's installed apps, optionally followed by one of its sub-packages
(templates/appreciation/waardering/letters/…). Every name a template or our code gives for a
template exists, and every HTML e-mail extends the one base e-mail layout.
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

from worker.registry import _audiences, letter_types

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"

SHARED_FILES = {"base.html", "base_backoffice.html"}
SHARED_FOLDERS = {"includes", "errors"}
# Who a template is for (or, for letters and e-mails, how it reaches them).
AUDIENCES = {"public", "selfservice", "backoffice", "staff", "emails", "letters", "intake",
             "payouts", "dashboard", "reports"}
EMAIL_BASE = "worker/emails/base.html"


def project_apps() -> dict[str, Path]:
    """The installed apps that are top-level packages of this repository (not Django's or a
    library's, even when the virtualenv lies inside the repository)."""
    return {config.label: Path(config.path) for config in apps.get_app_configs()
            if Path(config.path).resolve().parent == ROOT.resolve()}


def outside_scheme(templates: Path) -> list[str]:
    """The files under `templates` that are neither shared layout nor app/[sub-package/]audience."""
    project = project_apps()
    stray = []
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        parts = path.relative_to(templates).parts
        if (len(parts) == 1 and parts[0] in SHARED_FILES) or parts[0] in SHARED_FOLDERS:
            continue
        app, rest = parts[0], parts[1:]
        if app in project and len(rest) >= 2 and (project[app] / rest[0] / "__init__.py").exists():
            rest = rest[1:]  # a sub-package of the app, e.g. appreciation/waardering
        if app in project and len(rest) >= 2 and rest[0] in AUDIENCES:
            continue
        stray.append("/".join(parts))
    return stray


def test_every_template_follows_the_scheme():
    assert outside_scheme(TEMPLATES) == []


def test_the_scheme_check_finds_a_stray_file(tmp_path):
    """The check can fail: a file at the root, one in an unknown app, one without audience,
    one in an unknown audience and one in an unknown sub-package are all found."""
    for name in ["base.html", "includes/field.html", "worker/emails/base.html",
                 "appreciation/waardering/letters/a.txt", "registrations/public/register/x.html",
                 "stray.html", "letters/email.html", "blog/public/x.html",
                 "registrations/x.html", "registrations/mijn/x.html",
                 "appreciation/nowhere/public/x.html"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert outside_scheme(tmp_path) == [
        "appreciation/nowhere/public/x.html", "blog/public/x.html", "letters/email.html",
        "registrations/mijn/x.html", "registrations/x.html", "stray.html"]


TAG = re.compile(r"""\{%\s*(?:extends|include)\s+["']([^"']+)["']""")


def _named_in_templates():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            for name in TAG.findall(path.read_text(encoding="utf-8")):
                yield f"{path.relative_to(TEMPLATES)}", name


def _named_in_code():
    """String literals in our packages that look like a template path (a/b.html, .txt, .css)."""
    for app in project_apps().values():
        for path in sorted(app.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and re.fullmatch(r"[a-z_]+/[\w./-]+\.(html|txt|css)", node.value)):
                    yield f"{path.relative_to(ROOT)}", node.value


def test_every_template_named_exists():
    named = [*_named_in_templates(), *_named_in_code()]
    assert len(named) > 100
    assert [(where, name) for where, name in named if not (TEMPLATES / name).is_file()] == []


def test_every_letter_type_and_audience_names_existing_templates():
    templates = [spec.template for spec in letter_types().values()]
    templates += [email_template for _people, email_template in _audiences.values()]
    assert templates
    missing = [f"{name}.{ext}" for name in templates for ext in ("html", "txt")
               if not (TEMPLATES / f"{name}.{ext}").is_file()]
    assert missing == []
    assert all("/letters/" in spec.template for spec in letter_types().values())


def test_every_html_email_extends_the_base_layout():
    """Mail clients drop <style>: the inline styles live once, in the base e-mail layout."""
    emails = [path for path in TEMPLATES.rglob("emails/*.html")
              if path.relative_to(TEMPLATES).as_posix() != EMAIL_BASE]
    # a letter by e-mail, the newsletter, a campaign's invitation, a colleague's invitation
    assert len(emails) == 4
    for path in emails:
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f'{{% extends "{EMAIL_BASE}" %}}'), path
        assert "style=" not in text and "<body" not in text, path
