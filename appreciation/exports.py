"""The appreciation app's part of the AVG data download (Mijn gegevens, art. 15 and 20):
the caregiver's waardering requests and campaign requests, with everything stored on them.

Registered in AppConfig.ready() with registrations.extensions.add_to_data_export; the
registrations cannot import this app. Every query filters on the one caregiver.

Someone who asked on the caregiver's behalf is named with their relation, but their own
contact details (`requester_contact`) are left out: they are that person's data, and the
caregiver's right of access does not reach them (AVG art. 15(4)).
"""


from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from core.formats import euros, export_choice, export_value
from registrations.extensions import add_to_data_export

from .models import AppreciationRequest, CampaignRequest


def _history(row) -> list[dict]:
    """State changes of a request; staff are not named, only marked (as for the caregiver)."""
    states = dict(type(row)._meta.get_field("state").choices)
    return [{
        "op": export_value(log.timestamp),
        "naar": {"code": log.state, "tekst": str(states.get(log.state, log.state))},
        "omschrijving": log.description or "",
        "door_medewerker": log.by_id is not None,
    } for log in StateLog.objects.for_(row).order_by("timestamp", "pk")]


def waardering_requests(caregiver) -> list[dict]:
    requests = (AppreciationRequest.objects.filter(caregiver=caregiver)
                .select_related("year", "payment_batch").order_by("submitted_at", "pk"))
    return [{
        "jaar": request.year.year,
        "referentie": request.reference,
        "aangevraagd": export_choice(request, "route"),
        "ingediend_op": export_value(request.submitted_at),
        "ingevulde_naam": request.typed_name,
        "aangevraagd_door": request.requester_name,
        "relatie_aanvrager": request.requester_relation,
        "bevestigd_door_mantelzorger_op": export_value(request.caregiver_confirmed_at),
        "naam_naaste": request.recipient_name,
        "postcode_naaste": request.recipient_postcode,
        "huisnummer_naaste": request.recipient_house_number,
        "uren_zorg_per_week": request.hours_per_week,
        "zorgt_sinds": export_value(request.care_since),
        "leeftijdsgroep": export_choice(request, "age_group"),
        "uitbetaling": export_choice(request, "payout_form"),
        "bedrag": euros(request.amount_cents),
        "iban": request.iban,
        "tenaamstelling": request.account_holder,
        "status": export_choice(request, "state"),
        "controles": [{"controle": check.get("label", ""), "goed": bool(check.get("ok")),
                       "toelichting": check.get("detail", "")} for check in request.checks],
        "reden_afwijzing": export_choice(request, "rejection_reason"),
        "toelichting_afwijzing": request.rejection_text,
        "vraag_van_ons": request.info_question,
        "antwoord": request.info_answer,
        "antwoord_uiterlijk": export_value(request.info_due_on),
        "besloten_op": export_value(request.decided_at),
        "boncode": request.voucher_code,
        "betaalronde": request.payment_batch.message_id if request.payment_batch else "",
        "uitbetaald_op": export_value(request.payment_batch.paid_at if request.payment_batch
                              else None),
        "geschiedenis": _history(request),
    } for request in requests]


def campaign_requests(caregiver) -> list[dict]:
    requests = (CampaignRequest.objects.filter(caregiver=caregiver).select_related("campaign")
                .prefetch_related("codes").order_by("requested_at", "pk"))
    return [{
        "campagne": request.campaign.name,
        "aangevraagd": export_choice(request, "route"),
        "aangevraagd_op": export_value(request.requested_at),
        "status": export_choice(request, "state"),
        "toegekend_op": export_value(request.granted_at),
        "codes": [code.code for code in request.codes.all()],
        "geschiedenis": _history(request),
    } for request in requests]


def register() -> None:
    add_to_data_export("waarderingsaanvragen", _("Mantelzorgwaardering"), waardering_requests)
    add_to_data_export("campagne_aanvragen", _("Zwemkaartjes en andere campagnes"),
                       campaign_requests)
