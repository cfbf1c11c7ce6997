"""Public pages: the step-by-step registration and the links we mail (confirm, consent).

Links from e-mail open a page with a button; only pressing it uses the link. Mail scanners
that open every link therefore cannot confirm anything on someone's behalf.
"""

import uuid

from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from formtools.wizard.views import NamedUrlSessionWizardView

from core import clock, ratelimit
from core.wizards import PublicWizardPrivacyMixin
from registrations.burden import CheckContext, record_and_remember
from registrations.forms_burden import BurdenCheckForm, count_unposted_step_as_skipped

from . import services, views_digid
from .forms_public import (
    AboutMeForm,
    CareRecipientForm,
    CheckForm,
    ContactForm,
    GuardianConsentForm,
    GuardianForm,
    registration_data_from,
)
from .models import CareKind, CareNeed, Channel, RegistrationRules, Relationship

STEPS = [
    ("over-mij", AboutMeForm),
    ("naaste", CareRecipientForm),
    ("contact", ContactForm),
    ("ouder", GuardianForm),
    ("belasting", BurdenCheckForm),
    ("controleren", CheckForm),
]
STEP_TITLES = {
    "over-mij": gettext_lazy("Over u"),
    "naaste": gettext_lazy("Voor wie zorgt u?"),
    "contact": gettext_lazy("Hoe houden wij contact?"),
    "ouder": gettext_lazy("Toestemming van je ouder of voogd"),
    "belasting": gettext_lazy("Hoe zwaar is de zorg?"),
    "controleren": gettext_lazy("Controleren en versturen"),
}
# After step 1 the wizard knows the age: the young path says "je" (docs/DOMAIN-DECISIONS.md).
YOUNG_STEP_TITLES = {**STEP_TITLES, "naaste": gettext_lazy("Voor wie zorg je?")}
DONE_SESSION_KEY = "registration_sent"


def _about(wizard):
    return wizard.stored_step_data("over-mij")


def _needs_guardian(wizard) -> bool:
    born = _about(wizard).get("date_of_birth")
    if not born:
        return False
    return clock.age_on(born, clock.today()) < wizard.rules.guardian_consent_below_age


def start_registration(request):
    return redirect("registrations:register_step", step="over-mij")


# On dispatch, so that posts the privacy mixin answers itself (core/wizards.py) count too.
@method_decorator(ratelimit.limit(
    "form", identity=("over-mij-postcode", "over-mij-house_number"), steps=("controleren",)),
    name="dispatch")
class RegistrationWizard(PublicWizardPrivacyMixin, NamedUrlSessionWizardView):
    """About me → the person I care for → contact → (guardian, under 16) → check and send."""

    extra_session_keys = (DONE_SESSION_KEY,)

    form_list = STEPS
    condition_dict = {"ouder": _needs_guardian}

    @cached_property
    def rules(self) -> RegistrationRules:
        """Read once per request: the steps ask for the rules many times each."""
        return RegistrationRules.current()

    def get_template_names(self):
        return [f"registrations/public/register/{self.steps.current}.html"]

    def post(self, *args, **kwargs):
        """A posted step name that is not part of this registration (tampered, or the
        guardian step of an adult) goes back to the current step instead of failing."""
        wanted = (self.request.POST.get("wizard_goto_step")
                  or self.request.POST.get(f"{self.prefix}-current_step"))
        if wanted not in self.get_form_list():
            return redirect(self.get_step_url(self.steps.current))
        return super().post(*args, **kwargs)

    def _young(self) -> bool:
        """Young by the date of birth of step 1: the steps after it say "je"."""
        born = _about(self).get("date_of_birth")
        return bool(born and clock.age_on(born, clock.today()) <= self.rules.young_max_age)

    def get_form_kwargs(self, step=None):
        about = _about(self) if step in ("naaste", "contact") else {}
        if step == "over-mij":
            return {"rules": self.rules}
        if step == "naaste":
            return {"caregiver_postcode": about.get("postcode", ""), "young": self._young()}
        if step == "contact":
            return {"email": about.get("email", ""), "young": self._young()}
        if step == "ouder":
            return {"child_email": _about(self).get("email", "")}
        if step in ("belasting", "controleren"):
            return {"young": self._young()}
        return {}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        young = self._young()
        titles = YOUNG_STEP_TITLES if young else STEP_TITLES
        context.update(step_title=titles[self.steps.current], young=young)
        if self.steps.current == "controleren":
            context["summary"] = self._summary()
        return context

    def _summary(self):
        about = _about(self)
        recipient = self.get_cleaned_data_for_step("naaste") or {}
        contact = self.get_cleaned_data_for_step("contact") or {}
        kinds = dict(CareKind.choices)
        return {
            "about": about,
            "recipient": recipient,
            "relationship": dict(Relationship.choices).get(recipient.get("relationship")),
            "care_kinds": [kinds[k] for k in recipient.get("care_kinds", [])],
            "care_need": dict(CareNeed.choices).get(recipient.get("care_need")),
            "contact": contact,
            "channel": dict(Channel.choices).get(contact.get("channel")),
            "guardian": self.get_cleaned_data_for_step("ouder") if _needs_guardian(self) else None,
        }

    def get(self, request, *args, **kwargs):
        # Each new registration gets a key; sending it twice stores it once.
        if not self.storage.extra_data.get("submission_key"):
            self.storage.extra_data = {"submission_key": str(uuid.uuid4())}
        return super().get(request, *args, **kwargs)

    def render_done(self, form, **kwargs):
        count_unposted_step_as_skipped(self)
        return super().render_done(form, **kwargs)

    def done(self, form_list, form_dict, **kwargs):
        data = registration_data_from(
            form_dict["over-mij"].cleaned_data, form_dict["naaste"].cleaned_data,
            form_dict["contact"].cleaned_data,
            form_dict["ouder"].cleaned_data if "ouder" in form_dict else None)
        key = self.storage.extra_data.get("submission_key") or str(uuid.uuid4())
        caregiver = services.register(data, submission_key=uuid.UUID(key))
        # Came here from DigiD ("not registered yet"): DigiD signs this registration in.
        digid_linked = views_digid.link_waiting_digid(self.request, caregiver)
        young = caregiver.is_young(self.rules)
        self.request.session[DONE_SESSION_KEY] = {
            "email": bool(caregiver.email),
            "guardian": hasattr(caregiver, "guardian"),
            "guardian_email": bool(getattr(getattr(caregiver, "guardian", None), "email", "")),
            "young": young,
            "first_name": caregiver.first_name,
            "digid": digid_linked,
        }
        answers = form_dict["belasting"].answers  # None: the optional self-check was skipped
        if answers is not None:
            return redirect(record_and_remember(self.request, caregiver, answers,
                                                CheckContext.REGISTRATION, young=young))
        return redirect("registrations:register_sent")


@never_cache
def registration_sent(request):
    sent = request.session.get(DONE_SESSION_KEY)
    if not sent:
        return redirect("registrations:register")
    return render(request, "registrations/public/register/sent.html", {"sent": sent})


def _link_page(request, token, *, action, template, success_template):
    """GET shows a button; POST uses the link once."""
    if request.method == "POST":
        caregiver = action(token)
        if caregiver is None:
            return render(request, "errors/link_invalid.html", status=400)
        return render(request, success_template, {"caregiver": caregiver})
    return render(request, template)


@never_cache
def confirm_email(request, token):
    return _link_page(request, token, action=services.confirm_email,
                      template="registrations/public/confirm_email.html",
                      success_template="registrations/public/confirm_email_done.html")


@never_cache
def guardian_consent(request, token):
    """Asks who gives the consent (name, relation to the child) before using the link; a
    dead link says so at once. Only a valid POST uses it."""
    if not services.guardian_link_usable(token):
        return render(request, "errors/link_invalid.html", status=400)
    form = GuardianConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        caregiver = services.confirm_guardian(token, name=form.cleaned_data["consent_name"],
                                              relation=form.cleaned_data["consent_relation"])
        if caregiver is None:
            return render(request, "errors/link_invalid.html", status=400)
        return render(request, "registrations/public/guardian_consent_done.html",
                      {"caregiver": caregiver})
    return render(request, "registrations/public/guardian_consent.html", {"form": form})
