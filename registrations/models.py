"""Caregivers, the people they care for, consents, and the registration lifecycle.

The lifecycle is one state machine on Caregiver (django-fsm-2, every transition logged by
django-fsm-log). Writes go through `services.py`; bulk retention in `retention.py`.
No BSN anywhere. Health information only as a coarse optional category on the care
recipient, never as free text, and never shown in lists, logs or exports.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from core import clock, languages
from core.dates import add_months
from core.names import full_name, sort_name
from core.postcodes import format_postcode, normalise_postcode
from core.transitions import logged_transition

from .changes import (  # noqa: F401  (re-exported: the app's models live here)
    ChangeKind,
    RecordChange,
)
from .imports.models import (  # noqa: F401  (re-exported: the app's models live here)
    ImportMapping,
    ImportRow,
    ImportState,
    RegistryImport,
    RowOutcome,
)
from .links import (  # noqa: F401  (re-exported: the app's models live here)
    AccessToken,
    TokenPurpose,
    normalise_email,
)
from .recipients import (  # noqa: F401  (re-exported: the app's models live here)
    CareEndReason,
    CareKind,
    CareNeed,
    CareRecipient,
    Relationship,
)
from .reference import (  # noqa: F401  (re-exported: the app's models live here)
    District,
    PostcodeRange,
    RegistrationRules,
)


class State(models.TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld")
    ACTIEF = "actief", _("Actief")
    VOORMALIG = "voormalig", _("Voormalig mantelzorger")
    BEEINDIGD = "beeindigd", _("Inschrijving beëindigd")
    GEWIST = "gewist", _("Gegevens gewist")


# Registrations that are still running: they can sign in, be found and get links.
LINK_STATES = [State.AANGEMELD, State.ACTIEF, State.VOORMALIG]


class Channel(models.TextChoices):
    EMAIL = "email", _("Per e-mail")
    POST = "post", _("Per post")
    NONE = "none", _("Liever geen post of e-mail")


# Said where the channel is chosen: "geen post of e-mail" stops the newsletter and the like,
# not a decision or a gift (LetterType.always_delivered, registrations/mail.py).
CHANNEL_HINT = _("Kiest u 'Liever geen post of e-mail'? Dan krijgt u geen nieuwsbrief. Een "
                 "besluit over uw aanvraag (zoals de mantelzorgwaardering) en een cadeau of "
                 "kaartjes van ons krijgt u wel. Die sturen wij dan per post.")
CHANNEL_HINT_YOUNG = _("Kies je 'Liever geen post of e-mail'? Dan krijg je geen nieuwsbrief. "
                       "Een besluit over je aanvraag (zoals de mantelzorgwaardering) en een "
                       "cadeau of kaartjes van ons krijg je wel. Die sturen wij dan per post.")


class RegistrationLetter(models.TextChoices):
    """The registrations' letter kinds (registered with the mail engine in mail.py)."""

    RETENTION_NOTICE = "einde_inschrijving", _("Bericht: inschrijving stopt over een maand")
    IMPORT_NOTICE = "overgenomen", _("Bericht: gegevens overgezet naar ons nieuwe systeem")


class EndReason(models.TextChoices):
    OWN_REQUEST = "eigen_verzoek", _("Op eigen verzoek")
    RETENTION = "bewaartermijn", _("Bewaartermijn voorbij")
    UNCONFIRMED = "niet_bevestigd", _("Aanmelding nooit bevestigd")
    CONSULENT = "consulent", _("Door consulent beëindigd")
    MERGED = "samengevoegd", _("Samengevoegd met een andere inschrijving")


class Source(models.TextChoices):
    ONLINE = "online", _("Online aangemeld")
    CONSULENT = "consulent", _("Door consulent ingeschreven")
    WAARDERING = "waardering", _("Via de mantelzorgwaardering")
    IMPORT = "import", _("Overgenomen uit het vorige systeem")


class Caregiver(ConcurrentTransitionMixin, models.Model):
    """A mantelzorger known to the Servicepunt."""

    first_name = models.CharField(_("voornaam"), max_length=100)
    # "de" of "Jan de Vries": kept apart so lists sort under the achternaam (V).
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True,
                                      default="", db_default="")
    last_name = models.CharField(_("achternaam"), max_length=150)
    date_of_birth = models.DateField(_("geboortedatum"))
    street = models.CharField(_("straat"), max_length=150, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=12)
    postcode = models.CharField(_("postcode"), max_length=6)
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="caregivers", verbose_name=_("wijk"))
    email = models.EmailField(_("e-mailadres"), blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    channel = models.CharField(_("post ontvangen"), max_length=8, choices=Channel.choices,
                               default=Channel.EMAIL)
    wants_newsletter = models.BooleanField(_("wil de nieuwsbrief"), default=True)
    # The language the person chose on our pages when registering (or told a consulent):
    # their e-mails come in it, and a letter gets a summary in it above the Dutch text.
    language = models.CharField(_("taal"), max_length=5, choices=languages.CHOICES,
                                default=languages.SOURCE, db_default=languages.SOURCE)

    # Target groups needing specific attention; stored only with explicit consent.
    parent_of_disabled_child = models.BooleanField(
        _("ouder van een kind met een ernstige meervoudige beperking"), default=False)
    migration_background = models.BooleanField(_("migratieachtergrond"), default=False)
    target_group_consent_at = models.DateTimeField(null=True, blank=True)

    state = FSMField(_("status"), max_length=12, choices=State.choices,
                     default=State.AANGEMELD, protected=True, db_index=True)
    source = models.CharField(_("aangemeld via"), max_length=12, choices=Source.choices,
                              default=Source.ONLINE)
    registered_on = models.DateField(_("ingeschreven op"))
    activated_on = models.DateField(_("actief sinds"), null=True, blank=True)
    care_ended_on = models.DateField(_("zorg gestopt op"), null=True, blank=True)
    care_end_reason = models.CharField(_("reden zorg gestopt"), max_length=12, blank=True,
                                       choices=CareEndReason.choices)
    ended_on = models.DateField(_("inschrijving beëindigd op"), null=True, blank=True)
    end_reason = models.CharField(_("reden einde inschrijving"), max_length=16, blank=True,
                                  choices=EndReason.choices)
    erased_on = models.DateField(_("gegevens gewist op"), null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # Set when a consulent checked the registration (intake, or an online one without
    # e-mail). Together with a confirmed e-mail address it is what makes a registration active.
    checked_by_consulent_at = models.DateTimeField(null=True, blank=True)
    # One registration per submitted form, also when someone clicks "Versturen" twice.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Provenance of an imported registration (AVG art. 14): the number in the system it came
    # from (matched on by a later import), the import that brought it, and on what basis.
    external_id = models.CharField(_("nummer in het vorige systeem"), max_length=64,
                                   blank=True)
    registry_import = models.ForeignKey("registrations.RegistryImport", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="caregivers")
    legal_basis = models.TextField(_("grondslag"), blank=True)
    # Signed in with DigiD once: a keyed hash of the BSN (registrations/digid.py), never
    # the BSN itself. Empty for people who only use the e-mailed link.
    bsn_pseudonym = models.CharField(max_length=64, blank=True, default="", editable=False)
    # Another registration has the same e-mail address, or the same date of birth and
    # address: this one waits, not active, until a consulent says "another person" or
    # merges it (services.register, services_duplicates).
    duplicate_check = models.BooleanField(_("mogelijk dubbel, te controleren"), default=False,
                                          db_default=False)
    # Raised by every edit of the person's details: an edit form made from an older version
    # is refused (two consulenten, or a consulent and the person, editing at once).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("mantelzorger")
        verbose_name_plural = _("mantelzorgers")
        indexes = [
            models.Index(fields=["date_of_birth", "postcode", "house_number"]),
            models.Index(fields=["state", "care_ended_on"]),
            models.Index(fields=["state", "ended_on"]),
            models.Index(fields=["external_id"], condition=~Q(external_id=""),
                         name="caregiver_external_id"),
            # The duplicate check of every new registration and request asks for the same
            # e-mail address in any case (`email__iexact`, UPPER(email)); without this it read
            # every registration: 2 s per registration at a million (docs/BENCHMARKS.md).
            models.Index(Upper("email"), name="caregiver_email_any_case"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["bsn_pseudonym"], condition=~Q(bsn_pseudonym=""),
                                    name="one_registration_per_bsn_pseudonym"),
            models.CheckConstraint(
                condition=Q(target_group_consent_at__isnull=False)
                | Q(parent_of_disabled_child=False, migration_background=False),
                name="target_groups_need_consent"),
            models.CheckConstraint(
                condition=~Q(state="voormalig") | Q(care_ended_on__isnull=False),
                name="former_caregiver_has_end_of_care"),
            models.CheckConstraint(
                condition=~Q(state__in=["beeindigd", "gewist"]) | Q(ended_on__isnull=False),
                name="ended_registration_has_end_date"),
        ]

    def __str__(self):
        if self.state == State.GEWIST:
            return f"#{self.pk} ({self.get_state_display()})"
        return self.full_name

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    # --- derived facts -------------------------------------------------------------
    @property
    def full_name(self) -> str:
        """"Jan de Vries": the one way a caregiver's name is written (pages, letters)."""
        return full_name(self.first_name, self.surname_prefix, self.last_name)

    @property
    def sort_name(self) -> str:
        """"Vries, Jan de": the name in a list sorted by achternaam."""
        return sort_name(self.first_name, self.surname_prefix, self.last_name)

    @property
    def postcode_display(self) -> str:
        return format_postcode(self.postcode)

    def age(self, on: datetime.date | None = None) -> int:
        return clock.age_on(self.date_of_birth, on or clock.today())

    def is_young(self, rules=None, on=None) -> bool:
        rules = rules or RegistrationRules.current()
        return self.age(on) <= rules.young_max_age

    def needs_guardian(self, rules=None) -> bool:
        rules = rules or RegistrationRules.current()
        return self.age() < rules.guardian_consent_below_age

    def guardian_confirmed(self) -> bool:
        guardian = getattr(self, "guardian", None)
        return bool(guardian and guardian.confirmed_at)

    def newsletter_address_ok(self) -> bool:
        """Newsletters go to an e-mail address only after its owner confirmed it."""
        return bool(self.email and self.email_confirmed_at)

    def ready_to_activate(self) -> bool:
        """Not a possible duplicate, guardian consent where needed, and a confirmed address
        or a consulent's check."""
        if self.duplicate_check:
            return False
        if self.needs_guardian() and not self.guardian_confirmed():
            return False
        return bool(self.email_confirmed_at or self.checked_by_consulent_at)

    def retention_end(self, rules=None) -> datetime.date | None:
        """The day a former caregiver's registration ends."""
        if not self.care_ended_on:
            return None
        rules = rules or RegistrationRules.current()
        return add_months(self.care_ended_on, rules.former_retention_months)

    # --- the lifecycle (only services.py and retention.py call these) -----------------
    @logged_transition(field=state, source=State.AANGEMELD, target=State.ACTIEF,
                conditions=[ready_to_activate])
    def activate(self, by=None, description=None):
        self.activated_on = clock.today()

    @logged_transition(field=state, source=State.ACTIEF, target=State.VOORMALIG)
    def end_care(self, on: datetime.date, reason: str, by=None, description=None):
        self.care_ended_on = on
        self.care_end_reason = reason

    @logged_transition(field=state, source=State.VOORMALIG, target=State.ACTIEF)
    def resume_care(self, by=None, description=None):
        self.care_ended_on = None
        self.care_end_reason = ""

    @logged_transition(field=state, source=[State.AANGEMELD, State.ACTIEF, State.VOORMALIG],
                target=State.BEEINDIGD)
    def end_registration(self, reason: str, by=None, description=None):
        self.ended_on = clock.today()
        self.end_reason = reason

    @logged_transition(field=state, source=State.BEEINDIGD, target=State.GEWIST)
    def erase(self, by=None, description=None):
        """Remove personal data; keep the row for anonymous counts (wijk, age, dates)."""
        anonymise_fields(self)


def anonymise_fields(caregiver: Caregiver) -> None:
    """What erasure keeps: wijk, postcode area, birth year, dates and states."""
    caregiver.first_name = ""
    caregiver.surname_prefix = ""
    caregiver.last_name = ""
    caregiver.street = ""
    caregiver.house_number = ""
    caregiver.postcode = caregiver.postcode[:4]
    caregiver.city = ""
    caregiver.email = ""
    caregiver.phone = ""
    caregiver.external_id = ""
    caregiver.bsn_pseudonym = ""
    caregiver.date_of_birth = datetime.date(caregiver.date_of_birth.year, 1, 1)
    caregiver.parent_of_disabled_child = False
    caregiver.migration_background = False
    caregiver.target_group_consent_at = None
    caregiver.erased_on = clock.today()


class GuardianRelation(models.TextChoices):
    """Who may consent for a child (art. 5 UAVG): whoever holds parental authority."""

    PARENT = "ouder", _("Ouder")
    GUARDIAN = "voogd", _("Voogd")


class Guardian(models.Model):
    """A parent or guardian who consents for a caregiver under 16 (art. 5 UAVG).

    `name`, `email` and `phone` are what the child typed; `consent_name` and
    `consent_relation` are what the person who opened the consent link said about
    themselves, kept with the consent for the consulent to check.
    """

    caregiver = models.OneToOneField(Caregiver, on_delete=models.CASCADE,
                                     related_name="guardian")
    name = models.CharField(_("naam ouder of voogd"), max_length=150)
    email = models.EmailField(_("e-mailadres ouder of voogd"), blank=True)
    phone = models.CharField(_("telefoonnummer ouder of voogd"), max_length=20, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by_staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    consent_name = models.CharField(_("toestemming gegeven door"), max_length=150, blank=True)
    consent_relation = models.CharField(_("relatie tot het kind"), max_length=10, blank=True,
                                        choices=GuardianRelation.choices)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(email="", phone=""),
                                              name="guardian_reachable")]


class ConsentKind(models.TextChoices):
    PROCESSING = "verwerking", _("Gegevens bewaren en gebruiken")
    TARGET_GROUP = "doelgroep", _("Doelgroep vastleggen")
    GUARDIAN = "ouder", _("Toestemming ouder of voogd")
    NEWSLETTER = "nieuwsbrief", _("Nieuwsbrief ontvangen")


class ConsentRecord(models.Model):
    """What was agreed, when, and the exact text shown (by version)."""

    caregiver = models.ForeignKey(Caregiver, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=12, choices=ConsentKind.choices)
    given = models.BooleanField(default=True)
    text_version = models.CharField(max_length=20)
    text = models.TextField()
    given_by = models.CharField(max_length=20)  # "mantelzorger", "ouder", "consulent"
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]


class StaffAccess(models.Model):
    """Every time staff open a caregiver's record (AVG: who saw what, when)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    caregiver = models.ForeignKey(Caregiver, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["caregiver", "-at"])]


class NotDuplicate(models.Model):
    """A consulent decided two registrations with matching details are different people."""

    caregiver = models.ForeignKey(Caregiver, on_delete=models.CASCADE,
                                  related_name="not_duplicates")
    other = models.ForeignKey(Caregiver, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caregiver", "other"],
                                               name="not_duplicate_once")]

