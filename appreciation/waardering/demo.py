"""Made-up waardering data for `make run`: last year's frozen rules, this year's rules with an
open window, and a few dozen requests of demo caregivers in every state.

The requests are made through the services (services.py, payouts.py) with the demo consulent
and coordinator as actors, so each has a real StateLog history and its letters are queued
as in real use. Loaded once: when this year already has requests nothing is added.
"""

import datetime
import random
import uuid

from schwifty import IBAN

from core import clock
from core.dates import add_months
from registrations.models import Caregiver, State
from registrations.reference import RegistrationRules

from ..models import AppreciationRequest, AppreciationYear, PayoutForm, RejectionReason, Route
from . import payouts, services, submission

# What happens to each demo request, in this order. A payment batch takes every approved
# request that is waiting, so the ones for the batch are approved first.
SCENARIOS = (
    ["in_batch"] * 6 + ["approved"] * 4 + ["approved_on_paper"] * 2 + ["bulk_approved"] * 3
    + ["rejected"] * 4 + ["question"] * 3 + ["answered"] + ["in_review"] * 3
    + ["confirmed_by_phone"] + ["withdrawn"] + ["submitted"] * 6 + ["on_behalf"] * 2
    + ["shared_iban"] * 3
)
QUESTIONS = [
    "Hoeveel uur per week zorgt u ongeveer voor uw naaste? Wat doet u dan?",
    "Op welk adres woont uw naaste? Wij konden het adres niet vinden.",
    "Sinds wanneer zorgt u voor uw naaste?",
]
REJECTIONS = [
    (RejectionReason.TOO_FEW_HOURS, "U vertelde aan de telefoon dat u ongeveer 4 uur per "
                                    "week helpt."),
    (RejectionReason.NOT_INFORMAL_CARE, "U krijgt voor deze zorg betaald uit een "
                                        "persoonsgebonden budget (pgb)."),
    (RejectionReason.RECIPIENT_ELSEWHERE, ""),
    (RejectionReason.OTHER, "U heeft laten weten dat u de zorg sinds de zomer niet meer "
                            "geeft."),
]
REQUESTERS = [
    {"name": "Sanne de Boer", "relation": "dochter", "contact": "0612345678"},
    {"name": "Wijkteam Stadsweiden", "relation": "wijkteam", "contact": "wijkteam@example.nl"},
]


def load_appreciation_demo(consulent, coordinator) -> int:
    """Both years' rules and the demo requests; returns how many requests were made."""
    today = clock.today()
    year = _this_year(today)
    _last_year(today)
    if year.requests.exists() or submission.open_year(today) != year:
        return 0
    rng = random.Random(2023)
    people = _people(len(SCENARIOS))
    shared_iban = _iban(rng)  # on three requests: one more than the year allows
    made = [(scenario, _submit(year, scenario, person, rng, consulent,
                               iban=shared_iban if scenario == "shared_iban" else None))
            for scenario, person in zip(SCENARIOS, people, strict=False)]
    made += _requests_that_fail_checks(year, rng)
    _decide(year, made, consulent, coordinator)
    return len(made)


def _people(count: int) -> list[Caregiver]:
    """Active demo caregivers; every fifth one young (155 of 928 in the annual report)."""
    rules = RegistrationRules.current()
    active = Caregiver.objects.filter(state=State.ACTIEF, merged_into__isnull=True)
    young, adults = [], []
    for person in active.order_by("pk")[:count * 4]:
        (young if person.is_young(rules) else adults).append(person)
    people = []
    while len(people) < count and (young or adults):
        take_young = (len(people) % 5 == 0 and young) or not adults
        people.append(young.pop(0) if take_young else adults.pop(0))
    return people


def _this_year(today) -> AppreciationYear:
    """The seed's rules (€ 75 on the bank account, young caregivers too, as the annual
    report says; 8 hours a week for 3 months,
    € 100.000). The real window is 1 September – 10 November; for the demo it runs from
    1 September (or today, if earlier) to 31 December, so a new user can try the form."""
    year, _ = AppreciationYear.objects.get_or_create(year=today.year, defaults=dict(
        window_opens=min(datetime.date(today.year, 9, 1), today),
        window_closes=datetime.date(today.year, 12, 31),
        amount_adult_cents=7500, amount_young_cents=7500, payout_adult=PayoutForm.BANK,
        payout_young=PayoutForm.BANK, min_hours_per_week=8, min_months_of_care=3,
        budget_cents=10_000_000))
    return year


def _last_year(today) -> AppreciationYear:
    """Last year: the same rules with the real window, frozen because it was paid out."""
    year, _ = AppreciationYear.objects.get_or_create(year=today.year - 1, defaults=dict(
        window_opens=datetime.date(today.year - 1, 9, 1),
        window_closes=datetime.date(today.year - 1, 11, 10),
        payouts_made_at=datetime.datetime(today.year - 1, 12, 1, 10, 0, tzinfo=clock.AMSTERDAM)))
    return year


def _iban(rng) -> str:
    bank = rng.choice(["INGB", "RABO", "ABNA", "SNSB", "TRIO"])
    return str(IBAN.generate("NL", bank_code=bank, account_code=str(rng.randint(10**8, 10**10))))


def _care(year, person, rng) -> dict:
    """The care from the person's registration, made to fit the rules (the form refuses
    fewer hours or a shorter care at once, so such requests never exist)."""
    recipient = person.care_recipients.order_by("pk").first()
    same_address = (recipient is not None and recipient.living_together
                    and year.recipient_postcode_ok(person.postcode))
    return {
        "recipient_name": recipient.name if recipient else f"Annie {person.last_name}",
        "recipient_postcode": person.postcode if same_address else
        f"{rng.randint(3841, 3849)}{rng.choice(['AB', 'CD', 'GT', 'KL', 'RS'])}",
        "recipient_house_number": person.house_number if same_address else
        str(rng.randint(1, 150)),
        "hours_per_week": max(recipient.hours_per_week if recipient else 0,
                              year.min_hours_per_week),
        "care_since": min(recipient.care_since if recipient else clock.today(),
                          add_months(clock.today(), -year.min_months_of_care - 1)),
    }


def _submit(year, scenario, person, rng, consulent, iban=None) -> AppreciationRequest:
    route, by, requester = Route.SELF, None, {}
    if scenario in ("on_behalf", "confirmed_by_phone"):
        route, requester = Route.ON_BEHALF, REQUESTERS[rng.randrange(len(REQUESTERS))]
    elif scenario == "approved_on_paper":
        route, by = Route.CONSULENT, consulent
    data = submission.RequestData(
        recipient=_care(year, person, rng), iban=iban or _iban(rng),
        account_holder=f"{person.first_name[0]}. {person.last_name}", requester=requester)
    return submission.submit_request(data, route=route, caregiver=person, by=by,
                                   submission_key=uuid.uuid4())


def _requests_that_fail_checks(year, rng) -> list:
    """Requests a consulent must look at: a caregiver whose registration is not active yet,
    and someone unknown to the Servicepunt, registered through the request."""
    made = []
    waiting = Caregiver.objects.filter(state=State.AANGEMELD, merged_into__isnull=True,
                                       appreciation_requests__isnull=True).order_by("pk").first()
    if waiting:
        made.append(("not_registered", _submit(year, "submitted", waiting, rng, None)))
    unknown = submission.RequestData(
        recipient={"recipient_name": "Jan Mulder", "recipient_postcode": "3844AK",
                   "recipient_house_number": "21", "relationship": "ouder",
                   "living_together": False, "hours_per_week": 10,
                   "care_since": add_months(clock.today(), -14)},
        caregiver={"first_name": "Marloes", "last_name": "Mulder",
                   "date_of_birth": datetime.date(1971, 6, 12), "street": "Vijhestraat",
                   "house_number": "8", "postcode": "3841AB", "city": "Harderwijk",
                   "email": "marloes.mulder@example.nl", "phone": "", "wants_newsletter": True},
        iban=_iban(rng), account_holder="M. Mulder")
    made.append(("unknown", submission.submit_request(unknown, route=Route.SELF,
                                                    submission_key=uuid.uuid4())))
    return made


def _decide(year, made, consulent, coordinator) -> None:
    """The consulent's and coordinator's work on the requests, scenario by scenario."""
    by_scenario: dict[str, list] = {}
    for scenario, request in made:
        by_scenario.setdefault(scenario, []).append(request)
    for request in by_scenario.get("in_batch", []):
        services.approve(request, consulent)
    # Batches made but not marked paid: paying freezes this year's rules (as the first real
    # payout does), and a new user should still be able to edit them and try the payout.
    for form in PayoutForm:
        payouts.create_payment_batch(year, form, coordinator)
    for request in by_scenario.get("approved", []) + by_scenario.get("approved_on_paper", []):
        services.approve(request, consulent)
    services.bulk_approve([r.pk for r in by_scenario.get("bulk_approved", [])], coordinator)
    for request, (reason, text) in zip(by_scenario.get("rejected", []), REJECTIONS,
                                       strict=False):
        services.reject(request, consulent, reason, text)
    for request, question in zip(by_scenario.get("question", []) + by_scenario.get(
            "answered", []), QUESTIONS * 2, strict=False):
        services.ask_information(request, consulent, question)
    for request in by_scenario.get("answered", []):
        services.answer_information(request, request.caregiver, "Ik zorg ongeveer 12 uur "
                                    "per week: boodschappen, koken en de administratie.")
    for request in by_scenario.get("in_review", []):
        services.start_review(request, consulent)
    for request in by_scenario.get("confirmed_by_phone", []):
        services.confirm_by_caregiver(request, by=consulent)
        services.start_review(request, consulent)
    for request in by_scenario.get("withdrawn", []):
        services.withdraw(request, caregiver=request.caregiver)
