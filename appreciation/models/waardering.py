"""The yearly mantelzorgwaardering: rules per year, requests with their state machine, payouts.

Every number is a setting a coordinator edits per year: amounts and payout form per age
group, minimum hours and duration of care, the application window, caps and the budget.
Once payouts are made a year is frozen; the next year starts as a copy of the last.

A request's state changes only through the transitions on `AppreciationRequest` (django-fsm-2,
recorded by django-fsm-log with who and why); `services.py` calls them. One request per
caregiver per year is a database constraint, so a double or racing submission stores one row.
"""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from core import clock, roles
from core.transitions import logged_transition

from .decisions import RejectionReason, rejection_sentence


class PayoutForm(models.TextChoices):
    BANK = "bank", _("Geld op de bankrekening")
    VOUCHER = "bon", _("Cadeaubon of activiteit")


# The default text above the fixed objection paragraph (the Awb's route is in the letter's
# template, so no edit can take it out).
OBJECTION_TEXT = ("Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Dan kijkt "
                  "de gemeente nog een keer naar uw aanvraag.")

POSTCODE_PART_RE = re.compile(r"^([1-9][0-9]{3})(?:\s*-\s*([1-9][0-9]{3}))?$")


def validate_postcode_list(value: str) -> None:
    parts = [part.strip() for part in (value or "").split(",")]
    if not any(parts) or not all(POSTCODE_PART_RE.match(part) for part in parts):
        raise ValidationError(_("Schrijf de postcodes als 3840-3849, met komma's ertussen."))


class AppreciationYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("jaar"), unique=True, validators=[MinValueValidator(2020), MaxValueValidator(2100)])
    amount_adult_cents = models.PositiveIntegerField(_("bedrag volwassenen"),
                                                     default=7500)
    payout_adult = models.CharField(_("uitbetaling volwassenen"), max_length=5,
                                    choices=PayoutForm.choices, default=PayoutForm.BANK)
    amount_young_cents = models.PositiveIntegerField(_("bedrag jonge mantelzorgers"),
                                                     default=7500)
    # Money by default, as in Harderwijk (the annual report: 155 young caregivers paid).
    # A year that chooses vouchers gives each approved young caregiver a code from the list
    # a coordinator uploads (`WaarderingVoucherCode`), sent by letter.
    payout_young = models.CharField(_("uitbetaling jonge mantelzorgers"), max_length=5,
                                    choices=PayoutForm.choices, default=PayoutForm.BANK)
    min_hours_per_week = models.PositiveSmallIntegerField(
        _("minimaal uren zorg per week"), default=8, validators=[MaxValueValidator(168)])
    min_months_of_care = models.PositiveSmallIntegerField(
        _("minimaal maanden zorg"), default=3, validators=[MaxValueValidator(120)])
    # Criteria of their own for young caregivers (school leaves fewer hours); empty: the same
    # as for adults.
    min_hours_per_week_young = models.PositiveSmallIntegerField(
        _("minimaal uren zorg per week (jonge mantelzorgers)"), null=True, blank=True,
        validators=[MaxValueValidator(168)],
        help_text=_("Leeg: hetzelfde als voor volwassenen."))
    min_months_of_care_young = models.PositiveSmallIntegerField(
        _("minimaal maanden zorg (jonge mantelzorgers)"), null=True, blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("Leeg: hetzelfde als voor volwassenen."))
    invite_last_years_recipients = models.BooleanField(
        _("uitnodiging aan wie de waardering vorig jaar kreeg"), default=True,
        help_text=_("Als de aanvraagperiode begint, krijgt wie vorig jaar de waardering "
                    "kreeg een uitnodiging om met één klik opnieuw aan te vragen."))
    window_opens = models.DateField(_("aanvragen vanaf"))
    window_closes = models.DateField(_("aanvragen tot en met"))
    max_per_recipient = models.PositiveSmallIntegerField(
        _("hoogstens zoveel per naaste"), null=True, blank=True,
        help_text=_("Leeg: geen grens."))
    max_per_address = models.PositiveSmallIntegerField(
        _("hoogstens zoveel per adres"), null=True, blank=True,
        help_text=_("Leeg: geen grens."))
    budget_cents = models.PositiveBigIntegerField(_("budget"), default=10_000_000)
    recipient_postcodes = models.CharField(
        _("postcodes waar de naaste moet wonen"), max_length=200, default="3840-3849",
        validators=[validate_postcode_list],
        help_text=_("Cijfers van de postcode, reeksen met een streepje, gescheiden door "
                    "komma's. Bijvoorbeeld: 3840-3849."))
    max_requests_per_iban = models.PositiveSmallIntegerField(
        _("hoogstens zoveel aanvragen op één rekeningnummer"), default=2,
        help_text=_("Meer aanvragen op hetzelfde rekeningnummer worden gemeld aan de "
                    "consulent."))
    answer_within_weeks = models.PositiveSmallIntegerField(
        _("weken om een vraag te beantwoorden"), default=4,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text=_("Geen antwoord binnen deze tijd: de consulent kan de aanvraag buiten "
                    "behandeling stellen."))
    payment_within_weeks = models.PositiveSmallIntegerField(
        _("betaling binnen zoveel weken na goedkeuring"), default=4,
        validators=[MaxValueValidator(52)])
    text_receipt = models.TextField(_("brieftekst: ontvangstbevestiging"), default=(
        "Wij hebben uw aanvraag voor de mantelzorgwaardering goed ontvangen. Een consulent "
        "kijkt ernaar. U krijgt binnen een paar weken bericht van ons."))
    text_approved = models.TextField(_("brieftekst: goedgekeurd"), default=(
        "Goed nieuws: u krijgt de mantelzorgwaardering. Zo laat de gemeente Harderwijk zien "
        "dat zij uw zorg belangrijk vindt. Dank u wel voor alles wat u doet."))
    text_rejected = models.TextField(_("brieftekst: afgewezen"), default=(
        "Wij hebben uw aanvraag voor de mantelzorgwaardering bekeken. Helaas krijgt u de "
        "waardering dit jaar niet."))
    text_objection = models.TextField(_("brieftekst: bezwaar maken"), default=(
        OBJECTION_TEXT), help_text=_(
        "Komt boven het vaste deel: binnen zes weken, op papier, aan wie en wat erin moet."))
    text_info_request = models.TextField(_("brieftekst: vraag om aanvulling"), default=(
        "Wij hebben uw aanvraag voor de mantelzorgwaardering bekeken. Wij hebben nog een "
        "vraag voor u. Zonder uw antwoord kunnen wij de aanvraag niet afmaken."))
    text_set_aside = models.TextField(_("brieftekst: buiten behandeling"), default=(
        "Zonder uw antwoord kunnen wij niet beslissen of u de mantelzorgwaardering krijgt. "
        "Daarom behandelen wij uw aanvraag niet verder."))
    # Decisions are the municipality's (a beschikking under the Awb), taken on its behalf.
    decision_authority = models.CharField(
        _("besluit namens"), max_length=200,
        default="het college van burgemeester en wethouders van Harderwijk",
        help_text=_("Staat in elke brief met een besluit. Bezwaar gaat naar hen."))
    objection_address = models.TextField(
        _("adres voor bezwaar"), max_length=300, default="Postbus 149\n3840 AC Harderwijk",
        help_text=_("Het postadres van de gemeente, op twee of drie regels."))
    # The same texts for young caregivers, addressed with "je" (docs/DOMAIN-DECISIONS.md).
    text_receipt_young = models.TextField(
        _("brieftekst: ontvangstbevestiging (jonge mantelzorgers, je)"), default=(
            "Wij hebben je aanvraag voor de mantelzorgwaardering goed ontvangen. Een "
            "consulent kijkt ernaar. Je krijgt binnen een paar weken bericht van ons."))
    text_approved_young = models.TextField(
        _("brieftekst: goedgekeurd (jonge mantelzorgers, je)"), default=(
            "Goed nieuws: je krijgt de mantelzorgwaardering. Zo laat de gemeente Harderwijk "
            "zien dat zij je zorg belangrijk vindt. Dank je wel voor alles wat je doet."))
    text_rejected_young = models.TextField(
        _("brieftekst: afgewezen (jonge mantelzorgers, je)"), default=(
            "Wij hebben je aanvraag voor de mantelzorgwaardering bekeken. Helaas krijg je de "
            "waardering dit jaar niet."))
    text_objection_young = models.TextField(
        _("brieftekst: bezwaar maken (jonge mantelzorgers, je)"), default=(
            "Ben je het niet eens met dit besluit? Dan kun je bezwaar maken. Dan kijkt de "
            "gemeente nog een keer naar je aanvraag."))
    text_set_aside_young = models.TextField(
        _("brieftekst: buiten behandeling (jonge mantelzorgers, je)"), default=(
            "Zonder je antwoord kunnen wij niet beslissen of je de mantelzorgwaardering krijgt. "
            "Daarom behandelen wij je aanvraag niet verder."))
    text_info_request_young = models.TextField(
        _("brieftekst: vraag om aanvulling (jonge mantelzorgers, je)"), default=(
            "Wij hebben je aanvraag voor de mantelzorgwaardering bekeken. Wij hebben nog een "
            "vraag voor je. Zonder je antwoord kunnen wij de aanvraag niet afmaken."))
    payouts_made_at = models.DateTimeField(_("uitbetaald op"), null=True, blank=True,
                                           editable=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("waarderingsjaar")
        verbose_name_plural = _("waarderingsjaren")
        constraints = [
            models.CheckConstraint(condition=Q(window_opens__lte=models.F("window_closes")),
                                   name="appreciation_window_ordered"),
        ]

    def __str__(self):
        return str(self.year)

    @property
    def locked(self) -> bool:
        return self.payouts_made_at is not None

    def clean(self):
        if self.window_opens and self.window_closes:
            if self.window_opens > self.window_closes:
                raise ValidationError({"window_closes": _(
                    "De sluitingsdatum moet na de openingsdatum liggen.")})
            if self.year and self.window_opens.year != self.year:
                raise ValidationError({"window_opens": _(
                    "De aanvraagperiode moet in het jaar zelf beginnen.")})

    def is_open(self, day) -> bool:
        return self.window_opens <= day <= self.window_closes

    def amount_for(self, age_group: str) -> int:
        return self.amount_young_cents if age_group == AgeGroup.YOUNG else self.amount_adult_cents

    def payout_for(self, age_group: str) -> str:
        return self.payout_young if age_group == AgeGroup.YOUNG else self.payout_adult

    def min_hours_for(self, age_group: str) -> int:
        """The minimum hours a week for this age group (young: their own, if set)."""
        if age_group == AgeGroup.YOUNG and self.min_hours_per_week_young is not None:
            return self.min_hours_per_week_young
        return self.min_hours_per_week

    def min_months_for(self, age_group: str) -> int:
        """The minimum months of care for this age group (young: their own, if set)."""
        if age_group == AgeGroup.YOUNG and self.min_months_of_care_young is not None:
            return self.min_months_of_care_young
        return self.min_months_of_care

    def postcode_ranges(self) -> list[tuple[int, int]]:
        """'3840-3849, 8000' → [(3840, 3849), (8000, 8000)]; malformed parts are skipped
        (clean() refuses them when a coordinator saves)."""
        ranges = []
        for part in self.recipient_postcodes.split(","):
            match = POSTCODE_PART_RE.match(part.strip())
            if match:
                first = int(match.group(1))
                ranges.append((first, int(match.group(2) or first)))
        return ranges

    def recipient_postcode_ok(self, postcode: str) -> bool:
        digits = (postcode or "")[:4]
        if not digits.isdigit():
            return False
        return any(first <= int(digits) <= last for first, last in self.postcode_ranges())


class AgeGroup(models.TextChoices):
    ADULT = "volwassen", _("Volwassene")
    YOUNG = "jong", _("Jonge mantelzorger")


class RequestState(models.TextChoices):
    INGEDIEND = "ingediend", _("Ingediend")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    AANVULLING_NODIG = "aanvulling_nodig", _("Aanvulling nodig")
    GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    IN_BETAALBATCH = "in_betaalbatch", _("In betaalronde")
    UITBETAALD = "uitbetaald", _("Uitbetaald")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")
    # Art. 4:5 Awb: the question went unanswered, so the request is not decided (it is not
    # rejected); the person may ask again.
    BUITEN_BEHANDELING = "buiten_behandeling", _("Buiten behandeling gesteld")


OPEN_STATES = [RequestState.INGEDIEND, RequestState.IN_BEHANDELING,
               RequestState.AANVULLING_NODIG]
# Requests that no longer count: withdrawn, or set aside without a decision. The caregiver
# may ask again that year; checks and the one-per-year rule look past them.
NOT_COUNTED_STATES = [RequestState.INGETROKKEN, RequestState.BUITEN_BEHANDELING]
COMMITTED_STATES = [RequestState.GOEDGEKEURD, RequestState.IN_BETAALBATCH]


class Route(models.TextChoices):
    SELF = "zelf", _("Door de mantelzorger zelf")
    ON_BEHALF = "namens", _("Namens de mantelzorger")
    CONSULENT = "consulent", _("Door een consulent ingevoerd (papieren formulier)")


def is_staff_member(instance, user) -> bool:
    """Transition permission: only consulenten and coordinators decide."""
    return roles.is_staff_member(user)


def is_coordinator(instance, user) -> bool:
    return roles.is_coordinator(user)


def answer_period_over(instance) -> bool:
    """Art. 4:5 Awb: the person had the whole period to answer before a request is set
    aside; the day of the deadline itself still counts."""
    return instance.info_due_on is not None and instance.info_due_on < clock.today()


def caregiver_confirmed(instance) -> bool:
    """A request not made by the signed-in caregiver (on their behalf, or with their details
    typed on the public form) is decided only after the caregiver agreed: nobody can approve
    it before, by hand or in bulk."""
    return instance.caregiver_confirmed_at is not None


class AppreciationRequest(ConcurrentTransitionMixin, models.Model):
    """One caregiver's request for one year's waardering, from submission to payout."""

    year = models.ForeignKey(AppreciationYear, on_delete=models.PROTECT,
                             related_name="requests", verbose_name=_("jaar"))
    caregiver = models.ForeignKey("registrations.Caregiver", on_delete=models.PROTECT,
                                  related_name="appreciation_requests",
                                  verbose_name=_("mantelzorger"))
    # Letters the mail engine sent about this request (worker.Letter.about).
    letters = GenericRelation("worker.Letter", content_type_field="about_type",
                              object_id_field="about_id", related_query_name="appreciation_request")
    route = models.CharField(_("aangevraagd"), max_length=10, choices=Route.choices)
    # On behalf of the caregiver: who asked, so the consulent can call back.
    requester_name = models.CharField(_("aangevraagd door"), max_length=150, blank=True)
    requester_relation = models.CharField(_("relatie tot de mantelzorger"), max_length=100,
                                          blank=True)
    requester_contact = models.CharField(_("telefoon of e-mail aanvrager"), max_length=254,
                                         blank=True)
    caregiver_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Not asked while signed in as the caregiver: the caregiver confirms it through their
    # own channel on file (a link by e-mail or a code by post, see waardering/confirmation).
    needs_confirmation = models.BooleanField(
        _("moet door de mantelzorger bevestigd worden"), default=False)
    confirm_nonce = models.CharField(max_length=64, blank=True, editable=False)
    confirm_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirm_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Asked signed in with DigiD Machtigen: keyed pseudonyms of the BSNs of the caregiver
    # (the representee) and of the person authorised to act for them (the representative).
    # Never the BSNs themselves (registrations/digid.py).
    mandate_representee = models.CharField(_("vertegenwoordigde (pseudoniem)"), max_length=64,
                                           blank=True, editable=False)
    mandate_representative = models.CharField(_("gemachtigde (pseudoniem)"), max_length=64,
                                              blank=True, editable=False)
    # The name typed on the public form, compared with the name on file (a check).
    typed_name = models.CharField(_("ingevulde naam"), max_length=150, blank=True)
    caregiver_was_unknown = models.BooleanField(
        _("nieuw ingeschreven via de waardering"), default=False)

    recipient_name = models.CharField(_("naam naaste"), max_length=150)
    recipient_postcode = models.CharField(_("postcode naaste"), max_length=6)
    recipient_house_number = models.CharField(_("huisnummer naaste"), max_length=12)
    hours_per_week = models.PositiveSmallIntegerField(_("uren zorg per week"))
    care_since = models.DateField(_("zorgt sinds"))

    age_group = models.CharField(_("leeftijdsgroep"), max_length=10, choices=AgeGroup.choices)
    payout_form = models.CharField(_("uitbetaling"), max_length=5, choices=PayoutForm.choices)
    amount_cents = models.PositiveIntegerField(_("bedrag (centen)"))
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    account_holder = models.CharField(_("tenaamstelling"), max_length=70, blank=True)

    state = FSMField(_("status"), max_length=20, choices=RequestState.choices,
                     default=RequestState.INGEDIEND, protected=True)
    checks = models.JSONField(_("controles"), default=list)
    checks_passed = models.BooleanField(_("alle controles goed"), default=False)
    rejection_reason = models.CharField(_("reden afwijzing"), max_length=16, blank=True,
                                        choices=RejectionReason.choices)
    rejection_text = models.TextField(_("toelichting afwijzing"), blank=True)
    info_question = models.TextField(_("vraag aan de mantelzorger"), blank=True)
    info_answer = models.TextField(_("antwoord van de mantelzorger"), blank=True)
    info_due_on = models.DateField(_("antwoord uiterlijk"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    payment_batch = models.ForeignKey("PaymentBatch", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="requests")
    voucher_code = models.CharField(_("boncode"), max_length=40, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    submitted_at = models.DateTimeField(_("ingediend op"))

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("waarderingsaanvraag")
        verbose_name_plural = _("waarderingsaanvragen")
        indexes = [
            # The queue: oldest first, within a year and optionally a state.
            models.Index(fields=["state", "submitted_at", "id"]),
            models.Index(fields=["year", "submitted_at", "id"]),
            models.Index(fields=["submitted_at", "id"]),
            # The budget panel sums amounts per state without reading the table.
            models.Index(fields=["year", "state"], include=["amount_cents"],
                         name="waardering_year_state_amount"),
            models.Index(fields=["year", "iban"]),
            # Caregivers the waardering found (the annual report counts them).
            models.Index(fields=["year"], condition=Q(caregiver_was_unknown=True),
                         name="waardering_newcomers"),
            # The confirmation page looks a typed code up by its keyed hash.
            models.Index(fields=["confirm_code_hash"], condition=~Q(confirm_code_hash=""),
                         name="waardering_confirm_code"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "caregiver"],
                condition=~Q(state__in=["ingetrokken", "buiten_behandeling"]),
                name="one_waardering_per_caregiver_per_year"),
            models.CheckConstraint(condition=~Q(state="afgewezen") | ~Q(rejection_reason=""),
                                   name="rejection_has_reason"),
            models.CheckConstraint(
                condition=~Q(state__in=["in_betaalbatch", "uitbetaald"])
                | Q(payment_batch__isnull=False), name="paid_request_is_in_a_batch"),
            models.CheckConstraint(condition=Q(hours_per_week__lte=168),
                                   name="waardering_hours_fit_in_a_week"),
            # A voucher code is a bearer token: never two requests with the same code.
            models.UniqueConstraint(fields=["voucher_code"], condition=~Q(voucher_code=""),
                                    name="voucher_code_unique"),
        ]

    def __str__(self):
        return f"Waardering {self.year_id and self.year.year} #{self.pk}"

    @property
    def reference(self) -> str:
        """The number on letters and bank statements."""
        return f"MZW-{self.year.year}-{self.pk:06d}"

    @property
    def end_to_end_id(self) -> str:
        """SEPA end-to-end id: fixed per request, so an exported file pays a request once."""
        return f"MZW{self.year.year}R{self.pk:09d}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def rejection_reason_text(self, *, young: bool = False) -> str:
        """Why it was rejected, as the person reads it: the reason's sentence and the
        consulent's explanation (for "een andere reden" only the explanation)."""
        parts = [rejection_sentence(self.rejection_reason, young=young), self.rejection_text]
        return " ".join(part.strip() for part in parts if part and part.strip())

    def failed_checks(self) -> list[dict]:
        return [check for check in self.checks if not check.get("ok")]

    # --- the state machine (only services.py calls these) ---------------------------
    @logged_transition(field=state, source=RequestState.INGEDIEND,
                       target=RequestState.IN_BEHANDELING, permission=is_staff_member)
    def start_review(self, by=None, description=None):
        pass

    @logged_transition(field=state, source=RequestState.IN_BEHANDELING,
                       target=RequestState.GOEDGEKEURD, permission=is_staff_member,
                       conditions=[caregiver_confirmed])
    def approve(self, by=None, description=None):
        self.decided_by = by

    @logged_transition(field=state, source=OPEN_STATES, target=RequestState.AFGEWEZEN,
                       permission=is_staff_member)
    def reject(self, reason: str, text: str = "", by=None, description=None):
        self.rejection_reason, self.rejection_text = reason, text
        self.decided_by = by

    @logged_transition(field=state, source=RequestState.AANVULLING_NODIG,
                       target=RequestState.BUITEN_BEHANDELING, permission=is_staff_member,
                       conditions=[answer_period_over])
    def set_aside(self, by=None, description=None):
        """No answer in time: a consulent sets the request aside (art. 4:5 Awb)."""
        self.decided_by = by

    @logged_transition(field=state, source=RequestState.IN_BEHANDELING,
                       target=RequestState.AANVULLING_NODIG, permission=is_staff_member)
    def ask_information(self, question: str, due_on, by=None, description=None):
        self.info_question, self.info_answer, self.info_due_on = question, "", due_on

    @logged_transition(field=state, source=RequestState.AANVULLING_NODIG,
                       target=RequestState.IN_BEHANDELING)
    def answer_information(self, answer: str, by=None, description=None):
        self.info_answer = answer

    @logged_transition(field=state, source=OPEN_STATES, target=RequestState.INGETROKKEN)
    def withdraw(self, by=None, description=None):
        """By the caregiver, before a decision."""

    @logged_transition(field=state, source=RequestState.GOEDGEKEURD,
                       target=RequestState.IN_BETAALBATCH, permission=is_coordinator)
    def add_to_batch(self, batch, by=None, description=None):
        self.payment_batch = batch

    @logged_transition(field=state, source=RequestState.IN_BETAALBATCH,
                       target=RequestState.UITBETAALD, permission=is_coordinator)
    def mark_paid(self, by=None, description=None):
        pass
