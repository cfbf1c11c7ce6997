"""Issue 14, item 11: staff management in the back office ("Medewerkers").

Coordinators invite colleagues (a single-use, expiring link to choose a password, then the
authenticator at first sign-in), switch off a leaver's account (sessions end), reset a lost
phone's second factor and change roles. Never themselves off, never the last coordinator.
Every action is logged (Django's admin log) and shown on the page. Consulenten get 403.
"""

import datetime
import re

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import roles
from mantelzorg import services_staff
from mantelzorg.management.commands.load_demo_data import DEMO_PASSWORD
from tests.support import STAFF_PASSWORD, login_fully, password_step, totp_now

LIST = "/backoffice/medewerkers/"
INVITE = "/backoffice/medewerkers/nieuw/"
NEW_PASSWORD = "paarse-olifant-fietst-naar-Hierden"


def _signed_in(role, username):
    """A separate browser (client) of a colleague, signed in with both factors."""
    client = Client()
    user = services_staff.create_staff_user(username, STAFF_PASSWORD, role)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    password_step(client, user, STAFF_PASSWORD)
    client.post(reverse("mantelzorg:staff_verify"), {"token": totp_now(device)})
    assert client.get("/backoffice/").status_code == 200
    return user, client


@pytest.fixture
def coordinator_client(client, db, settings):
    settings.STAFF_2FA_REQUIRED = True
    login_fully(client, "coordinator")
    return client


def _invite(client, django_capture_on_commit_callbacks, **changes):
    data = {"first_name": "Noor", "last_name": "Jansen", "email": "Noor.Jansen@Example.nl",
            "role": "consulent", **changes}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(INVITE, data)


def _invite_link() -> str:
    return re.search(r"/backoffice/welkom/\S+/", mail.outbox[-1].body).group(0)


# --- the list and who may see it ---------------------------------------------------------------

def test_coordinators_see_the_staff_list_and_the_menu_item(coordinator_client):
    services_staff.create_staff_user("inge", STAFF_PASSWORD, "consulent", first_name="Inge",
                                     last_name="de Boer")
    html = coordinator_client.get(LIST).content.decode()
    assert "<h1>Medewerkers</h1>" in html and "Inge de Boer" in html
    assert 'href="/backoffice/medewerkers/" aria-current="page"' in html


@pytest.mark.django_db
def test_consulenten_get_403_everywhere(client, settings):
    settings.STAFF_2FA_REQUIRED = True
    colleague = services_staff.create_staff_user("inge", STAFF_PASSWORD, "consulent")
    login_fully(client, "consulent")
    assert client.get(LIST).status_code == 403
    assert client.get(INVITE).status_code == 403
    assert client.post(INVITE, {"first_name": "X", "last_name": "Y", "email": "x@example.nl",
                                "role": "coordinator"}).status_code == 403
    for name in ("staff_member_deactivate", "staff_member_reset_2fa",
                 "staff_member_change_role"):
        response = client.post(reverse(f"mantelzorg:{name}", args=[colleague.pk]),
                               {"role": "coordinator"})
        assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active and services_staff.role_of(colleague) == "consulent"
    assert not User.objects.filter(email="x@example.nl").exists()
    assert "Medewerkers" not in client.get("/backoffice/").content.decode()


def test_actions_need_post_and_the_csrf_token(coordinator_client, db):
    colleague = services_staff.create_staff_user("inge", STAFF_PASSWORD, "consulent")
    url = reverse("mantelzorg:staff_member_deactivate", args=[colleague.pk])
    assert coordinator_client.get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = coordinator_client.cookies
    assert strict.post(url).status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active


# --- invite ------------------------------------------------------------------------------------

def test_an_invited_colleague_chooses_a_password_once_then_sets_up_the_app(
        coordinator_client, inline_tasks, django_capture_on_commit_callbacks):
    response = _invite(coordinator_client, django_capture_on_commit_callbacks)
    assert response["Location"] == LIST
    noor = User.objects.get(username="noor.jansen@example.nl")
    assert not noor.has_usable_password() and services_staff.role_of(noor) == "consulent"
    assert mail.outbox[-1].to == ["noor.jansen@example.nl"]
    assert mail.outbox[-1].alternatives  # the HTML part, in the e-mail layout
    link = _invite_link()

    newcomer = Client()
    page = newcomer.get(link)
    assert page.status_code == 200 and "Kies uw wachtwoord" in page.content.decode()
    response = newcomer.post(link, {"new_password1": NEW_PASSWORD,
                                    "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("mantelzorg:staff_login")
    assert newcomer.get(link).status_code == 400  # single use
    assert newcomer.post(link, {"new_password1": "x" + NEW_PASSWORD,
                                "new_password2": "x" + NEW_PASSWORD}).status_code == 400

    password_step(newcomer, noor, NEW_PASSWORD)
    assert newcomer.get("/backoffice/")["Location"] == reverse("mantelzorg:staff_setup_2fa")


def test_an_invitation_link_expires(coordinator_client, inline_tasks,
                                    django_capture_on_commit_callbacks, settings):
    _invite(coordinator_client, django_capture_on_commit_callbacks)
    link = _invite_link()
    # (Django's token clock is naive local time: a few hours' margin over the lifetime)
    later = timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT,
                                                hours=3)
    with time_machine.travel(later):
        response = Client().get(link)
    assert response.status_code == 400
    assert "Deze link werkt niet meer" in response.content.decode()


@pytest.mark.parametrize("link", [
    "/backoffice/welkom/MQ/abc-123/", "/backoffice/welkom/!!!/x/",
    "/backoffice/welkom/" + "A" * 300 + "/" + "b" * 300 + "/",
    "/backoffice/welkom/MTIzNDU2Nzg5MDEyMzQ1Njc4OTA/abc/",
])
def test_forged_invitation_links_are_refused(client, db, link):
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code in (400, 404)


def test_a_weak_or_mismatched_password_is_explained(coordinator_client, inline_tasks,
                                                    django_capture_on_commit_callbacks):
    _invite(coordinator_client, django_capture_on_commit_callbacks)
    link = _invite_link()
    newcomer = Client()
    html = newcomer.post(link, {"new_password1": "kort", "new_password2": "kort"}).content.decode()
    assert "id_new_password2_error" in html
    html = newcomer.post(link, {"new_password1": NEW_PASSWORD,
                                "new_password2": NEW_PASSWORD + "!"}).content.decode()
    assert "De twee wachtwoorden zijn niet hetzelfde" in html
    assert not User.objects.get(username="noor.jansen@example.nl").has_usable_password()


@pytest.mark.parametrize("changes, field, message", [
    ({"first_name": ""}, "first_name", "Vul de voornaam in."),
    ({"email": ""}, "email", "Vul het e-mailadres in."),
    ({"email": "noor@"}, "email", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
    ({"email": "noor@example.nl<script>alert(1)</script>"}, "email", "Vul een e-mailadres in"),
    ({"email": "n" * 140 + "@example.nl"}, "email", "150"),
    ({"role": "superuser"}, "role", "Kies een rol."),
    ({"role": ""}, "role", "Kies een rol."),
    ({"last_name": "Jansen\x00\u202e"}, "last_name", "Gebruik alleen gewone letters"),
])
def test_wrong_and_hostile_invitations_are_explained(coordinator_client,
                                                     django_capture_on_commit_callbacks,
                                                     changes, field, message):
    before = User.objects.count()
    response = _invite(coordinator_client, django_capture_on_commit_callbacks, **changes)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html and message in html
    assert "<script>alert(1)</script>" not in html
    assert User.objects.count() == before and mail.outbox == []


def test_an_address_that_already_has_an_account_is_refused(coordinator_client, inline_tasks,
                                                           django_capture_on_commit_callbacks):
    services_staff.create_staff_user("inge", STAFF_PASSWORD, "consulent",
                                     email="noor.jansen@example.nl")
    response = _invite(coordinator_client, django_capture_on_commit_callbacks)
    assert "Er is al een medewerker met dit e-mailadres." in response.content.decode()
    assert mail.outbox == []


# --- deactivate, reset, role -------------------------------------------------------------------

def test_deactivating_ends_the_sessions_and_the_sign_in(coordinator_client, db):
    leaver, leaver_client = _signed_in("consulent", "vertrekker")
    url = reverse("mantelzorg:staff_member_deactivate", args=[leaver.pk])
    response = coordinator_client.post(url, follow=True)
    assert "is uitgezet" in response.content.decode()
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert leaver_client.get("/backoffice/")["Location"].startswith("/backoffice/inloggen/")
    again = password_step(Client(), leaver, STAFF_PASSWORD)
    assert again.status_code == 200 and "klopt niet" in again.content.decode()


def test_a_coordinator_cannot_switch_off_themselves(coordinator_client):
    me = User.objects.get(username="coordinator-x")
    url = reverse("mantelzorg:staff_member_deactivate", args=[me.pk])
    response = coordinator_client.post(url, follow=True)
    assert "U kunt uw eigen account niet uitzetten." in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


@pytest.mark.django_db
def test_the_last_active_coordinator_is_never_switched_off_or_demoted():
    only = services_staff.create_staff_user("enige", STAFF_PASSWORD, "coordinator")
    other = services_staff.create_staff_user("inge", STAFF_PASSWORD, "consulent")
    with pytest.raises(services_staff.StaffActionRefused):
        services_staff.deactivate_staff(only, by=other)
    with pytest.raises(services_staff.StaffActionRefused):
        services_staff.change_role(only, "consulent", by=only)
    only.refresh_from_db()
    assert only.is_active and services_staff.role_of(only) == "coordinator"
    second = services_staff.create_staff_user("tweede", STAFF_PASSWORD, "coordinator")
    TOTPDevice.objects.create(user=second, name="app", confirmed=True)
    services_staff.change_role(only, "consulent", by=second)
    assert services_staff.role_of(only) == "consulent" and not User.objects.get(
        pk=only.pk).is_staff


def test_the_last_coordinator_demoting_themselves_gets_a_message(coordinator_client):
    me = User.objects.get(username="coordinator-x")
    url = reverse("mantelzorg:staff_member_change_role", args=[me.pk])
    response = coordinator_client.post(url, {"role": "consulent"}, follow=True)
    assert "Dit is de laatste actieve coördinator." in response.content.decode()
    assert services_staff.role_of(me) == "coordinator"


def test_an_unaccepted_invitation_does_not_count_as_a_coordinator(
        coordinator_client, inline_tasks, django_capture_on_commit_callbacks):
    """Review of item 11: the sole coordinator invites a coordinator who never accepts, then
    demotes herself. The invitation expires and nobody could manage staff any more."""
    me = User.objects.get(username="coordinator-x")
    _invite(coordinator_client, django_capture_on_commit_callbacks, role="coordinator")
    invited = User.objects.get(username="noor.jansen@example.nl")
    assert roles.is_coordinator(invited) and invited.is_active
    response = coordinator_client.post(reverse("mantelzorg:staff_member_change_role",
                                               args=[me.pk]), {"role": "consulent"}, follow=True)
    assert "Dit is de laatste actieve coördinator." in response.content.decode()
    me.refresh_from_db()
    assert me.is_active and services_staff.role_of(me) == "coordinator"
    # The invited colleague chose a password but never set up the app: still not counted.
    services_staff.set_first_password(invited, NEW_PASSWORD)
    with pytest.raises(services_staff.StaffActionRefused):
        services_staff.change_role(me, "consulent", by=invited)
    # With the app set up she can sign in; now she may demote the first coordinator.
    TOTPDevice.objects.create(user=invited, name="app", confirmed=True)
    services_staff.change_role(me, "consulent", by=invited)
    assert services_staff.role_of(me) == "consulent"


def test_nobody_demotes_themselves(coordinator_client):
    me = User.objects.get(username="coordinator-x")
    _signed_in("coordinator", "collega")
    url = reverse("mantelzorg:staff_member_change_role", args=[me.pk])
    response = coordinator_client.post(url, {"role": "consulent"}, follow=True)
    assert "U kunt uw eigen rol niet veranderen." in response.content.decode()
    assert services_staff.role_of(me) == "coordinator"
    assert not LogEntry.objects.filter(object_id=str(me.pk)).exists()


@pytest.mark.django_db
def test_in_demo_mode_a_coordinator_without_an_app_counts(settings):
    """make run's demo logins have a password and no app, and 2FA is off there."""
    first = services_staff.create_staff_user("eerste", STAFF_PASSWORD, "coordinator")
    second = services_staff.create_staff_user("tweede", STAFF_PASSWORD, "coordinator")
    settings.STAFF_2FA_REQUIRED = True
    with pytest.raises(services_staff.StaffActionRefused):
        services_staff.change_role(first, "consulent", by=second)
    settings.STAFF_2FA_REQUIRED = False
    services_staff.change_role(first, "consulent", by=second)
    assert services_staff.role_of(first) == "consulent"


def test_resetting_the_second_factor_removes_the_app_and_ends_sessions(coordinator_client, db):
    colleague, colleague_client = _signed_in("consulent", "telefoon-kwijt")
    url = reverse("mantelzorg:staff_member_reset_2fa", args=[colleague.pk])
    coordinator_client.post(url)
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert colleague_client.get("/backoffice/")["Location"].startswith("/backoffice/inloggen/")
    fresh = Client()
    password_step(fresh, colleague, STAFF_PASSWORD)
    assert fresh.get("/backoffice/")["Location"] == reverse("mantelzorg:staff_setup_2fa")


def test_changing_the_role_changes_what_the_colleague_may_do(coordinator_client, db):
    colleague, colleague_client = _signed_in("consulent", "promotie")
    assert colleague_client.get(LIST).status_code == 403
    url = reverse("mantelzorg:staff_member_change_role", args=[colleague.pk])
    coordinator_client.post(url, {"role": "coordinator"})
    assert roles.is_coordinator(User.objects.get(pk=colleague.pk))
    assert colleague_client.get(LIST).status_code == 200
    for hostile in ("superuser", "", "<script>", "coordinator' OR 1=1"):
        response = coordinator_client.post(url, {"role": hostile}, follow=True)
        assert response.status_code == 200 and "Kies een rol." in response.content.decode()


def test_every_action_is_logged_and_shown(coordinator_client, inline_tasks,
                                          django_capture_on_commit_callbacks):
    me = User.objects.get(username="coordinator-x")
    colleague, _client = _signed_in("consulent", "inge")
    _invite(coordinator_client, django_capture_on_commit_callbacks)
    coordinator_client.post(reverse("mantelzorg:staff_member_change_role", args=[colleague.pk]),
                            {"role": "coordinator"})
    coordinator_client.post(reverse("mantelzorg:staff_member_reset_2fa", args=[colleague.pk]))
    coordinator_client.post(reverse("mantelzorg:staff_member_deactivate", args=[colleague.pk]))
    entries = list(LogEntry.objects.order_by("action_time").values_list(
        "user_id", "object_id", "change_message"))
    assert [(who, whom) for who, whom, _what in entries] == [
        (me.pk, str(User.objects.get(username="noor.jansen@example.nl").pk)),
        (me.pk, str(colleague.pk)), (me.pk, str(colleague.pk)), (me.pk, str(colleague.pk))]
    assert [what.split(" ")[0] for _who, _whom, what in entries] == [
        "Uitgenodigd", "Rol", "Tweestapsverificatie", "Account"]
    html = coordinator_client.get(LIST).content.decode()
    assert "Wat er is veranderd" in html
    for text in ("Uitgenodigd als Consulent.", "Rol veranderd van Consulent naar Coördinator.",
                 "Account uitgezet."):
        assert text in html


@pytest.mark.django_db
def test_make_runs_demo_logins_still_work_and_are_listed(client, settings):
    settings.STAFF_2FA_REQUIRED = False  # as in make run's demo mode
    call_command("load_demo_data", caregivers=120)
    consulent = User.objects.get(username="consulent")
    assert password_step(Client(), consulent, DEMO_PASSWORD).status_code == 302
    coordinator = User.objects.get(username="coordinator")
    assert password_step(client, coordinator, DEMO_PASSWORD).status_code == 302
    html = client.get(LIST).content.decode()
    assert "Inge Consulent" in html and "Kees Coördinator" in html
