"""One form of address per person: every letter and e-mail a caregiver can get says "je" to
a young caregiver and "u" to an adult, in the subject, the e-mail and the paper letter,
never a mix ("Hoi Sem, … U heeft").

Each registered letter kind is rendered in each of its variants (on someone's behalf, a
voucher, pick-up, the attentie, …) for a 19-year-old and a 60-year-old."""

import datetime
import html
import re

import pytest
from django.template.loader import render_to_string

from appreciation.models import (
    AppreciationLetter,
    CampaignRequest,
    CampaignRequestState,
    CampaignRoute,
    Handout,
    PayoutForm,
    RejectionReason,
    RenewalInvitation,
    RequestState,
    Route,
)
from core import clock
from registrations.models import RegistrationLetter
from tests.factories import (
    AppreciationRequestFactory,
    CampaignFactory,
    CaregiverFactory,
    NewsletterFactory,
    years_ago,
)
from worker.letters import email_body, letter_html, letter_subject
from worker.models import Letter, LetterKind
from worker.registry import letter_types

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]

FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
K = AppreciationLetter


def words(text: str) -> str:
    """What a person reads: tags and comments dropped, entities as characters."""
    text = re.sub(r"<!--.*?-->|<style.*?</style>", " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def mixed(text: str, young: bool) -> list[str]:
    """The words of the other form of address found in `text`."""
    return (FORMAL if young else INFORMAL).findall(words(text))


def _request(caregiver, year, **fields):
    return AppreciationRequestFactory(caregiver=caregiver, year=year, **fields)


def _campaign_request(caregiver, state=CampaignRequestState.TOEGEKEND, granted=True,
                      **campaign_fields):
    campaign = CampaignFactory(**campaign_fields)
    return CampaignRequest.objects.create(
        campaign=campaign, caregiver=caregiver, route=CampaignRoute.SELF_SERVICE,
        requested_at=clock.now(), granted_at=clock.now() if granted else None, state=state)


def _renewal(caregiver, year):
    """An invitation to ask again, after a request that was paid."""
    previous = _request(caregiver, year, state=RequestState.UITBETAALD, decided_at=clock.now())
    return RenewalInvitation.objects.create(
        year=year, caregiver=caregiver, previous=previous, nonce=f"nonce-{caregiver.pk}",
        code_hash=f"hash-{caregiver.pk}", created_at=clock.now())


# kind: [(variant, builds what the letter is about from (caregiver, year))]
VARIANTS = {
    K.WAARDERING_RECEIPT: [
        ("self", lambda c, y: _request(c, y)),
        ("on behalf", lambda c, y: _request(c, y, route=Route.ON_BEHALF,
                                            requester_name="Jan de Vries"))],
    K.WAARDERING_CONFIRM: [
        ("self", lambda c, y: _request(c, y, caregiver_confirmed_at=None)),
        ("on behalf", lambda c, y: _request(c, y, route=Route.ON_BEHALF,
                                            requester_name="Jan de Vries",
                                            caregiver_confirmed_at=None))],
    K.WAARDERING_DUPLICATE: [("self", lambda c, y: _request(c, y))],
    K.WAARDERING_APPROVED: [
        ("bank", lambda c, y: _request(c, y, state=RequestState.GOEDGEKEURD,
                                       decided_at=clock.now())),
        ("voucher", lambda c, y: _request(c, y, state=RequestState.GOEDGEKEURD,
                                          decided_at=clock.now(),
                                          payout_form=PayoutForm.VOUCHER, iban="",
                                          voucher_code="BON-1234"))],
    K.WAARDERING_REJECTED: [
        ("hours", lambda c, y: _request(c, y, state=RequestState.AFGEWEZEN,
                                        decided_at=clock.now(),
                                        rejection_reason=RejectionReason.TOO_FEW_HOURS)),
        ("no answer", lambda c, y: _request(c, y, state=RequestState.AFGEWEZEN,
                                            decided_at=clock.now(),
                                            rejection_reason=RejectionReason.NO_ANSWER,
                                            info_due_on=datetime.date(2026, 9, 1)))],
    K.WAARDERING_INFO: [
        ("question", lambda c, y: _request(c, y, state=RequestState.AANVULLING_NODIG,
                                           info_question="Sinds wanneer zorgt de mantelzorger?",
                                           info_due_on=datetime.date(2026, 10, 13)))],
    K.WAARDERING_SET_ASIDE: [
        ("no answer", lambda c, y: _request(c, y, state=RequestState.BUITEN_BEHANDELING,
                                            decided_at=clock.now(),
                                            info_question="Sinds wanneer is de zorg begonnen?",
                                            info_due_on=datetime.date(2026, 9, 1)))],
    K.WAARDERING_VOUCHER: [
        ("voucher", lambda c, y: _request(c, y, state=RequestState.GOEDGEKEURD,
                                          decided_at=clock.now(),
                                          payout_form=PayoutForm.VOUCHER, iban="",
                                          voucher_code="BON-1234"))],
    K.WAARDERING_RENEWAL: [("invited", _renewal)],
    K.CAMPAIGN_CODES: [
        ("codes", lambda c, y: _campaign_request(c)),
        ("pick-up", lambda c, y: _campaign_request(c, handout=Handout.PICKUP)),
        ("attentie", lambda c, y: _campaign_request(c, kind="attentie",
                                                    requires_request=False))],
    K.CAMPAIGN_WAITLIST: [
        ("waiting", lambda c, y: _campaign_request(c, CampaignRequestState.WACHTLIJST,
                                                   granted=False))],
    K.CAMPAIGN_CANCELLED: [
        ("not active", lambda c, y: _campaign_request(c, CampaignRequestState.AFGEWEZEN,
                                                      granted=False)),
        ("not picked up", lambda c, y: _campaign_request(c, CampaignRequestState.GEANNULEERD,
                                                         handout=Handout.PICKUP)),
        ("none left", lambda c, y: _campaign_request(c, CampaignRequestState.GEANNULEERD,
                                                     granted=False))],
    K.CAMPAIGN_DUPLICATE: [("again", lambda c, y: _campaign_request(c))],
    K.CAMPAIGN_NOT_ACTIVE: [("not active", lambda c, y: CampaignFactory())],
    RegistrationLetter.RETENTION_NOTICE: [("former", lambda c, y: None)],
    RegistrationLetter.IMPORT_NOTICE: [("imported", lambda c, y: None)],
    LetterKind.NEWSLETTER: [("newsletter", lambda c, y: None)],
}

CASES = [(kind, variant, build) for kind, variants in VARIANTS.items()
         for variant, build in variants]


def test_every_letter_kind_is_checked():
    """A new letter kind must be added here, or its form of address goes unchecked."""
    assert set(letter_types()) == set(VARIANTS)


def _letter(kind, caregiver, about) -> Letter:
    extra = {"newsletter": NewsletterFactory(body="Op dinsdag is er inloop.")} \
        if kind == LetterKind.NEWSLETTER else {}
    if about is not None:
        extra["about"] = about
    return Letter.objects.create(kind=kind, caregiver=caregiver, created_at=clock.now(),
                                 dedupe_key=f"{kind}:{caregiver.pk}", channel="email", **extra)


@pytest.mark.parametrize("young", [True, False], ids=["young", "adult"])
@pytest.mark.parametrize(("kind", "variant", "build"), CASES,
                         ids=[f"{kind}-{variant}" for kind, variant, _ in CASES])
def test_a_letter_speaks_to_the_person_in_one_form(waardering_year, kind, variant, build,
                                                   young):
    caregiver = CaregiverFactory(first_name="Sem", date_of_birth=years_ago(19 if young else 60),
                                 former=kind == RegistrationLetter.RETENTION_NOTICE)
    letter = _letter(kind, caregiver, build(caregiver, waardering_year))
    subject, body, paper = letter_subject(letter), email_body(letter), letter_html(letter)
    for name, text in (("subject", subject), ("e-mail", body), ("letter", paper)):
        assert mixed(text, young) == [], f"{name}: {words(text)}"
    greeting = "Hoi Sem," if young else "Beste Sem Bakker,"
    if kind != LetterKind.NEWSLETTER:  # the newsletter's greeting is the coordinator's text
        assert greeting in body and greeting in words(paper)


@pytest.mark.parametrize("young", [True, False], ids=["young", "adult"])
@pytest.mark.parametrize("template", ["registrations/emails/confirm_email",
                                      "registrations/emails/magic_link"])
def test_link_mails_speak_to_the_person_in_one_form(template, young):
    caregiver = CaregiverFactory(first_name="Sem", date_of_birth=years_ago(19 if young else 60))
    context = {"caregiver": caregiver, "young": caregiver.is_young(),
               "link": "https://example.nl/link/abc", "expires_at": clock.now()}
    for part in (f"{template}_subject.txt", f"{template}.txt"):
        text = render_to_string(part, context)
        assert mixed(text, young) == [], f"{part}: {text}"


def test_the_check_notices_a_mix():
    """The check itself can fail: "Hoi Sem, U heeft" is a mix for a young caregiver, and
    "je" is one for an adult; "Uitbetaald", "jeugd" and "jeudig" are no forms of address."""
    assert mixed("<p>Hoi Sem,</p><p>U heeft de waardering aangevraagd.</p>", True) == ["U"]
    assert mixed("Beste Sem Bakker, heb je een vraag?", False) == ["je"]
    assert mixed("Uitbetaald. Uwe", True) == [] and mixed("Jeugd en jeudig", False) == []
