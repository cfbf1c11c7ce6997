"""Start-up checks of the look: the theme file reads, and the NL Design System CSS is there."""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from core.theme import current_theme

NLDS_FILES = ["utrecht-design-tokens.css", "utrecht-components.css", "utrecht-html.css"]


@checks.register()
def theme_and_nlds_css(app_configs, **kwargs):
    problems = []
    try:
        current_theme()
    except ImproperlyConfigured as error:
        problems.append(checks.Error(str(error), hint="See docs/THEME.md.", id="mantelzorg.E101"))
    missing = [name for name in NLDS_FILES
               if not (Path(settings.BASE_DIR) / "static" / "nlds" / name).exists()]
    if missing:
        problems.append(checks.Warning(
            f"NL Design System CSS missing in static/nlds/: {', '.join(missing)}.",
            hint="Run scripts/bootstrap.sh (npm ci in tools/frontend).", id="mantelzorg.W101"))
    return problems
