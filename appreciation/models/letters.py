"""The appreciation app's letter kinds; their templates and texts are registered with the
mail engine in appreciation/letters.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppreciationLetter(models.TextChoices):
    WAARDERING_RECEIPT = "waardering_ontvangen", _("Waardering: aanvraag ontvangen")
    WAARDERING_CONFIRM = "waardering_bevestigen", _("Waardering: graag bevestigen")
    WAARDERING_APPROVED = "waardering_goedgekeurd", _("Waardering: goedgekeurd")
    WAARDERING_REJECTED = "waardering_afgewezen", _("Waardering: afgewezen")
    WAARDERING_INFO = "waardering_vraag", _("Waardering: vraag om aanvulling")
    WAARDERING_DUPLICATE = "waardering_dubbel", _("Waardering: al aangevraagd")
    # (Letter.kind holds 24 characters.)
    WAARDERING_SET_ASIDE = "waardering_buiten_beh", _("Waardering: buiten behandeling")
    WAARDERING_VOUCHER = "waardering_bon", _("Waardering: cadeaubon")
    WAARDERING_RENEWAL = "waardering_opnieuw", _("Waardering: uitnodiging opnieuw aanvragen")
    CAMPAIGN_CODES = "campagne_codes", _("Campagne: kaartjes of codes")
    CAMPAIGN_WAITLIST = "campagne_wachtlijst", _("Campagne: op de wachtlijst")
    CAMPAIGN_CANCELLED = "campagne_vervallen", _("Campagne: aanvraag vervallen")
    CAMPAIGN_DUPLICATE = "campagne_dubbel", _("Campagne: al aangevraagd")
    CAMPAIGN_NOT_ACTIVE = "campagne_niet_actief", _("Campagne: inschrijving niet actief")
