"""Access matrix: every URL of the project × every kind of visitor, with the expected answer.

The URL list comes from the resolver, so a new URL without a row here fails
`test_every_url_has_a_row`. Roles: anonymous, a caregiver signed in to Mijn gegevens by a link,
a consulent and a coordinator who passed the second factor, and a consulent who gave only the
password (2FA is required outside demo mode). The same people signed in another way: a
consulent and a coordinator through the organisation's provider (staff SSO) and a caregiver
with DigiD, both through the real demo provider; they expect what their counterpart expects
(EQUIVALENT) unless a row names them. Only GETs (a POST-only view answers 405 to a
GET); object-level checks follow at the end: one caregiver's session never reaches another
caregiver's requests, and a consulent never reaches coordinator pages.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from appreciation.campaigns import services as campaigns
from appreciation.models import CampaignRoute, PaymentBatch, PayoutForm
from insight.models import FollowUpTask, TaskKind
from mantelzorg.services_staff import create_staff_user, invite_staff
from mantelzorg.tasks import invite_link
from registrations.digid import pseudonym_of
from registrations.models import District, ImportState, RegistryImport, TokenPurpose
from registrations.services import issue_token
from tests.factories import (
    AppreciationYearFactory,
    CampaignFactory,
    CaregiverFactory,
    GuardianFactory,
    NewsletterFactory,
)
from tests.oidc_provider import at_real_time, through_provider
from tests.support import caregiver_details, password_step, request_data, sign_in, submit, totp_now
from worker.models import PrintBatch
from worker.newsletters import unsubscribe_url

DAY = datetime.datetime(2026, 7, 1, 10, 0)
ROLES = ["anonymous", "caregiver", "consulent", "coordinator", "no2fa", "sso_consulent",
         "sso_coordinator", "digid"]
EQUIVALENT = {"sso_consulent": "consulent", "sso_coordinator": "coordinator",
              "digid": "caregiver"}
PASSWORD = "een-lang-test-wachtwoord-42"

# Expected answers. A number is a status; a string starting with "/" is a 302 to a URL
# starting with that path. Shorthands for the common rows:
LOGIN = "/backoffice/inloggen/"
LINK = "/mijn-gegevens/inloggen"
PUBLIC = dict.fromkeys(ROLES, 200)
SETUP = "/backoffice/tweestapsverificatie/"
STAFF = {"anonymous": LOGIN, "caregiver": LOGIN, "consulent": 200, "coordinator": 200,
         "no2fa": SETUP}
STAFF_POST = {**STAFF, "consulent": 405, "coordinator": 405}
COORD = {"anonymous": LOGIN, "caregiver": LOGIN, "consulent": 403, "coordinator": 200,
         "no2fa": 403}
COORD_POST = {**COORD, "coordinator": 405}
MINE = {"anonymous": LINK, "caregiver": 200, "consulent": LINK, "coordinator": LINK,
        "no2fa": LINK}
MINE_POST = {**dict.fromkeys(ROLES, 405)}


def _walk(resolver, prefix="", ns=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), ns + (pattern.name or "")


def all_routes() -> list[tuple[str, str]]:
    return list(_walk(get_resolver()))


# --- the world: real objects for every URL argument ------------------------------------------
def build_world() -> dict:
    year = AppreciationYearFactory(open_on=DAY.date())
    riet = CaregiverFactory(complete=True)
    bram = CaregiverFactory(complete=True, first_name="Bram", last_name="Visser",
                            email="bram@example.nl", recipient="Truus Visser",
                            phone="0687654321", house_number="14")
    coordinator = create_staff_user("coordinator-m", PASSWORD, "coordinator")
    own = submit(request_data(caregiver=caregiver_details(
        first_name="Riet", date_of_birth=riet.date_of_birth, house_number="12a",
        email=riet.email)), caregiver=riet)
    others = submit(request_data(caregiver=caregiver_details(
        first_name="Bram", last_name="Visser", date_of_birth=bram.date_of_birth,
        house_number="14", email=bram.email)), caregiver=bram)
    campaign = CampaignFactory(codes=4)
    own_ask = campaigns.ask(campaign, riet, route=CampaignRoute.SELF_SERVICE)
    others_ask = campaigns.ask(campaign, bram, route=CampaignRoute.SELF_SERVICE)
    batch = PaymentBatch.objects.create(year=year, payout_form=PayoutForm.BANK,
                                        created_at=timezone.now(), created_by=coordinator)
    newsletter = NewsletterFactory(subject="Nieuws", body="Hallo", created_by=coordinator)
    print_batch = PrintBatch.objects.create(created_at=timezone.now())
    task = FollowUpTask.objects.create(caregiver=riet, kind=TaskKind.BURDEN,
                                       due_on=DAY.date() + datetime.timedelta(days=7))
    confirm = issue_token(riet, TokenPurpose.CONFIRM_EMAIL, datetime.timedelta(days=2))[1]
    consent = issue_token(GuardianFactory().caregiver, TokenPurpose.GUARDIAN,
                          datetime.timedelta(days=2))[1]
    colleague = invite_staff(by=coordinator, first_name="Noor", last_name="Jansen",
                             email="noor@example.nl", role="consulent")
    invite_uid, invite_token = invite_link(colleague).rstrip("/").split("/")[-2:]
    registry_import = RegistryImport.objects.create(
        original_name="oud-systeem.csv", headers=["Voornaam"], state=ImportState.CHECKED,
        created_by=coordinator)
    return dict(year=year, riet=riet, bram=bram, own=own, others=others, campaign=campaign,
                own_ask=own_ask, others_ask=others_ask, batch=batch, newsletter=newsletter,
                print_batch=print_batch, task=task, confirm=confirm, consent=consent,
                colleague=colleague, invite_uid=invite_uid, invite_token=invite_token,
                registry_import=registry_import, naaste=riet.care_recipients.get(),
                unsubscribe=unsubscribe_url(riet).rsplit("/", 1)[-1])


def _p(template):
    """A path from a template with the world's objects: "/x/{riet.pk}/"."""
    return lambda w: template.format(**w)


BO = "/backoffice/"
C = "/backoffice/campagnes/{campaign.pk}/"
W = "/backoffice/waardering/{own.pk}/"
M = "/backoffice/mantelzorgers/{riet.pk}/"
N = "/backoffice/nieuwsbrieven/{newsletter.pk}/"
IMP = "/backoffice/import/{registry_import.pk}/"

# URL name -> (path, expected answer per role).
ROWS = {
    "home": (_p("/"), PUBLIC),
    "accessibility": (_p("/toegankelijkheid"), PUBLIC),
    "privacy": (_p("/privacy"), PUBLIC),
    "health": (_p("/health"), PUBLIC),
    "favicon": (_p("/favicon.ico"), PUBLIC),
    # The language choice of a page without a form posts here; a GET goes home.
    "choose_language": (_p("/taal"), dict.fromkeys(ROLES, "/")),
    "worker:unsubscribe": (_p("/afmelden/{unsubscribe}"), PUBLIC),
    # staff sign-in
    "mantelzorg:staff_login": (_p(BO + "inloggen/"), PUBLIC),
    "mantelzorg:staff_verify": (
        _p(BO + "inloggen/code/"),
        {"anonymous": LOGIN, "caregiver": LOGIN, "consulent": BO, "coordinator": BO, "no2fa": BO},
    ),
    "mantelzorg:staff_setup_2fa": (
        _p(BO + "tweestapsverificatie/"),
        {"anonymous": LOGIN, "caregiver": LOGIN, "consulent": BO, "coordinator": BO, "no2fa": 200},
    ),
    "mantelzorg:staff_logout": (_p(BO + "uitloggen/"), dict.fromkeys(ROLES, 405)),
    # a new sign-in at the provider may start from any session; a callback without the
    # provider's answer is refused with the Dutch page
    "mantelzorg:staff_sso_start": (_p(BO + "inloggen/organisatie/"), dict.fromkeys(ROLES, 302)),
    "mantelzorg:staff_sso_callback": (_p(BO + "inloggen/organisatie/terug"),
                                      dict.fromkeys(ROLES, 400)),
    "mantelzorg:dashboard": (_p(BO), STAFF),
    # staff management (coordinators only; the invitation link is public and refuses a
    # forged token with the "link no longer valid" page)
    "mantelzorg:staff_members": (_p(BO + "medewerkers/"), COORD),
    "mantelzorg:staff_member_invite": (_p(BO + "medewerkers/nieuw/"), COORD),
    "mantelzorg:staff_member_deactivate": (_p(BO + "medewerkers/{colleague.pk}/uitzetten/"),
                                           COORD_POST),
    "mantelzorg:staff_member_reset_2fa": (
        _p(BO + "medewerkers/{colleague.pk}/tweestapsverificatie-resetten/"), COORD_POST),
    "mantelzorg:staff_member_change_role": (_p(BO + "medewerkers/{colleague.pk}/rol/"),
                                            COORD_POST),
    "mantelzorg:staff_welcome": (_p(BO + "welkom/{invite_uid}/{invite_token}/"), PUBLIC),
    # system, letters, outbox, newsletters
    "worker:system": (_p(BO + "systeem/"), COORD),
    "worker:send_test_ping": (_p(BO + "systeem/testtaak/"), COORD_POST),
    "worker:print_batches": (_p(BO + "post/"), STAFF),
    "worker:print_batch_pdf": (
        _p(BO + "post/{print_batch.pk}/pdf/"),
        {**STAFF, "consulent": 404, "coordinator": 404},
    ),
    "worker:print_batch_printed": (_p(BO + "post/{print_batch.pk}/geprint/"), STAFF_POST),
    "worker:outbox": (_p(BO + "uitgaande-mail/"), COORD),
    "worker:contact_settings": (_p(BO + "contactgegevens/"), COORD),
    "worker:newsletters": (_p(BO + "nieuwsbrieven/"), STAFF),
    "worker:newsletter_new": (_p(BO + "nieuwsbrieven/nieuw/"), STAFF),
    "worker:newsletter_detail": (_p(N), STAFF),
    "worker:newsletter_edit": (_p(N + "wijzigen/"), STAFF),
    "worker:newsletter_send": (_p(N + "versturen/"), STAFF_POST),
    "worker:newsletter_progress": (_p(N + "voortgang.json"), STAFF),
    "worker:newsletter_preview_pdf": (_p(N + "voorbeeld-post/"), STAFF_POST),
    "worker:newsletter_file": (
        _p(N + "brief.pdf"),
        {**STAFF, "consulent": 404, "coordinator": 404},
    ),
    # caregivers
    "registrations:caregiver_list": (_p("/backoffice/mantelzorgers/"), STAFF),
    "registrations:caregiver_intake": (_p("/backoffice/mantelzorgers/nieuw/"), STAFF),
    "registrations:caregiver_detail": (_p(M), STAFF),
    "registrations:caregiver_mark_checked": (_p(M + "gecontroleerd/"), STAFF_POST),
    "registrations:caregiver_confirm_guardian": (_p(M + "toestemming-ouder/"), STAFF_POST),
    "registrations:caregiver_end_care": (_p(M + "zorg-gestopt/"), STAFF),
    "registrations:caregiver_resume_care": (_p(M + "weer-actief/"), STAFF_POST),
    "registrations:caregiver_end_registration": (_p(M + "beeindigen/"), STAFF),
    "registrations:caregiver_merge": (
        _p(M + "samenvoegen/{bram.pk}/"),  # not a duplicate pair
        {
            **STAFF,
            "consulent": "/backoffice/mantelzorgers/",
            "coordinator": "/backoffice/mantelzorgers/",
        },
    ),
    "registrations:caregiver_not_duplicate": (_p(M + "geen-dubbele/{bram.pk}/"), STAFF_POST),
    # corrections by a consulent (issue 19)
    "registrations:caregiver_resolve_duplicate": (_p(M + "andere-persoon/"), STAFF_POST),
    "registrations:caregiver_edit": (_p(M + "aanpassen/"), STAFF),
    "registrations:caregiver_add_recipient": (_p(M + "naasten/nieuw/"), STAFF),
    "registrations:caregiver_edit_recipient": (_p(M + "naasten/{naaste.pk}/aanpassen/"),
                                               STAFF),
    "registrations:caregiver_end_recipient": (_p(M + "naasten/{naaste.pk}/zorg-gestopt/"),
                                              STAFF),
    # postcode→wijk table: every staff member looks, a coordinator loads a new one
    "registrations:postcodes": (_p(BO + "postcodes/"), STAFF),
    "registrations:postcodes_upload": (_p(BO + "postcodes/laden/"), COORD_POST),
    "registrations:postcodes_export": (_p(BO + "postcodes/postcodegebieden.csv"), STAFF),
    # moving in: the registry import, coordinators only
    "registrations:import_list": (_p(BO + "import/"), COORD),
    "registrations:import_upload": (_p(BO + "import/nieuw/"), COORD),
    "registrations:import_mapping": (_p(IMP + "kolommen/"), COORD),
    "registrations:import_detail": (_p(IMP), COORD),
    "registrations:import_progress": (_p(IMP + "voortgang.json"), COORD),
    "registrations:import_confirm": (_p(IMP + "importeren/"), COORD_POST),
    # follow-up
    "insight:followup_list": (_p("/backoffice/opvolging/"), STAFF),
    "insight:followup_answer": (
        _p("/backoffice/opvolging/mantelzorger/{riet.pk}/taak/{task.pk}/"),
        STAFF,
    ),
    "insight:followup_cancel": (
        _p("/backoffice/opvolging/mantelzorger/{riet.pk}/taak/{task.pk}/annuleren/"),
        STAFF,
    ),
    "insight:followup_contact": (
        _p("/backoffice/opvolging/mantelzorger/{riet.pk}/contact/"),
        STAFF,
    ),
    # waardering review
    "appreciation:review_queue": (_p("/backoffice/waardering/"), STAFF),
    "appreciation:review_bulk_approve": (_p("/backoffice/waardering/goedkeuren/"), COORD_POST),
    "appreciation:review_detail": (_p(W), STAFF),
    "appreciation:review_start": (_p(W + "in-behandeling/"), STAFF_POST),
    "appreciation:review_approve": (_p(W + "goedkeuren/"), STAFF_POST),
    "appreciation:review_reject": (_p(W + "afwijzen/"), STAFF_POST),
    "appreciation:review_set_aside": (_p(W + "buiten-behandeling/"), STAFF_POST),
    "appreciation:review_ask_information": (_p(W + "vraag/"), STAFF_POST),
    "appreciation:review_confirm_by_phone": (_p(W + "bevestigd/"), STAFF_POST),
    "appreciation:review_ask_confirmation": (_p(W + "nieuwe-code/"), STAFF_POST),
    "appreciation:review_withdraw": (_p(W + "intrekken/"), STAFF_POST),
    "appreciation:review_recheck": (_p(W + "opnieuw-controleren/"), STAFF_POST),
    "appreciation:paper_entry": (_p("/backoffice/waardering-invoer/"), STAFF),
    # payments: coordinators only
    "appreciation:payout_list": (_p("/backoffice/betalingen/"), COORD),
    "appreciation:payout_year": (_p("/backoffice/betalingen/{year.year}/"), COORD),
    "appreciation:payout_create": (
        _p("/backoffice/betalingen/{year.year}/nieuwe-batch/"),
        COORD_POST,
    ),
    "appreciation:payout_voucher_upload": (
        _p("/backoffice/betalingen/{year.year}/boncodes/"),
        COORD_POST,
    ),
    "appreciation:payout_export": (
        _p("/backoffice/betalingen/batch/{batch.pk}/bestand/"),  # no file
        {**COORD, "coordinator": 404},
    ),
    "appreciation:payout_csv": (_p("/backoffice/betalingen/batch/{batch.pk}/lijst.csv"), COORD),
    "appreciation:payout_mark_paid": (
        _p("/backoffice/betalingen/batch/{batch.pk}/betaald/"),
        COORD,
    ),
    # campaigns
    "appreciation:campaign_overview": (_p("/backoffice/campagnes/"), STAFF),
    "appreciation:campaign_detail": (_p(C), STAFF),
    "appreciation:campaign_desk": (_p(C + "balie/"), STAFF),
    "appreciation:campaign_desk_ask": (_p(C + "balie/aanvragen/"), STAFF_POST),
    "appreciation:campaign_cancel": (_p(C + "aanvraag/{own_ask.pk}/annuleren/"), STAFF),
    "appreciation:campaign_picked_up": (_p(C + "aanvraag/{own_ask.pk}/opgehaald/"), STAFF_POST),
    "appreciation:campaign_posted": (_p(C + "aanvraag/{own_ask.pk}/verstuurd/"), STAFF_POST),
    "appreciation:campaign_posted_all": (_p(C + "verstuurd/"), STAFF_POST),
    "appreciation:campaign_upload_codes": (_p(C + "codes/laden/"), COORD_POST),
    "appreciation:campaign_generate_codes": (_p(C + "codes/maken/"), COORD_POST),
    "appreciation:campaign_everyone": (
        _p(C + "iedereen/"),
        {**COORD, "coordinator": "/backoffice/campagnes/"},
    ),
    "appreciation:campaign_export": (_p(C + "codes.csv"), COORD),
    # insight
    "insight:dashboard": (_p("/backoffice/inzicht/"), STAFF),
    "insight:csv": (_p("/backoffice/inzicht/{year.year}.csv"), STAFF),
    "insight:make_pdf": (_p("/backoffice/inzicht/{year.year}/pdf-maken/"), STAFF_POST),
    "insight:pdf": (
        _p("/backoffice/inzicht/{year.year}.pdf"),  # not made yet
        {**STAFF, "consulent": 404, "coordinator": 404},
    ),
    # public waardering
    "appreciation:waardering_start": (_p("/waardering"), PUBLIC),
    "appreciation:waardering_confirm_code": (_p("/waardering/bevestigen"), PUBLIC),
    "appreciation:waardering_renewal": (_p("/waardering/opnieuw"), PUBLIC),
    "appreciation:waardering_sent": (
        _p("/waardering/verstuurd"),
        dict.fromkeys(ROLES, "/waardering"),
    ),
    "appreciation:waardering_self": (
        _p("/waardering/zelf"),
        dict.fromkeys(ROLES, "/waardering/zelf/"),
    ),
    "appreciation:waardering_self_step": (_p("/waardering/zelf/zorg"), PUBLIC),
    "appreciation:waardering_on_behalf": (
        _p("/waardering/namens"),
        dict.fromkeys(ROLES, "/waardering/namens/"),
    ),
    "appreciation:waardering_on_behalf_step": (_p("/waardering/namens/zorg"), PUBLIC),
    "appreciation:waardering_my_requests": (_p("/mijn-gegevens/waardering/"), MINE),
    "appreciation:waardering_withdraw": (_p("/mijn-gegevens/waardering/{own.pk}/intrekken"), MINE),
    "appreciation:waardering_answer": (
        _p("/mijn-gegevens/waardering/{own.pk}/antwoorden"),  # no question
        {**MINE, "caregiver": "/mijn-gegevens/waardering/"},
    ),
    "appreciation:waardering_confirm": (
        _p("/mijn-gegevens/waardering/{own.pk}/bevestigen"),
        MINE_POST,
    ),
    # public campaigns
    "appreciation:swim_tickets": (_p("/zwemkaartjes"), PUBLIC),
    "appreciation:campaign_public": (_p("/campagne/{campaign.pk}"), PUBLIC),
    "appreciation:campaign_asked": (
        _p("/campagne/{campaign.pk}/aangevraagd"),  # form first
        dict.fromkeys(ROLES, "/campagne/"),
    ),
    "appreciation:my_campaigns": (_p("/mijn-gegevens/campagnes/"), MINE),
    "appreciation:my_campaign_ask": (
        _p("/mijn-gegevens/campagnes/{campaign.pk}/aanvragen"),
        MINE_POST,
    ),
    "appreciation:my_campaign_cancel": (
        _p("/mijn-gegevens/campagnes/aanvraag/{own_ask.pk}/annuleren"),
        {**MINE, "caregiver": "/mijn-gegevens/campagnes/"},
    ),
    # self-check
    "insight:self_check": (_p("/mijn-gegevens/zelftest"), MINE),
    "insight:self_check_result": (
        _p("/mijn-gegevens/zelftest/uitslag"),  # only right after a check
        dict.fromkeys(ROLES, "/"),
    ),
    # registration and Mijn gegevens
    "registrations:register": (_p("/aanmelden"), dict.fromkeys(ROLES, "/aanmelden/over-mij")),
    "registrations:register_sent": (_p("/aanmelden/verstuurd"), dict.fromkeys(ROLES, "/aanmelden")),
    "registrations:register_step": (_p("/aanmelden/over-mij"), PUBLIC),
    "registrations:confirm_email": (_p("/bevestigen/{confirm}"), PUBLIC),
    "registrations:guardian_consent": (_p("/toestemming/{consent}"), PUBLIC),
    "registrations:my_data": (_p("/mijn-gegevens/"), MINE),
    "registrations:request_link": (_p("/mijn-gegevens/inloggen"), PUBLIC),
    "registrations:magic_link": (_p("/mijn-gegevens/link/onbekend"), PUBLIC),
    "registrations:selfservice_logout": (_p("/mijn-gegevens/uitloggen"), MINE_POST),
    "registrations:digid_start": (_p("/mijn-gegevens/digid/"), dict.fromkeys(ROLES, 302)),
    "registrations:digid_callback": (_p("/mijn-gegevens/digid/terug"),
                                     dict.fromkeys(ROLES, 400)),
    "registrations:digid_unknown": (_p("/mijn-gegevens/digid/onbekend"), PUBLIC),
    # nothing waits to be linked in these sessions: back to Mijn gegevens
    "registrations:digid_link": (_p("/mijn-gegevens/digid/koppelen"),
                                 {**MINE, "caregiver": "/mijn-gegevens/"}),
    "registrations:edit_contact": (_p("/mijn-gegevens/contact"), MINE),
    "registrations:newsletter_stop": (_p("/mijn-gegevens/nieuwsbrief-stoppen"), MINE),
    "registrations:care_ended": (_p("/mijn-gegevens/zorg-gestopt"), MINE),
    "registrations:download_json": (_p("/mijn-gegevens/download.json"), MINE),
    "registrations:download_page": (_p("/mijn-gegevens/overzicht"), MINE),
    "registrations:remove": (_p("/mijn-gegevens/uitschrijven"), MINE),
    "registrations:removed": (_p("/mijn-gegevens/uitgeschreven"), PUBLIC),
}

# Django admin (/beheer/): its ~90 generated URLs share one guard (StaffAdminSite); checked on a
# sample of real pages. A consulent is sent to the admin login, which refuses: 403.
ADMIN_ROWS = {
    "/beheer/": {
        "anonymous": "/beheer/login/",
        "caregiver": "/beheer/login/",
        "consulent": "/beheer/login/",
        "coordinator": 200,
        "no2fa": "/beheer/login/",
    },
    "/beheer/login/": {
        "anonymous": LOGIN,
        "caregiver": LOGIN,
        "consulent": 403,
        "coordinator": 403,
        "no2fa": LOGIN,
    },
    "/beheer/registrations/district/": {
        "anonymous": "/beheer/login/",
        "caregiver": "/beheer/login/",
        "consulent": "/beheer/login/",
        "coordinator": 200,
        "no2fa": "/beheer/login/",
    },
}


def client_for(role: str, world: dict) -> Client:
    client = Client()
    if role == "digid":
        with at_real_time():
            assert through_provider(client, "/mijn-gegevens/digid/", "digid-mantelzorger"
                                    )["Location"] == "/mijn-gegevens/"
    elif role in ("sso_consulent", "sso_coordinator"):
        identity = {"sso_consulent": "demo-consulent", "sso_coordinator": "demo-coordinator"}
        # Signed in at today's real time: the provider's tokens are not from the test's day.
        with at_real_time():
            assert through_provider(client, BO + "inloggen/organisatie/", identity[role]
                                    ).status_code == 302
    elif role == "caregiver":
        sign_in(client, world["riet"])
    elif role in ("consulent", "coordinator", "no2fa"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        kind = "consulent" if role == "no2fa" else role
        user = create_staff_user(f"{role}-matrix", PASSWORD, kind)
        password_step(client, user, PASSWORD)
        if role != "no2fa":  # no2fa: signed in by password, no authenticator set up yet
            device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
            client.logout()
            password_step(client, user, PASSWORD)
            client.post(reverse("mantelzorg:staff_verify"), {"token": totp_now(device)})
    return client


def answer(response):
    """The answer in the table's terms: a status, or a redirect target path."""
    if response.status_code in (301, 302):
        return response["Location"]
    return response.status_code


def matches(actual, expected) -> bool:
    if isinstance(expected, str):
        return isinstance(actual, str) and actual.startswith(expected)
    if expected == 302:
        return isinstance(actual, str)
    return actual == expected


def expected_for(expected: dict, role: str):
    return expected[role] if role in expected else expected[EQUIVALENT[role]]


@pytest.fixture
def world(db, settings, staff_sso, digid):
    settings.STAFF_2FA_REQUIRED = True
    with time_machine.travel(DAY, tick=False):
        world = build_world()
        world["riet"].bsn_pseudonym = pseudonym_of("999990019")  # Riet uses DigiD too
        world["riet"].save(update_fields=["bsn_pseudonym"])
        yield world


def test_every_url_has_a_row():
    routes = all_routes()
    names = {name for route, name in routes if not route.startswith("beheer/")}
    assert names - set(ROWS) == set(), "URLs without an expected answer"
    assert set(ROWS) - names == set(), "rows for URLs that no longer exist"
    assert all(name.startswith("admin:") for route, name in routes if route.startswith("beheer/"))


@pytest.mark.parametrize("role", ROLES)
def test_the_access_matrix(world, role):
    client = client_for(role, world)
    wrong = []
    for name, (path, expected) in ROWS.items():
        url = path(world)
        actual = answer(client.get(url))
        if not matches(actual, expected_for(expected, role)):
            wrong.append(f"{name} {url}: expected {expected_for(expected, role)!r}, "
                         f"got {actual!r}")
    for url, expected in ADMIN_ROWS.items():
        actual = answer(client.get(url))
        if not matches(actual, expected_for(expected, role)):
            wrong.append(f"admin {url}: expected {expected_for(expected, role)!r}, "
                         f"got {actual!r}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


# --- object level ------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["caregiver", "digid"])
def test_a_caregiver_never_reaches_another_caregivers_requests(world, role):
    client = client_for(role, world)
    others, others_ask = world["others"].pk, world["others_ask"].pk
    states = (world["others"].state, world["others_ask"].state)
    for url in (
        f"/mijn-gegevens/waardering/{others}/intrekken",
        f"/mijn-gegevens/waardering/{others}/antwoorden",
        f"/mijn-gegevens/campagnes/aanvraag/{others_ask}/annuleren",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert client.post(f"/mijn-gegevens/waardering/{others}/bevestigen").status_code == 404
    world["others"].refresh_from_db()
    world["others_ask"].refresh_from_db()
    assert (world["others"].state, world["others_ask"].state) == states
    page = client.get("/mijn-gegevens/waardering/").content.decode()
    assert world["others"].reference not in page and "Bram" not in page


COORDINATOR_POSTS = [
    "/backoffice/systeem/testtaak/",
    "/backoffice/betalingen/{year.year}/nieuwe-batch/",
    "/backoffice/betalingen/{year.year}/boncodes/",
    "/backoffice/betalingen/batch/{batch.pk}/betaald/",
    "/backoffice/waardering/goedkeuren/",
    "/backoffice/campagnes/{campaign.pk}/codes/laden/",
    "/backoffice/campagnes/{campaign.pk}/codes/maken/",
    "/backoffice/campagnes/{campaign.pk}/iedereen/",
    "/backoffice/postcodes/laden/",
    "/backoffice/import/nieuw/",
    "/backoffice/import/{registry_import.pk}/kolommen/",
    "/backoffice/import/{registry_import.pk}/importeren/",
]


WIJK_FORM = {"name": "Wijk X", "cbs_code": "WK999901", "postcodes-TOTAL_FORMS": "0",
             "postcodes-INITIAL_FORMS": "0", "postcodes-MIN_NUM_FORMS": "0",
             "postcodes-MAX_NUM_FORMS": "1000"}


def test_the_wijk_form_used_below_is_one_a_coordinator_can_add(world):
    client = client_for("coordinator", world)
    response = client.post("/beheer/registrations/district/add/", WIJK_FORM)
    assert response.status_code == 302
    assert response["Location"] == "/beheer/registrations/district/"
    assert District.objects.filter(name=WIJK_FORM["name"]).exists()


@pytest.mark.parametrize("role", ["consulent", "no2fa", "sso_consulent"])
def test_a_consulent_cannot_post_to_coordinator_pages(world, role):
    client = client_for(role, world)
    for url in COORDINATOR_POSTS:
        assert client.post(url.format(**world)).status_code == 403, url
    # A complete, valid add form: a coordinator's post of it creates the wijk and is answered
    # with the admin's success redirect (a 302 too), so only the target tells them apart.
    response = client.post("/beheer/registrations/district/add/", WIJK_FORM)
    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/"), response["Location"]
    assert not District.objects.filter(name=WIJK_FORM["name"]).exists()
    assert not world["batch"].__class__.objects.exclude(pk=world["batch"].pk).exists()
    world["registry_import"].refresh_from_db()
    assert world["registry_import"].state == ImportState.CHECKED


def test_mijn_gegevens_posts_without_a_session_ask_for_a_link(world):
    client = Client()
    for url in (
        f"/mijn-gegevens/waardering/{world['own'].pk}/bevestigen",
        f"/mijn-gegevens/campagnes/{world['campaign'].pk}/aanvragen",
        "/mijn-gegevens/contact",
        "/mijn-gegevens/uitschrijven",
    ):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith(LINK), url
