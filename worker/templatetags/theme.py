"""`{% theme "token" %}` and `{% theme_logo_text %}`: the municipality's theme in e-mails.

Mail clients drop <style> and know no CSS custom properties, so an e-mail's inline styles
take the theme's values resolved (core/theme.py), never a hard-coded colour."""

from django import template

from core.theme import current_theme

register = template.Library()


@register.simple_tag
def theme(token):
    return current_theme().value(token)


@register.simple_tag
def theme_logo_text():
    return current_theme().logo_text
