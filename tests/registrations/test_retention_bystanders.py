"""The nightly retention job touches the people it is about and no one else.

Two people with the same kinds of data everywhere (care recipient, guardian, consents, a
sign-in token, an import line, letters with error texts, follow-up tasks, a contact
moment, a self-check, a waardering request and a campaign request asked under a DigiD
mandate, with texts staff typed in their logs): Gone, whose registration ends and is
erased, and Blijft, who stays. Gone's caregiver id equals the id of Blijft's campaign
request and the other way round, as ids of different tables do in production: a log entry
is known by its model *and* its id.

And: an unconfirmed registration made through a waardering request stays while the request
may still be paid, in every such state of the request, and expires in the others.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_fsm_log.models import StateLog

from appreciation.campaigns import services as campaigns
from appreciation.models import (
    AgeGroup,
    AppreciationRequest,
    CampaignRequest,
    CampaignRoute,
    PaymentBatch,
    PayoutForm,
    RejectionReason,
    RequestState,
    Route,
)
from appreciation.waardering import services as waardering
from core import clock
from insight import services as insight
from insight.models import BurdenCheck, ContactKind, ContactMoment, FollowUpTask
from registrations import retention, services
from registrations.burden import CheckContext
from registrations.imports.models import ImportRow, ImportState, RegistryImport
from registrations.models import (
    AccessToken,
    CareEndReason,
    Caregiver,
    CareRecipient,
    ConsentRecord,
    EndReason,
    Guardian,
    State,
)
from tests.factories import (
    AppreciationYearFactory,
    CampaignFactory,
    CaregiverFactory,
    GuardianFactory,
    NewsletterFactory,
    RetentionNoticeFactory,
)
from tests.support import link_token, submit
from worker.models import Delivery, DeliveryStatus, Letter, LetterStatus

AMS = ZoneInfo("Europe/Amsterdam")
# Far above what the sequences hand out in a test run: ids chosen to collide across tables.
GONE_ID, STAYS_ID = 900_001, 900_002

# Caregiver fields that stay after erasure (codes, dates and links for the counts). Every
# other field is personal and must be empty afterwards; a new field must be placed here or
# be erased.
CAREGIVER_KEPT = {
    "id", "district", "channel", "wants_newsletter", "state", "source", "registered_on",
    "activated_on", "care_ended_on", "care_end_reason", "ended_on", "end_reason", "erased_on",
    "merged_into", "checked_by_consulent_at", "submission_key", "registry_import",
    "legal_basis", "created_at",
    "postcode", "date_of_birth",  # shortened: the wijk and the year of birth
    "version",  # how many times the details were edited: a counter, nothing personal
    "language",  # back to Dutch, the default: checked apart below
}
# The same for a waardering request: year, state, amounts and references (bookkeeping).
REQUEST_KEPT = {
    "id", "year", "caregiver", "route", "caregiver_confirmed_at", "needs_confirmation",
    "confirm_expires_at", "caregiver_was_unknown", "hours_per_week", "care_since",
    "age_group", "payout_form", "amount_cents", "state", "checks_passed", "rejection_reason",
    "info_due_on", "decided_at", "decided_by", "payment_batch", "voucher_code",
    "submission_key", "submitted_at",
    "recipient_postcode",  # shortened to the four digits
}
EMPTY = ("", None, False, [], {})


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour,
                                                 tzinfo=AMS), tick=False)


def personal_fields_left(row, kept: set[str]) -> dict:
    """The fields of `row` outside `kept` that still hold something."""
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields
            if field.name not in kept and getattr(row, field.attname) not in EMPTY}


def someone(pk: int, name: str, year, campaign, consulent, campaign_request_id: int):
    """A caregiver with data in every place the erasure must reach."""
    caregiver = CaregiverFactory(
        pk=pk, first_name=name, last_name=f"{name}sma", complete=True,
        email=f"{name.lower()}@example.nl", external_id=f"K-{name}",
        parent_of_disabled_child=True, migration_background=True, duplicate_check=True,
        language="tr",
        target_group_consent_at=datetime.datetime(2023, 5, 1, tzinfo=AMS))
    GuardianFactory(caregiver=caregiver, name=f"Voogd van {name}", email="voogd@example.nl")
    link_token(caregiver)
    # Still running (its lines are kept until 30 days after it finished).
    registry_import = RegistryImport.objects.create(original_name="oud-systeem.csv",
                                                    state=ImportState.RUNNING)
    ImportRow.objects.create(registry_import=registry_import, caregiver=caregiver, line=2,
                             outcome="nieuw",
                             name=f"{name} {name}sma", data={"Voornaam": name},
                             reasons=[f"{name} had geen e-mailadres"])
    RetentionNoticeFactory(caregiver=caregiver, status=LetterStatus.SENT,
                           dedupe_key=f"verstuurd:{name}", error=f"550 {name} onbekend")
    Delivery.objects.create(newsletter=NewsletterFactory(), caregiver=caregiver,
                            channel="email", status=DeliveryStatus.FAILED,
                            error=f"550 <{name.lower()}@example.nl> unknown")
    insight.record_burden_check(caregiver, [3, 3, 3, 3, 3], CheckContext.SELF_SERVICE)
    # The call back the heavy self-check asked for, done by a home visit.
    insight.record_contact(caregiver, consulent, on=datetime.date(2023, 6, 1),
                           kind=ContactKind.HOME_VISIT, outcome=f"{name} zoekt respijtzorg",
                           task=FollowUpTask.objects.get(caregiver=caregiver))
    request = AppreciationRequest.objects.create(
        year=year, caregiver=caregiver, route=Route.ON_BEHALF,
        requester_name=f"Dochter van {name}", requester_relation="dochter",
        requester_contact="0611122233", typed_name=name, confirm_nonce="nonce",
        confirm_code_hash="hash", recipient_name=f"Naaste van {name}",
        recipient_postcode="3845AB", recipient_house_number="12a", hours_per_week=20,
        care_since=datetime.date(2019, 3, 1), age_group=AgeGroup.ADULT,
        payout_form=PayoutForm.BANK, amount_cents=7500, iban="NL91ABNA0417164300",
        account_holder=f"{name} {name}sma", checks=[{"code": "registered", "note": name}],
        info_question=f"Zorgt {name} nog?", info_answer="Ja, elke dag",
        submitted_at=datetime.datetime(2023, 9, 15, tzinfo=AMS))
    waardering.reject(request, consulent, RejectionReason.OTHER, f"{name} is verhuisd")
    campaign_request = CampaignRequest.objects.create(
        pk=campaign_request_id, campaign=campaign, caregiver=caregiver,
        route=CampaignRoute.DESK, requested_at=datetime.datetime(2023, 6, 1, tzinfo=AMS),
        # Asked with DigiD Machtigen: the pseudonyms of the person and of who acted.
        mandate_representee=f"pseudoniem-{name}", mandate_representative=f"gemachtigde-{name}")
    campaigns.cancel(campaign_request, by=consulent, reason=f"{name} wil niet meer")
    return caregiver


def log_texts(obj) -> list:
    return sorted(StateLog.objects.for_(obj).exclude(description=None)
                  .values_list("transition", "description"))


def open_tasks(caregiver) -> int:
    return FollowUpTask.objects.filter(caregiver=caregiver, done_at__isnull=True,
                                       cancelled_at__isnull=True).count()


def everything_of(caregiver) -> dict:
    """All that is stored about `caregiver`, for 'untouched' checks."""
    fields = ["pk", "first_name", "email", "phone", "parent_of_disabled_child",
              "email_confirmed_at", "external_id", "postcode", "date_of_birth", "state",
              "duplicate_check"]
    request = AppreciationRequest.objects.get(caregiver=caregiver)
    campaign_request = CampaignRequest.objects.get(caregiver=caregiver)
    return {
        "caregiver": Caregiver.objects.filter(pk=caregiver.pk).values(*fields).get(),
        "caregiver log": log_texts(caregiver),
        "related": [model.objects.filter(caregiver=caregiver).count() for model in (
            CareRecipient, Guardian, ConsentRecord, AccessToken)],
        "import": list(ImportRow.objects.filter(caregiver=caregiver)
                       .values_list("name", "data", "reasons")),
        "letters": sorted(Letter.objects.filter(caregiver=caregiver)
                          .values_list("dedupe_key", "status", "error")),
        "deliveries": list(Delivery.objects.filter(caregiver=caregiver)
                           .values_list("status", "error")),
        "tasks": sorted(FollowUpTask.objects.filter(caregiver=caregiver).values_list(
            "kind", "due_on", "cancelled_at", "cancel_reason")),
        "contacts": list(ContactMoment.objects.filter(caregiver=caregiver)
                         .values_list("on", "outcome")),
        "checks": list(BurdenCheck.objects.filter(caregiver=caregiver)
                       .values_list("score", "answers")),
        "request": {f.attname: getattr(request, f.attname)
                    for f in request._meta.concrete_fields},
        "request log": log_texts(request),
        "campaign log": log_texts(campaign_request),
        "mandate": (campaign_request.mandate_representee,
                    campaign_request.mandate_representative),
    }


@pytest.mark.django_db
def test_the_job_ends_and_erases_only_its_own_people(consulent):
    year, campaign = AppreciationYearFactory(), CampaignFactory()
    with at(datetime.date(2024, 1, 1)):
        # Blijft's campaign request has Gone's id, and Gone's has Blijft's.
        gone = someone(GONE_ID, "Gone", year, campaign, consulent, campaign_request_id=STAYS_ID)
        stays = someone(STAYS_ID, "Blijft", year, campaign, consulent,
                        campaign_request_id=GONE_ID)
        services.end_care(gone, on=datetime.date(2024, 1, 1), reason=CareEndReason.OVERLIJDEN)
    with at(datetime.date(2025, 6, 1)):
        services.end_care(stays, on=datetime.date(2025, 6, 1), reason=CareEndReason.OVERLIJDEN)
    assert open_tasks(gone) == 3 and open_tasks(stays) == 3  # aftercare after a death

    # Gone's two years are over: the registration ends and Gone's open tasks are cancelled.
    before = everything_of(stays)
    with at(datetime.date(2026, 1, 10), hour=2):
        assert retention.run_daily() == retention.RetentionResult(ended=1)
    assert fresh_state(gone) == State.BEEINDIGD and open_tasks(gone) == 0
    assert sorted((task.kind, task.done_at is None, task.cancel_reason)
                  for task in FollowUpTask.objects.filter(caregiver=gone)) == [
        ("nazorg", True, "Bewaartermijn voorbij")] * 3 + [("overbelasting", False, "")]
    assert everything_of(stays) == before
    assert open_tasks(stays) == 3

    # Blijft ends the registration too, one day before Gone's grace period is over.
    with at(datetime.date(2026, 2, 8)):
        services.end_registration(stays, reason=EndReason.OWN_REQUEST, by=consulent)
    stays_before = everything_of(stays)
    assert FollowUpTask.objects.filter(caregiver=stays).exclude(cancel_reason="").count() == 3

    with at(datetime.date(2026, 2, 9), hour=2):
        assert retention.run_daily() == retention.RetentionResult(erased=1)
    assert everything_of(stays) == stays_before  # the grace period: nothing erased yet

    gone = Caregiver.objects.get(pk=gone.pk)
    assert gone.state == State.GEWIST and gone.erased_on == datetime.date(2026, 2, 9)
    assert personal_fields_left(gone, CAREGIVER_KEPT) == {}
    assert gone.language == "nl"  # the language chosen can say where someone comes from
    assert (gone.postcode, gone.date_of_birth) == ("3845", datetime.date(1950, 1, 1))
    for model in (CareRecipient, Guardian, ConsentRecord, AccessToken):
        assert not model.objects.filter(caregiver=gone).exists(), model
    assert list(ImportRow.objects.filter(caregiver=gone).values_list(
        "name", "data", "reasons")) == [("", {}, [])]
    letters = Letter.objects.filter(caregiver=gone)
    assert letters.get(dedupe_key="verstuurd:Gone").error == ""
    # Letters not yet sent would go out with an empty name: cancelled.
    assert set(letters.exclude(dedupe_key="verstuurd:Gone").values_list(
        "status", "error")) == {(LetterStatus.CANCELLED, "Gegevens gewist")}
    assert list(Delivery.objects.filter(caregiver=gone).values_list("status", "error")) == [
        (DeliveryStatus.FAILED, "")]
    assert list(ContactMoment.objects.filter(caregiver=gone).values_list(
        "kind", "outcome")) == [(ContactKind.HOME_VISIT, "")]
    assert list(BurdenCheck.objects.filter(caregiver=gone).values_list(
        "score", "heavy", "answers")) == [(15, True, [])]
    assert not FollowUpTask.objects.filter(caregiver=gone).exclude(cancel_reason="").exists()
    request = AppreciationRequest.objects.get(caregiver=gone)
    assert personal_fields_left(request, REQUEST_KEPT) == {}
    assert (request.state, request.amount_cents, request.recipient_postcode) == (
        RequestState.AFGEWEZEN, 7500, "3845")
    assert log_texts(gone) == [("erase", "Gegevens gewist")]
    assert log_texts(request) == []
    campaign_request = CampaignRequest.objects.get(caregiver=gone)
    assert log_texts(campaign_request) == []
    # Who asked under a DigiD mandate, and for whom, goes; the request itself stays.
    assert (campaign_request.mandate_representee, campaign_request.mandate_representative,
            campaign_request.state) == ("", "", "geannuleerd")
    # Blijft's pseudonyms and "mogelijk dubbel" were not touched (everything_of above).
    assert stays_before["mandate"] == ("pseudoniem-Blijft", "gemachtigde-Blijft")
    assert stays_before["caregiver"]["duplicate_check"] is True


def fresh_state(caregiver) -> str:
    return Caregiver.objects.get(pk=caregiver.pk).state


# --- unconfirmed registrations made through a waardering request ---------------------------

KEPT_WHILE = {
    RequestState.INGEDIEND: True,
    RequestState.IN_BEHANDELING: True,
    RequestState.AANVULLING_NODIG: True,
    RequestState.GOEDGEKEURD: True,
    RequestState.IN_BETAALBATCH: True,
    RequestState.AFGEWEZEN: False,
    RequestState.UITBETAALD: False,
    RequestState.INGETROKKEN: False,
}


@pytest.mark.django_db
@pytest.mark.parametrize("state, kept", KEPT_WHILE.items())
def test_an_unconfirmed_registration_stays_while_its_request_may_be_paid(
        state, kept, waardering_day, waardering_year, coordinator):
    request = submit()
    assert request.caregiver.state == State.AANGEMELD
    batch = PaymentBatch.objects.create(year=waardering_year, payout_form=PayoutForm.BANK,
                                        created_at=clock.now(), created_by=coordinator)
    AppreciationRequest.objects.filter(pk=request.pk).update(
        state=state, rejection_reason=RejectionReason.TOO_SHORT,
        payment_batch=batch if state in {"in_betaalbatch", "uitbetaald"} else None)
    plain = CaregiverFactory(first_name="Zonder", state=State.AANGEMELD,
                             registered_on=request.caregiver.registered_on)
    later = request.caregiver.registered_on + datetime.timedelta(days=61)
    with at(later, hour=2):
        assert retention.run_daily().expired == (1 if kept else 2)
    assert fresh_state(plain) == State.BEEINDIGD
    assert fresh_state(request.caregiver) == (State.AANGEMELD if kept else State.BEEINDIGD)
    with at(later + datetime.timedelta(days=30), hour=2):
        retention.run_daily()
    request.refresh_from_db()
    assert fresh_state(request.caregiver) == (State.AANGEMELD if kept else State.GEWIST)
    assert bool(request.iban) == kept  # erased only when the request no longer needs it
