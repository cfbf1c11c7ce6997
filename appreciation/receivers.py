"""How the appreciation app hears news from the layers below it (connected in ready())."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import JSONField, Q, Value
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from registrations.extensions import add_to_caregiver_page
from registrations.models import Caregiver
from registrations.retention import keep_unconfirmed_while
from registrations.signals import caregiver_checked, caregivers_erased
from worker.registry import register_audience
from worker.signals import letters_sent

from .campaigns.services import letters_sent as campaign_letters_sent
from .models import OPEN_STATES, AppreciationRequest, Campaign, CampaignRequest
from .waardering import services as waardering
from .waardering.payment_files import remove_payment_files_of

# Registered through a waardering request that is still being handled or paid: the request
# needs the registration until it is decided and paid.
WAARDERING_KEEPS_REGISTRATION = ["ingediend", "in_behandeling", "aanvulling_nodig",
                                 "goedgekeurd", "in_betaalbatch"]


def waardering_in_progress() -> Q:
    return Q(appreciation_requests__state__in=WAARDERING_KEEPS_REGISTRATION)


def _forget_log_descriptions(model, rows) -> None:
    """What staff typed when a request changed (a reason, a name) goes; the states stay."""
    StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=rows.values("pk"),
    ).exclude(description=None).update(description=None)


def erase_waardering_requests(sender=None, caregiver_ids=None, **kwargs) -> int:
    """Waardering requests keep year, state, age group and amount (anonymous counts for the
    annual report, and the bookkeeping); the bank account, names, address, questions,
    answers and check details go, and so does the file of a paid batch holding them."""
    requests = AppreciationRequest.objects.filter(caregiver__in=caregiver_ids)
    _forget_log_descriptions(AppreciationRequest, requests)
    remove_payment_files_of(requests)
    return requests.update(
        iban=Value(""), account_holder=Value(""), recipient_name=Value(""),
        recipient_house_number=Value(""), recipient_postcode=Substr("recipient_postcode", 1, 4),
        requester_name=Value(""), requester_relation=Value(""), requester_contact=Value(""),
        typed_name=Value(""), confirm_nonce=Value(""), confirm_code_hash=Value(""),
        mandate_representee=Value(""), mandate_representative=Value(""),
        rejection_text=Value(""), info_question=Value(""), info_answer=Value(""),
        checks=Value([], output_field=JSONField()),
    )


def erase_campaign_requests(sender=None, caregiver_ids=None, **kwargs) -> None:
    """Campaign requests keep campaign, state, dates and codes (stock and counts); the
    reasons staff typed in their log (e.g. why one was cancelled) and the DigiD Machtigen
    pseudonyms go."""
    requests = CampaignRequest.objects.filter(caregiver__in=caregiver_ids)
    _forget_log_descriptions(CampaignRequest, requests)
    requests.update(mandate_representee=Value(""), mandate_representative=Value(""))


def codes_letters_sent(sender=None, letters=(), **kwargs) -> None:
    """A campaign's codes letter that went out moves its request to 'verstuurd'."""
    ids = [letter.pk for letter in letters if letter.about_id]
    if ids:
        campaign_letters_sent(ids)


def campaign_audience(filters: dict):
    """A campaign's invitation goes to everyone who may ask (the campaign's allowed states)."""
    campaign = Campaign.objects.filter(pk=filters["campaign"]).first()
    if campaign is None:
        return Caregiver.objects.none()
    return Caregiver.objects.filter(state__in=campaign.allowed_states())


def registration_checked(sender=None, caregiver=None, **kwargs) -> None:
    waardering.recheck_after_registration_check(caregiver)


def check_asked(caregiver) -> dict:
    """The caregiver page offers "Gecontroleerd" (and says why) while a waardering request
    of someone who registered through it waits for a consulent's check."""
    waiting = (caregiver.checked_by_consulent_at is None
               and AppreciationRequest.objects.filter(
                   caregiver=caregiver, caregiver_was_unknown=True,
                   state__in=OPEN_STATES).exists())
    return {"check_asked_because": [
        _("Ingeschreven via een aanvraag voor de mantelzorgwaardering. Die wordt pas "
          "betaald als een consulent de inschrijving heeft gecontroleerd.")] if waiting else []}


# Runs once, in AppConfig.ready(), before `make mutate` forks its mutant processes: a mutant
# here could never run, so none is made. The behaviour tests fail when a receiver is missing.
def connect() -> None:  # pragma: no mutate block
    keep_unconfirmed_while(waardering_in_progress)
    caregivers_erased.connect(erase_waardering_requests, dispatch_uid="appreciation.erase")
    caregivers_erased.connect(erase_campaign_requests,
                              dispatch_uid="appreciation.erase_campaigns")
    letters_sent.connect(codes_letters_sent, dispatch_uid="appreciation.codes_sent")
    caregiver_checked.connect(registration_checked, dispatch_uid="appreciation.checked")
    add_to_caregiver_page(check_asked)
    register_audience("campaign", campaign_audience,
                      email_template="appreciation/campaigns/emails/campagne_uitnodiging_email")
