"""Keeping what a person typed when they change the page's language.

The language choice's buttons on a form page belong to that page's form (HTML's form
attribute), so a switch posts what was typed. The middleware (core/middleware_language.py)
switches the language; a form with this mixin then counts as not valid, with no error
messages, so every view shows the same page again, filled in, in the new language, and
saves nothing.
"""

from django.forms.utils import ErrorDict

from core.middleware_language import LANGUAGE_FIELD


class KeepsInputOnLanguageSwitch:
    def switching_language(self) -> bool:
        return self.is_bound and LANGUAGE_FIELD in self.data

    def full_clean(self):
        if self.switching_language():
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.switching_language() and super().is_valid()
