"""Caregivers as the mail engine's recipients, and the registrations' own letter type.

The mail engine (worker) knows no caregiver: this directory, registered in
`RegistrationsConfig.ready()`, tells it how a letter reaches someone, who wants the
newsletter, how someone unsubscribes and what an example person looks like.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import clock
from core.dates import add_months
from worker.registry import LetterType, register_letter_type, register_recipients

from .models import Caregiver, Channel, District, RegistrationLetter, State
from .selectors import TARGET_GROUPS, in_target_groups, young_filter
from .services import unsubscribe_newsletter

NEWSLETTER_STATES = [State.ACTIEF, State.VOORMALIG]
NEWSLETTER_STATE_CHOICES = [(State.ACTIEF, _("Actieve mantelzorgers")),
                            (State.VOORMALIG, _("Voormalige mantelzorgers"))]


class CaregiverDirectory:
    """What the mail engine asks about a recipient (a Caregiver)."""

    def gone(self, caregiver) -> str:
        """Why nothing may reach this person any more, or ""."""
        return "Gegevens gewist" if caregiver.state == State.GEWIST else ""

    def route(self, caregiver, *, about_own_request: bool,
              always_delivered: bool = False) -> tuple[str, str]:
        """(channel, reason it cannot be sent) by the caregiver's wishes. "Geen post of
        e-mail" stops everything but a letter that is always delivered (a decision, a
        gift): that one goes by post, the way the person did not say no to the least."""
        email_ok = caregiver.email_confirmed_at or about_own_request
        if caregiver.channel == Channel.EMAIL and caregiver.email and email_ok:
            return Channel.EMAIL, ""
        if caregiver.channel == Channel.NONE and not always_delivered:
            return "", "Wil geen post of e-mail"
        if caregiver.street and caregiver.postcode and caregiver.city:
            return Channel.POST, ""
        if caregiver.channel == Channel.NONE and caregiver.email and email_ok:
            return Channel.EMAIL, ""  # no address to post it to: the confirmed e-mail
        return "", "Geen bevestigd e-mailadres en geen volledig adres"

    def letter_context(self, caregiver) -> dict:
        return {"caregiver": caregiver, "young": caregiver.is_young(),
                "language": caregiver.language}

    def print_order(self) -> list[str]:
        """Print batches are sorted by postcode, as the post office likes it."""
        return ["caregiver__postcode"]

    def newsletter_audience(self, filters: dict):
        """Caregivers who want the newsletter, narrowed by the consulent's filters."""
        people = Caregiver.objects.filter(state__in=NEWSLETTER_STATES, wants_newsletter=True)
        states = [s for s in filters.get("states", []) if s in NEWSLETTER_STATES]
        if states:
            people = people.filter(state__in=states)
        if filters.get("age_group") == "jong":
            people = people.filter(young_filter())
        elif filters.get("age_group") == "volwassen":
            people = people.exclude(young_filter())
        districts = filters.get("districts", [])
        if districts:
            wanted = Q(district_id__in=[d for d in districts if str(d).isdigit()])
            if "onbekend" in districts:
                wanted |= Q(district__isnull=True)
            people = people.filter(wanted)
        groups = filters.get("target_groups", [])
        if groups:
            people = people.filter(in_target_groups(groups))
        return people

    def audience_choices(self) -> dict:
        """Choices for the newsletter form's filters."""
        districts = [(str(d.pk), d.name) for d in District.objects.all()]
        return {"states": NEWSLETTER_STATE_CHOICES,
                "districts": districts + [("onbekend", _("Onbekend"))],
                "target_groups": TARGET_GROUPS}

    def by_email(self, people):
        """Only addresses their owner confirmed (double opt-in)."""
        return people.filter(channel=Channel.EMAIL, email_confirmed_at__isnull=False).exclude(
            email="")

    def by_post(self, people):
        return people.filter(channel=Channel.POST).exclude(street="")

    def still_wants_mailing(self, caregiver, *, service_message: bool) -> bool:
        """Read just before sending: whoever unsubscribed or left meanwhile is skipped."""
        wanted = (caregiver.channel != Channel.NONE if service_message
                  else caregiver.wants_newsletter)
        return bool(wanted and caregiver.state in NEWSLETTER_STATES
                    and caregiver.email and caregiver.email_confirmed_at)

    def newsletter_reader(self, pk):
        """The person an unsubscribe link names, while they can still get the newsletter."""
        return Caregiver.objects.filter(pk=pk, state__in=NEWSLETTER_STATES).first()

    def unsubscribe(self, caregiver) -> None:
        unsubscribe_newsletter(caregiver)

    def example(self):
        """A made-up person (not saved) for the newsletter's postal preview."""
        return Caregiver(first_name="Voorbeeld", last_name="Mantelzorger",
                         date_of_birth=add_months(clock.today(), -12 * 60),
                         street="Voorbeeldstraat", house_number="1", postcode="3841AB",
                         city="Harderwijk", registered_on=clock.today())


def _retention_notice_applies(letter) -> str:
    if letter.caregiver.state != State.VOORMALIG:
        return "Niet meer van toepassing: de zorg is hervat of de inschrijving is al gestopt"
    return ""


def _import_notice_context(letter) -> dict:
    return {"my_data_url": settings.SITE_URL.rstrip("/") + reverse("registrations:my_data")}


def _import_notice_applies(letter) -> str:
    if letter.caregiver.state not in (State.AANGEMELD, State.ACTIEF, State.VOORMALIG):
        return "Niet meer van toepassing: de inschrijving is gestopt"
    return ""


RETENTION_SUMMARY = _("Uw inschrijving bij het Servicepunt Mantelzorg stopt over een maand. "
                      "Daarna wissen wij uw gegevens. Zorgt u weer voor iemand? Laat het ons "
                      "dan weten.")


def register() -> None:
    register_recipients(CaregiverDirectory())
    register_letter_type(LetterType(
        kind=RegistrationLetter.RETENTION_NOTICE, label=RegistrationLetter.RETENTION_NOTICE.label,
        subject="Uw inschrijving bij het Servicepunt Mantelzorg stopt over een maand",
        subject_young="Je inschrijving bij het Servicepunt Mantelzorg stopt over een maand",
        summary=RETENTION_SUMMARY,
        summary_young=_("Je inschrijving bij het Servicepunt Mantelzorg stopt over een maand. "
                        "Daarna wissen wij je gegevens. Zorg je weer voor iemand? Laat het ons "
                        "dan weten."),
        template="registrations/letters/einde_inschrijving",
        no_longer_applies=_retention_notice_applies))
    # AVG art. 14: someone whose data we took over from the old system hears it from us. The
    # e-mail address comes from the Servicepunt's own records, not from a stranger's form, so
    # this letter may use it before its owner confirmed it (like a letter about their request).
    register_letter_type(LetterType(
        kind=RegistrationLetter.IMPORT_NOTICE, label=RegistrationLetter.IMPORT_NOTICE.label,
        subject="Uw gegevens bij het Servicepunt Mantelzorg staan in ons nieuwe systeem",
        subject_young="Je gegevens bij het Servicepunt Mantelzorg staan in ons nieuwe systeem",
        summary=_("Uw gegevens staan nu in het nieuwe systeem van het Servicepunt Mantelzorg. "
                  "In de brief staat welke gegevens dat zijn en wat u kunt doen."),
        summary_young=_("Je gegevens staan nu in het nieuwe systeem van het Servicepunt "
                        "Mantelzorg. In de brief staat welke gegevens dat zijn en wat je kunt "
                        "doen."),
        template="registrations/letters/overgenomen", about_own_request=True,
        context=_import_notice_context, no_longer_applies=_import_notice_applies))
