"""factory_boy factories for the suite's data.

Each factory makes plausible, valid data by default: `CaregiverFactory()` is Riet Bakker,
born 2 January 1950, Lindenlaan 12a in Harderwijk, an active registration with a confirmed
e-mail address. A test states only what it is about:

    CaregiverFactory(first_name="Sem", young=True)      # 14, waiting for the guardian
    CaregiverFactory(former=True, channel="post")       # care ended, letters on paper
    CaregiverFactory(complete=True)                     # with Henk as care recipient and
                                                        # the processing consent
    CampaignFactory(codes=4)                            # the summer's swimming tickets
    Caregiver.objects.bulk_create(CaregiverFactory.build_batch(500))   # many, fast

Dates that move with the clock (`registered_on`, `email_confirmed_at`, `young`) are read when
the object is made, so they follow time_machine.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from appreciation.campaigns import services as campaigns
from appreciation.models import (
    AgeGroup,
    AppreciationRequest,
    AppreciationYear,
    Campaign,
    CodeSource,
    PaymentBatch,
    PayoutForm,
    RequestState,
    Route,
)
from core import clock
from mantelzorg.services_staff import create_staff_user
from registrations import services
from registrations.models import (
    CareEndReason,
    Caregiver,
    CareRecipient,
    Channel,
    ConsentKind,
    Guardian,
    RegistrationLetter,
    State,
)
from worker.models import Letter, Newsletter

STAFF_PASSWORD = "een-lang-test-wachtwoord-42"


def years_ago(years: int, days: int = 3) -> datetime.date:
    """A birthday `years` years (and a few days) before today: that age, for a while."""
    today = clock.today()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


class CareRecipientFactory(DjangoModelFactory):
    """Henk, the caregiver's partner, 20 hours a week since March 2019, living together."""

    class Meta:
        model = CareRecipient

    caregiver = factory.SubFactory("tests.factories.CaregiverFactory")
    name = factory.LazyAttribute(lambda o: f"Henk {o.caregiver.last_name}")
    lives_in_municipality = True
    relationship = "partner"
    care_kinds = factory.LazyFunction(lambda: ["huishouden"])
    hours_per_week = 20
    care_since = datetime.date(2019, 3, 1)
    living_together = True


class CaregiverFactory(DjangoModelFactory):
    """An active caregiver (see the module docstring). Traits:

    - `young`: 14 years old (a few days past the birthday), registered, not yet active;
    - `former`: voormalig, the care ended 700 days ago by a death;
    - `ended`: the registration ended today at the caregiver's own request;
    - `post`: letters on paper; `unconfirmed`: the e-mail address not confirmed;
    - `complete`: house number 12a, a phone number, a care recipient and the processing
      consent, as a registration through the site leaves it.

    Post-generation: `recipient=True` (or a name, or `recipient__hours_per_week=…`) adds a
    CareRecipient; `processing_consent=True` records the consent as the registration does.
    """

    class Meta:
        model = Caregiver
        skip_postgeneration_save = True

    first_name = "Riet"
    last_name = "Bakker"
    date_of_birth = datetime.date(1950, 1, 2)
    street = "Lindenlaan"
    house_number = "12"
    postcode = "3845AB"
    city = "Harderwijk"
    email = factory.LazyAttribute(lambda o: f"{o.first_name.lower()}@example.nl")
    email_confirmed_at = factory.LazyFunction(clock.now)
    phone = ""
    channel = Channel.EMAIL
    state = State.ACTIEF
    registered_on = factory.LazyFunction(lambda: clock.today() - datetime.timedelta(days=400))

    class Params:
        young = factory.Trait(date_of_birth=factory.LazyFunction(lambda: years_ago(14)),
                              state=State.AANGEMELD)
        former = factory.Trait(
            state=State.VOORMALIG, care_end_reason=CareEndReason.OVERLIJDEN,
            care_ended_on=factory.LazyFunction(
                lambda: clock.today() - datetime.timedelta(days=700)))
        ended = factory.Trait(state=State.BEEINDIGD, end_reason="eigen_verzoek",
                              ended_on=factory.LazyFunction(clock.today))
        post = factory.Trait(channel=Channel.POST)
        unconfirmed = factory.Trait(email_confirmed_at=None)
        complete = factory.Trait(house_number="12a", phone="0612345678", with_everything=True)

    # Set by the `complete` trait; not a field: it switches on both post-generation hooks.
    with_everything = False

    @classmethod
    def _build(cls, model_class, *args, with_everything=False, **kwargs):
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, with_everything=False, **kwargs):
        caregiver = super()._create(model_class, *args, **kwargs)
        caregiver._with_everything = with_everything
        return caregiver

    @factory.post_generation
    def recipient(obj, create, extracted, **kwargs):
        wanted = extracted or kwargs or getattr(obj, "_with_everything", False)
        if not wanted or not create:
            return
        if isinstance(extracted, str):
            kwargs.setdefault("name", extracted)
        CareRecipientFactory(caregiver=obj, **kwargs)

    @factory.post_generation
    def processing_consent(obj, create, extracted, **kwargs):
        if (extracted or getattr(obj, "_with_everything", False)) and create:
            services._record_consent(obj, ConsentKind.PROCESSING, services.PROCESSING_CONSENT,
                                     "mantelzorger")


class GuardianFactory(DjangoModelFactory):
    class Meta:
        model = Guardian

    caregiver = factory.SubFactory(CaregiverFactory, young=True)
    name = "Anja de Vries"
    email = "anja@example.nl"
    phone = ""


class AppreciationYearFactory(DjangoModelFactory):
    """The 2026 waardering with the seed rules; its window is September to 10 November.

    `AppreciationYearFactory(open_on=day)` opens the window around `day` instead: from the
    1st of its month to 40 days after it, in `day`'s year.
    """

    class Meta:
        model = AppreciationYear

    class Params:
        open_on = None

    year = factory.LazyAttribute(lambda o: o.open_on.year if o.open_on else 2026)
    window_opens = factory.LazyAttribute(
        lambda o: o.open_on.replace(day=1) if o.open_on else datetime.date(o.year, 9, 1))
    window_closes = factory.LazyAttribute(
        lambda o: (o.open_on + datetime.timedelta(days=40)) if o.open_on
        else datetime.date(o.year, 11, 10))


class PaymentBatchFactory(DjangoModelFactory):
    """An empty bank batch of a year, made now (its requests point at it)."""

    class Meta:
        model = PaymentBatch

    payout_form = PayoutForm.BANK
    created_at = factory.LazyFunction(clock.now)


class AppreciationRequestFactory(DjangoModelFactory):
    """A request stored as it is, without the submission's refusals: Riet (an active
    caregiver) asked herself, signed in, today, for Henk at her address, 20 hours a week
    since March 2019, bank payout to NL91ABNA0417164300. Pass `year` (the rules) always.
    A request in a payment batch (or paid) gets a batch of its year."""

    class Meta:
        model = AppreciationRequest

    caregiver = factory.SubFactory(CaregiverFactory)
    route = Route.SELF
    caregiver_confirmed_at = factory.LazyFunction(clock.now)
    recipient_name = "Henk Bakker"
    recipient_postcode = "3845AB"
    recipient_house_number = "12"
    hours_per_week = 20
    care_since = datetime.date(2019, 3, 1)
    age_group = AgeGroup.ADULT
    payout_form = PayoutForm.BANK
    amount_cents = 7500
    iban = "NL91ABNA0417164300"
    account_holder = "R. Bakker"
    state = RequestState.INGEDIEND
    submitted_at = factory.LazyFunction(clock.now)
    payment_batch = factory.Maybe(
        factory.LazyAttribute(lambda o: o.state in (RequestState.IN_BETAALBATCH,
                                                    RequestState.UITBETAALD)),
        factory.SubFactory(PaymentBatchFactory, year=factory.SelfAttribute("..year")),
        None)


class CampaignFactory(DjangoModelFactory):
    """This summer's swimming tickets at Zwembad De Sypel (June to August 2026).

    `codes=4` loads four codes Z0000…Z0003 from stock; `codes=["A", "B"]` loads those.

    Set up as the older tests know campaigns: limited stock (a waiting list), active
    caregivers only, and the product may make its own codes. The trait `usual=True` gives
    the product's defaults instead (a new campaign in Beheer): no waiting list (people wait
    for codes), former caregivers included, codes only from the supplier's list.
    """

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    class Params:
        usual = factory.Trait(limited_stock=False, include_former=True,
                              code_source=CodeSource.SUPPLIER)

    name = "Zwemkaartjes zomer 2026"
    starts_on = datetime.date(2026, 6, 1)
    ends_on = datetime.date(2026, 8, 31)
    pool_name = "Zwembad De Sypel"
    limited_stock = True
    include_former = False
    code_source = CodeSource.OWN

    @factory.post_generation
    def codes(obj, create, extracted, **kwargs):
        if not extracted or not create:
            return
        if isinstance(extracted, int):
            extracted = [f"Z{n:04d}" for n in range(extracted)]
        campaigns.add_codes(obj, list(extracted))


class NewsletterFactory(DjangoModelFactory):
    class Meta:
        model = Newsletter

    subject = "Nieuws van het Servicepunt"
    body = "Beste mantelzorger,\n\n**Inloop** op dinsdag."


class RetentionNoticeFactory(DjangoModelFactory):
    """A queued retention-notice letter for a caregiver (the simplest letter there is)."""

    class Meta:
        model = Letter

    kind = RegistrationLetter.RETENTION_NOTICE
    caregiver = factory.SubFactory(CaregiverFactory, former=True)
    dedupe_key = factory.LazyAttribute(lambda o: f"test:{o.caregiver.pk}")
    created_at = factory.LazyFunction(clock.now)


class StaffUserFactory(DjangoModelFactory):
    """A consulent (or `role="coordinator"`) made by the service the project uses, with the
    password STAFF_PASSWORD. No second factor: see the `login_fully` fixture for that."""

    class Meta:
        model = get_user_model()

    role = "consulent"
    username = factory.LazyAttribute(lambda o: f"{o.role}-test")

    @classmethod
    def _create(cls, model_class, username, role, **kwargs):
        return create_staff_user(username, STAFF_PASSWORD, role, **kwargs)


class DeskCaregiverFactory(CaregiverFactory):
    """Registered at the desk 100 days ago, no e-mail address, caring for "Naaste van
    <first name>" (dementia, 10 hours a week since 2020): the back office's usual case."""

    house_number = "12"
    email = ""
    email_confirmed_at = None
    registered_on = factory.LazyFunction(lambda: clock.today() - datetime.timedelta(days=100))
    recipient = factory.RelatedFactory(
        CareRecipientFactory, factory_related_name="caregiver",
        name=factory.LazyAttribute(lambda o: f"Naaste van {o.caregiver.first_name}"),
        hours_per_week=10, care_since=datetime.date(2020, 1, 1), care_need="dementie")
