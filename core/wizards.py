"""Public step-by-step forms on a shared computer (issue 14, item 9).

A wizard keeps what was typed in the session until it is sent: in a library or at a
neighbour's, the next person at the computer could go back through the steps and read
someone's address or IBAN. So a public wizard

- forgets its steps after IDLE without a request: the session itself expires then (the
  hourly `clearsessions` job removes an abandoned one from the database), and a request
  after that for a later step starts afresh at the first, with a short notice;
- offers "Stoppen en gegevens wissen" on every step: a POST that forgets the steps at once
  and shows a confirmation page.

`PublicWizardPrivacyMixin` goes before formtools' `NamedUrlSessionWizardView` in the bases.
"""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import clock

IDLE = datetime.timedelta(minutes=30)
STOP_FIELD = "wizard_stop"  # the name of the stop button, in every step's template
STOPPED_TEMPLATE = "includes/wizard_stopped.html"


def _data_key(prefix: str) -> str:
    """Where formtools' SessionStorage keeps a wizard's steps."""
    return f"wizard_{prefix}"


def _touched_key(prefix: str) -> str:
    return f"wizard_{prefix}_touched_at"


def forget(session, prefix: str, extra_keys=()) -> None:
    for key in (_data_key(prefix), _touched_key(prefix), *extra_keys):
        session.pop(key, None)


def idle_too_long(session, prefix: str) -> bool:
    """Steps stored and untouched for longer than IDLE (a missing stamp counts as fresh)."""
    if _data_key(prefix) not in session:
        return False
    try:
        touched = datetime.datetime.fromisoformat(session[_touched_key(prefix)])
    except (KeyError, TypeError, ValueError):
        return False
    return clock.now() - touched > IDLE


class PublicWizardPrivacyMixin:
    """Idle steps dropped, and a stop button, for a public formtools session wizard."""

    # Session keys the wizard leaves behind for its "sent" page: the stop button clears
    # them too.
    extra_session_keys: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        prefix = self.get_prefix(request, *args, **kwargs)
        if request.method == "POST" and STOP_FIELD in request.POST:
            forget(request.session, prefix, self.extra_session_keys)
            request.session.cycle_key()
            return render(request, STOPPED_TEMPLATE, {"restart_url": self.restart_url()})
        if idle_too_long(request.session, prefix) or self._lost_steps(request, prefix,
                                                                      kwargs.get("step")):
            forget(request.session, prefix)
            messages.info(request, _(
                "U was meer dan 30 minuten niet bezig. Daarom is gewist wat u had "
                "ingevuld. Begin hieronder opnieuw."))
            return redirect(self.restart_url())
        response = super().dispatch(request, *args, **kwargs)
        if _data_key(prefix) in request.session:
            request.session[_touched_key(prefix)] = clock.now().isoformat()
            if not request.user.is_authenticated:  # a staff session keeps its own length
                request.session.set_expiry(int(IDLE.total_seconds()))
        return response

    def stored_step_data(self, step: str) -> dict:
        """A stored step's cleaned data ({} when it does not validate), validated once per
        request. formtools forgets its own cache whenever any step is stored, so conditions
        that ask for an earlier step validated it again and again (about a tenth of a
        registration step's CPU, docs/BENCHMARKS.md); only new data for that step changes
        the answer."""
        stored = self.storage.get_step_data(step)
        kept = self.__dict__.setdefault("_stored_step_data", {})
        if step not in kept or kept[step][0] != stored:
            kept[step] = (stored, self.get_cleaned_data_for_step(step) or {})
        return kept[step][1]

    def _lost_steps(self, request, prefix: str, step: str | None) -> bool:
        """A later step (or any step sent) while nothing is stored: the session ran out
        (it expires after IDLE, see above), so the steps before it are gone."""
        if _data_key(prefix) in request.session or step is None:
            return False
        return request.method == "POST" or step != next(iter(self.form_list))

    def restart_url(self) -> str:
        """The wizard's first step (a wizard whose first step is optional redirects on)."""
        return reverse(self.url_name, kwargs={"step": next(iter(self.form_list))})
