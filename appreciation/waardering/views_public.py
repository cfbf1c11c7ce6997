"""Requesting the waardering online at /waardering, one question per screen.

Two routes, each its own URL (so the route cannot be tampered with): /waardering/zelf for
the caregiver, /waardering/namens for someone asking on their behalf. A caregiver signed in
to Mijn gegevens (by link or DigiD) skips their details and needs no confirmation: the
session says who they are, never the form. With DigiD Machtigen the request records the
representative's pseudonym.
Outside the application window every page shows when it opens again, and no step works.
The views only parse and render; `submission.submit_request` decides and stores.
"""

import uuid

from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from formtools.wizard.views import NamedUrlSessionWizardView

from core import clock, ratelimit
from core.formats import euros
from core.wizards import PublicWizardPrivacyMixin
from registrations.burden import CheckContext, record_and_remember
from registrations.forms_burden import BurdenCheckForm, count_unposted_step_as_skipped
from registrations.forms_public import GuardianForm
from registrations.models import RegistrationRules, Relationship
from registrations.selfservice_session import current_caregiver, representative

from ..models import AgeGroup, PayoutForm, Route
from .forms_public import (
    CareForm,
    CaregiverDetailsForm,
    ConsentForm,
    NewsletterForm,
    PaymentForm,
    RequesterForm,
    age_group_for,
    format_iban,
    format_postcode,
    payout_needs_bank,
)
from .submission import (
    RequestData,
    RequestRefused,
    next_opening,
    open_year,
    report_duplicate,
    submit_request,
)

STEPS = [
    ("aanvrager", RequesterForm),
    ("mantelzorger", CaregiverDetailsForm),
    ("ouder", GuardianForm),
    ("zorg", CareForm),
    ("betaling", PaymentForm),
    ("nieuwsbrief", NewsletterForm),
    ("belasting", BurdenCheckForm),
    ("controleren", ConsentForm),
]
STEP_TITLES = {
    "aanvrager": gettext_lazy("Wie vraagt de waardering aan?"),
    "mantelzorger": gettext_lazy("Over de mantelzorger"),
    "ouder": gettext_lazy("Toestemming van een ouder of voogd"),
    "zorg": gettext_lazy("Over de zorg"),
    "betaling": gettext_lazy("Op welke rekening?"),
    "nieuwsbrief": gettext_lazy("De nieuwsbrief"),
    "belasting": gettext_lazy("Hoe zwaar is de zorg?"),
    "controleren": gettext_lazy("Controleren en versturen"),
}
SENT_SESSION_KEY = "waardering_sent"


def closed_page(request):
    """The window is shut: say when it opens again (a normal page, status 200)."""
    return render(request, "appreciation/waardering/public/closed.html",
                  {"next_opening": next_opening()})


def year_facts(year) -> dict:
    """What the start page and the steps tell about this year's rules."""
    return {
        "year": year,
        "amount_adult": euros(year.amount_adult_cents),
        "amount_young": euros(year.amount_young_cents),
        "adult_gets_money": year.payout_adult == PayoutForm.BANK,
        "young_gets_money": year.payout_young == PayoutForm.BANK,
        "young_max_age": RegistrationRules.current().young_max_age,
        "young_min_hours": year.min_hours_for(AgeGroup.YOUNG),
        "young_min_months": year.min_months_for(AgeGroup.YOUNG),
        "young_criteria_differ": (year.min_hours_for(AgeGroup.YOUNG), year.min_months_for(
            AgeGroup.YOUNG)) != (year.min_hours_per_week, year.min_months_of_care),
    }


@never_cache
def start(request):
    year = open_year()
    if year is None:
        return closed_page(request)
    signed_in, _expired = current_caregiver(request)
    return render(request, "appreciation/waardering/public/start.html",
                  {**year_facts(year), "signed_in": signed_in})


# --- which steps a request needs -----------------------------------------------------------
def _signed_in_self(wizard) -> bool:
    return wizard.route == Route.SELF and wizard.signed_in is not None


def _on_behalf(wizard) -> bool:
    return wizard.route == Route.ON_BEHALF


def _asks_details(wizard) -> bool:
    return not _signed_in_self(wizard)


def _needs_guardian(wizard) -> bool:
    """A caregiver under 16 we may have to register needs a parent or guardian's consent."""
    if not _asks_details(wizard):
        return False
    born = wizard.caregiver_birth_date()
    rules = RegistrationRules.current()
    return bool(born) and clock.age_on(born, clock.today()) < rules.guardian_consent_below_age


def _asks_newsletter(wizard) -> bool:
    """Only someone asking for themselves decides about their own newsletter."""
    return wizard.route == Route.SELF and wizard.signed_in is None


def _asks_burden(wizard) -> bool:
    """The optional self-check is about how the caregiver feels: only they can answer it,
    so it is not asked of someone requesting on their behalf."""
    return wizard.route == Route.SELF


def _needs_bank(wizard) -> bool:
    return payout_needs_bank(wizard.year, wizard.caregiver_birth_date())


# On dispatch, so that posts the privacy mixin answers itself (core/wizards.py) count too.
@method_decorator(ratelimit.limit(
    "form", identity=("mantelzorger-postcode", "mantelzorger-house_number")), name="dispatch")
class AppreciationWizard(PublicWizardPrivacyMixin, NamedUrlSessionWizardView):
    """(who asks) → caregiver → care → (account) → (newsletter) → check and send."""

    form_list = STEPS
    condition_dict = {"aanvrager": _on_behalf, "mantelzorger": _asks_details,
                      "ouder": _needs_guardian,
                      "betaling": _needs_bank, "nieuwsbrief": _asks_newsletter,
                      "belasting": _asks_burden}
    route = Route.SELF
    extra_session_keys = (SENT_SESSION_KEY,)

    def dispatch(self, request, *args, **kwargs):
        self.year = open_year()
        if self.year is None:
            return closed_page(request)
        self.signed_in = current_caregiver(request)[0] if self.route == Route.SELF else None
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs):
        return f"waardering_{self.route}"

    def get_template_names(self):
        return [f"appreciation/waardering/public/{self.steps.current}.html"]

    def get_form_kwargs(self, step=None):
        if step == "belasting":
            return {"young": age_group_for(self.caregiver_birth_date()) == AgeGroup.YOUNG}
        if step == "ouder":  # the consent mail may not go to the child's own address
            return {"child_email": self.cleaned("mantelzorger").get("email", "")}
        if step == "zorg":  # young caregivers may have criteria of their own
            return {"year": self.year, "age_group": age_group_for(self.caregiver_birth_date())}
        return {}

    def cleaned(self, step) -> dict:
        """A step's cleaned data; empty when the step is not part of this request."""
        if step not in self.get_form_list():
            return {}
        return self.stored_step_data(step)

    def caregiver_birth_date(self):
        if _signed_in_self(self):
            return self.signed_in.date_of_birth
        return self.cleaned("mantelzorger").get("date_of_birth")

    def _new_run(self):
        self.storage.reset()
        self.storage.current_step = self.steps.first
        self.storage.extra_data = {"submission_key": str(uuid.uuid4())}

    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step is None:  # the start button: always a fresh form with a new key
            self._new_run()
            return redirect(self.get_step_url(self.steps.first))
        if not self.storage.extra_data.get("submission_key"):
            self._new_run()
        if step != self.done_step_name and step not in self.get_form_list():
            self.storage.current_step = self.steps.first
            return redirect(self.get_step_url(self.steps.first))
        return super().get(request, *args, **kwargs)

    def post(self, *args, **kwargs):
        """A step name that is not part of this request (typed, tampered, or no longer
        needed) goes back to the first step instead of failing."""
        wanted = (self.request.POST.get("wizard_goto_step")
                  or self.request.POST.get(f"{self.prefix}-current_step"))
        fresh = not self.storage.extra_data.get("submission_key")
        if fresh or wanted not in self.get_form_list():
            if fresh:
                self._new_run()
            self.storage.current_step = self.steps.first
            return redirect(self.get_step_url(self.steps.first))
        return super().post(*args, **kwargs)

    def render(self, form=None, **kwargs):
        """Show a refusal from the service next to the field it is about, once."""
        refusal = self.storage.extra_data.get("refusal")
        if refusal and refusal["step"] == self.steps.current and form is not None \
                and form.is_bound:
            form.is_valid()
            form.add_error(refusal["field"], refusal["message"])
            self.storage.extra_data = {k: v for k, v in self.storage.extra_data.items()
                                       if k != "refusal"}
        return super().render(form, **kwargs)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(year_facts(self.year))
        group = age_group_for(self.caregiver_birth_date())
        context.update(min_hours=self.year.min_hours_for(group),
                       min_months=self.year.min_months_for(group))
        context.update(step_title=STEP_TITLES[self.steps.current], route=self.route,
                       on_behalf=self.route == Route.ON_BEHALF, signed_in=self.signed_in,
                       amount=self._amount(), gets_money=_needs_bank(self))
        if self.steps.current == "controleren":
            context["summary"] = self._summary()
        return context

    def _amount(self) -> str:
        group = age_group_for(self.caregiver_birth_date())
        return euros(self.year.amount_for(group))

    def _summary(self) -> dict:
        care, payment = self.cleaned("zorg"), self.cleaned("betaling")
        return {
            "requester": self.cleaned("aanvrager") or None,
            "caregiver": self.cleaned("mantelzorger"),
            "guardian": self.cleaned("ouder") or None,
            "care": care,
            "recipient_postcode": format_postcode(care.get("recipient_postcode", "")),
            "relationship": dict(Relationship.choices).get(care.get("relationship")),
            "iban": format_iban(payment.get("iban", "")),
            "account_holder": payment.get("account_holder", ""),
            "newsletter": self.cleaned("nieuwsbrief").get("wants_newsletter")
            if _asks_newsletter(self) else None,
        }

    def render_done(self, form, **kwargs):
        count_unposted_step_as_skipped(self)
        try:
            return super().render_done(form, **kwargs)
        except RequestRefused as refused:
            return self._refused(refused)

    def done(self, form_list, form_dict, **kwargs):
        data = RequestData(recipient=dict(form_dict["zorg"].cleaned_data))
        if "mantelzorger" in form_dict:
            newsletter = form_dict.get("nieuwsbrief")
            data.caregiver = {**form_dict["mantelzorger"].cleaned_data, "wants_newsletter":
                              bool(newsletter and newsletter.cleaned_data["wants_newsletter"])}
            if "ouder" in form_dict:
                data.caregiver["guardian"] = form_dict["ouder"].cleaned_data
        if "betaling" in form_dict:
            data.iban = form_dict["betaling"].cleaned_data["iban"]
            data.account_holder = form_dict["betaling"].cleaned_data["account_holder"]
        if "aanvrager" in form_dict:
            data.requester = form_dict["aanvrager"].requester()
        if _signed_in_self(self):  # DigiD Machtigen: who acts for the caregiver
            data.mandate_representative = representative(self.request)
        refused_as_duplicate = False
        try:
            request = submit_request(
                data, route=self.route,
                caregiver=self.signed_in if _signed_in_self(self) else None,
                submission_key=uuid.UUID(self.storage.extra_data["submission_key"]))
        except RequestRefused as refused:
            if refused.code != "duplicate" or _signed_in_self(self) or refused.existing is None:
                raise
            # Not signed in: answer as if it were new (the page must not tell a stranger
            # who is registered or has asked); the caregiver hears it by e-mail or letter.
            report_duplicate(refused.existing)
            request, refused_as_duplicate = refused.existing, True
        self.request.session[SENT_SESSION_KEY] = self._sent_summary(request)
        burden = form_dict.get("belasting")  # answers None: the self-check was skipped
        if burden is not None and burden.answers is not None:
            # Stored only about the person who filled it in: the signed-in caregiver, or one
            # this very request registered. Typed details that matched someone on file prove
            # nothing, so their answers are shown (the page stays the same) but not kept.
            own = _signed_in_self(self) or (request.caregiver_was_unknown
                                            and not refused_as_duplicate)
            return redirect(record_and_remember(
                self.request, request.caregiver if own else None, burden.answers,
                CheckContext.WAARDERING, young=request.age_group == AgeGroup.YOUNG))
        return redirect("appreciation:waardering_sent")

    def _sent_summary(self, request) -> dict:
        """What the page after sending shows. Signed in, the caregiver sees their own
        request; otherwise everyone sees the same words whoever's details were typed (new,
        known, ended or already asked), and the real outcome goes to the caregiver's own
        e-mail or address."""
        if not _signed_in_self(self):
            return {"neutral": True, "on_behalf": self.route == Route.ON_BEHALF}
        return {
            "reference": request.reference,
            "amount": euros(request.amount_cents),
            "bank": request.payout_form == PayoutForm.BANK,
            "young": request.age_group == AgeGroup.YOUNG,
            "on_behalf": False,
            "registered": request.caregiver_was_unknown,
            "signed_in": True,
        }

    def _refused(self, refused: RequestRefused):
        """Closed or already requested: a page, the form forgotten. Else back to the step
        with the field the refusal is about, the message next to it."""
        if refused.code == "closed":
            self.storage.reset()
            return closed_page(self.request)
        step = next((name for name, form_class in self.get_form_list().items()
                     if refused.field and refused.field in form_class.base_fields), None)
        if refused.code == "duplicate" or step is None:
            self.storage.reset()
            return render(self.request, "appreciation/waardering/public/refused.html", {
                "message": refused.message, "duplicate": refused.code == "duplicate",
                "signed_in": self.signed_in})
        self.storage.extra_data = {**self.storage.extra_data, "refusal": {
            "step": step, "field": refused.field, "message": refused.message}}
        self.storage.current_step = step
        return redirect(self.get_step_url(step))


@never_cache
def sent(request):
    done = request.session.get(SENT_SESSION_KEY)
    if not done:
        return redirect("appreciation:waardering_start")
    return render(request, "appreciation/waardering/public/sent.html", {"sent": done})

