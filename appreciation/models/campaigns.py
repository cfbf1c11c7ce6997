"""Seasonal campaigns: the summer swimming tickets, the December attentie, and the like.

A campaign has a period, a number of tickets per caregiver and a stock of codes (loaded from
the pool's CSV or generated). Registered caregivers ask once per campaign (a database
constraint); a request gets its codes at once when there is stock, else it waits in line.
Codes are handed out with the campaign row locked, so stock never goes below zero and no
code is given twice, however many people ask at the same moment. A campaign without asking
(the December attentie) gives every caregiver who may have it their codes in one go.

A request's state changes only through the transitions on `CampaignRequest` (django-fsm-2,
recorded by django-fsm-log); `appreciation/campaigns/services.py` calls them.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from core.transitions import logged_transition
from registrations.models import State

from .waardering import is_staff_member


class CampaignKind(models.TextChoices):
    SWIM_TICKETS = "zwemkaartjes", _("Zwemkaartjes")
    ATTENTIE = "attentie", _("Attentie (eindejaarsgeschenk)")
    OTHER = "anders", _("Iets anders")


class Handout(models.TextChoices):
    CODE_ON_LETTER = "code", _("Code per kaartje op de brief")
    PICKUP = "ophalen", _("Ophalen bij het Servicepunt")


class CodeSource(models.TextChoices):
    """Where the tickets or gift cards come from. Only "eigen codes" lets the product make
    codes: a shop or pool accepts only the codes it issued itself."""

    SUPPLIER = "leverancier", _("Lijst van de leverancier (bestand laden)")
    PHYSICAL = "fysiek", _("Fysieke kaarten (versturen of uitdelen en afvinken)")
    OWN = "eigen", _("Eigen codes (het systeem maakt ze)")


class Campaign(models.Model):
    """One season's campaign, edited by coordinators."""

    kind = models.CharField(_("soort"), max_length=12, choices=CampaignKind.choices,
                            default=CampaignKind.SWIM_TICKETS)
    name = models.CharField(_("naam"), max_length=100,
                            help_text=_("Bijvoorbeeld: Zwemkaartjes zomer 2026."))
    starts_on = models.DateField(_("aanvragen vanaf"))
    ends_on = models.DateField(_("aanvragen tot en met"))
    tickets_per_caregiver = models.PositiveSmallIntegerField(
        _("kaartjes per mantelzorger"), default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)])
    stock_total = models.PositiveIntegerField(
        _("aantal kaartjes van het zwembad"), default=0,
        help_text=_("Hoeveel kaartjes het zwembad geeft. De voorraad zijn de codes die "
                    "geladen of gemaakt zijn."))
    include_former = models.BooleanField(
        _("ook voormalig mantelzorgers"), default=True,
        help_text=_("Voormalig mantelzorgers blijven na het einde van de zorg twee jaar "
                    "ingeschreven. Zet dit alleen uit als de actie echt alleen voor wie nu "
                    "zorgt is."))
    limited_stock = models.BooleanField(
        _("beperkte voorraad"), default=False,
        help_text=_("Uit: iedereen die het mag, krijgt het. Is de voorraad op, dan blijft de "
                    "aanvraag staan tot er nieuwe codes zijn, en krijgt u een waarschuwing. "
                    "Aan: is de voorraad op, dan komen aanvragen op een wachtlijst."))
    code_source = models.CharField(
        _("waar de codes vandaan komen"), max_length=12, choices=CodeSource.choices,
        default=CodeSource.SUPPLIER,
        help_text=_("Kies eigen codes alleen als de winkel of het zwembad die accepteert."))
    requires_request = models.BooleanField(
        _("mantelzorgers moeten het aanvragen"), default=True,
        help_text=_("Uit: iedereen die het mag krijgen, krijgt het (zoals de attentie)."))
    pool_name = models.CharField(_("naam zwembad of winkel"), max_length=100, blank=True)
    handout = models.CharField(_("hoe mensen de kaartjes krijgen"), max_length=8,
                               choices=Handout.choices, default=Handout.CODE_ON_LETTER)
    cancel_unclaimed_on_close = models.BooleanField(
        _("niet opgehaalde kaartjes vervallen aan het eind"), default=True,
        help_text=_("Alleen bij ophalen. De wachtlijst vervalt aan het eind altijd."))
    letter_text = models.TextField(_("brieftekst bij de codes"), default=(
        "Fijn dat u zich ontspant. Met deze kaartjes kunt u gratis zwemmen. Laat de code "
        "zien bij de kassa."))
    letter_text_young = models.TextField(
        _("brieftekst bij de codes (jonge mantelzorgers, je)"), default=(
            "Fijn dat je je ontspant. Met deze kaartjes kun je gratis zwemmen. Laat de code "
            "zien bij de kassa."))
    invitation_subject = models.CharField(_("onderwerp uitnodiging"), max_length=150,
                                          blank=True)
    invitation_text = models.TextField(
        _("tekst uitnodiging"), blank=True,
        help_text=_("Gaat bij de start naar iedereen die het mag aanvragen, per e-mail of "
                    "post. Leeg: geen uitnodiging. Markdown mag."))
    invitation = models.ForeignKey("worker.Newsletter", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")),
                                   name="campaign_period_ordered"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            errors["ends_on"] = _("De einddatum moet na de begindatum liggen.")
        if self.code_source == CodeSource.PHYSICAL and not self.stock_total:
            errors["stock_total"] = _("Bij fysieke kaarten: vul in hoeveel kaarten er zijn.")
        if (self.pk and self.code_source == CodeSource.PHYSICAL
                and self.codes.exists()):
            errors["code_source"] = _(
                "Er zijn al codes geladen of gemaakt. Kies 'lijst van de leverancier' of "
                "'eigen codes', of maak een nieuwe campagne voor fysieke kaarten.")
        if errors:
            raise ValidationError(errors)

    @property
    def physical(self) -> bool:
        return self.code_source == CodeSource.PHYSICAL

    def is_open(self, day) -> bool:
        return self.closed_at is None and self.starts_on <= day <= self.ends_on

    def allowed_states(self) -> list[str]:
        """Who may have it: active caregivers, and former ones if the campaign says so."""
        return [State.ACTIEF, State.VOORMALIG] if self.include_former else [State.ACTIEF]


class CampaignRequestState(models.TextChoices):
    AANGEVRAAGD = "aangevraagd", _("Aangevraagd")
    TOEGEKEND = "toegekend", _("Toegekend")
    VERSTUURD = "verstuurd", _("Verstuurd")
    OPGEHAALD = "opgehaald", _("Opgehaald")
    WACHTLIJST = "wachtlijst", _("Op de wachtlijst")
    # No stock left in a campaign without a waiting list: the request stands and is served
    # as soon as codes (or cards) are added.
    WACHT_OP_CODES = "wacht_codes", _("Wacht op codes")
    GEANNULEERD = "geannuleerd", _("Geannuleerd")
    AFGEWEZEN = "afgewezen", _("Afgewezen")


class CampaignRoute(models.TextChoices):
    SELF_SERVICE = "mijn_gegevens", _("Via Mijn gegevens")
    PUBLIC_FORM = "formulier", _("Via het formulier op de website")
    DESK = "balie", _("Aan de balie of telefoon (consulent)")
    EVERYONE = "iedereen", _("Voor iedereen (zonder aanvraag)")


class CampaignRequest(ConcurrentTransitionMixin, models.Model):
    """One caregiver's request in one campaign (at most one: a database constraint)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="requests")
    caregiver = models.ForeignKey("registrations.Caregiver", on_delete=models.PROTECT,
                                  related_name="campaign_requests")
    # Letters the mail engine sent about this request (worker.Letter.about).
    letters = GenericRelation("worker.Letter", content_type_field="about_type",
                              object_id_field="about_id", related_query_name="campaign_request")
    route = models.CharField(_("aangevraagd"), max_length=14, choices=CampaignRoute.choices)
    state = FSMField(_("status"), max_length=12, choices=CampaignRequestState.choices,
                     default=CampaignRequestState.AANGEVRAAGD, protected=True)
    requested_at = models.DateTimeField(_("aangevraagd op"))
    granted_at = models.DateTimeField(_("toegekend op"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Asked with DigiD Machtigen: pseudonyms of the caregiver's BSN and of the BSN of who
    # acted for them (as on waardering requests; registrations/digid.py).
    mandate_representee = models.CharField(_("vertegenwoordigde (pseudoniem)"), max_length=64,
                                           blank=True, editable=False)
    mandate_representative = models.CharField(_("gemachtigde (pseudoniem)"), max_length=64,
                                              blank=True, editable=False)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("campagne-aanvraag")
        verbose_name_plural = _("campagne-aanvragen")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "caregiver"],
                                    name="one_request_per_caregiver_per_campaign"),
            models.CheckConstraint(
                condition=~Q(state__in=["toegekend", "verstuurd", "opgehaald"])
                | Q(granted_at__isnull=False), name="granted_request_has_date"),
        ]
        indexes = [models.Index(fields=["campaign", "state", "requested_at", "id"])]

    def __str__(self):
        return f"{self.campaign} #{self.pk}"

    # --- the state machine (only appreciation/campaigns/services.py calls these) -----------------
    @logged_transition(field=state, source=[CampaignRequestState.AANGEVRAAGD,
                                            CampaignRequestState.WACHTLIJST,
                                            CampaignRequestState.WACHT_OP_CODES],
                       target=CampaignRequestState.TOEGEKEND)
    def grant(self, by=None, description=None):
        """Codes were reserved for this request (by the caller, in the same transaction)."""

    @logged_transition(field=state, source=CampaignRequestState.AANGEVRAAGD,
                       target=CampaignRequestState.WACHTLIJST)
    def wait(self, by=None, description=None):
        pass

    @logged_transition(field=state, source=CampaignRequestState.AANGEVRAAGD,
                       target=CampaignRequestState.WACHT_OP_CODES)
    def await_codes(self, by=None, description=None):
        """Stock ran out in a campaign without a waiting list (the coordinator is warned)."""

    @logged_transition(field=state, source=CampaignRequestState.TOEGEKEND,
                       target=CampaignRequestState.VERSTUURD)
    def mark_sent(self, by=None, description=None):
        """The letter with the codes went out (e-mail sent or print batch printed), or staff
        posted the physical card."""

    @logged_transition(field=state, source=CampaignRequestState.TOEGEKEND,
                       target=CampaignRequestState.OPGEHAALD, permission=is_staff_member)
    def mark_picked_up(self, by=None, description=None):
        pass

    @logged_transition(field=state, source=[CampaignRequestState.AANGEVRAAGD,
                                            CampaignRequestState.WACHTLIJST,
                                            CampaignRequestState.WACHT_OP_CODES,
                                            CampaignRequestState.TOEGEKEND],
                       target=CampaignRequestState.GEANNULEERD)
    def cancel(self, by=None, description=None):
        """Codes not yet sent or picked up go back into stock (the caller frees them)."""

    @logged_transition(field=state, source=[CampaignRequestState.AANGEVRAAGD,
                                            CampaignRequestState.WACHTLIJST,
                                            CampaignRequestState.WACHT_OP_CODES],
                       target=CampaignRequestState.AFGEWEZEN)
    def reject(self, by=None, description=None):
        """No longer registered or active when it was their turn."""


class TicketCode(models.Model):
    """One ticket's code. Free while `request` is empty; a code row belongs to one request
    at most, so a code can never be given twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=40)
    request = models.ForeignKey(CampaignRequest, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="codes")
    assigned_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField()
    generated = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="code_once_per_campaign"),
            models.CheckConstraint(condition=Q(request__isnull=True)
                                   | Q(assigned_at__isnull=False),
                                   name="assigned_code_has_date"),
        ]
        indexes = [models.Index(fields=["campaign", "id"], condition=Q(request__isnull=True),
                                name="free_codes")]

    def __str__(self):
        return self.code
