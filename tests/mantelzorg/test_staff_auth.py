"""Staff login: roles, the second factor (TOTP), lockout after wrong passwords, admin."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

DASHBOARD = "/backoffice/"
SYSTEM = "/backoffice/systeem/"
ADMIN = "/beheer/"
STAFF_PAGES = [DASHBOARD, SYSTEM, ADMIN]


@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_are_unreachable_without_login(client, url):
    response = client.get(url, follow=True)
    assert response.redirect_chain, "no redirect"
    assert response.redirect_chain[-1][0].startswith("/backoffice/inloggen/")
    assert "Inloggen voor medewerkers" in response.content.decode()


@pytest.mark.django_db
def test_with_a_device_the_password_alone_reaches_nothing(client, make_staff, password_step):
    user, password, device = make_staff("coordinator", with_device=True)
    response = password_step(client, user, password)
    assert response["Location"] == reverse("mantelzorg:staff_verify")
    assert "_auth_user_id" not in client.session  # not logged in yet
    for url in STAFF_PAGES:
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith("/backoffice/inloggen/")
        assert "Inloggen voor medewerkers" in response.content.decode()


@pytest.mark.django_db
def test_second_factor_completes_the_login_and_returns_to_next(client, make_staff, password_step,
                                                               totp_now):
    user, password, device = make_staff("coordinator", with_device=True)
    password_step(client, user, password, next=SYSTEM)
    response = client.post(reverse("mantelzorg:staff_verify"), {"token": totp_now(device)})
    assert response.status_code == 302
    assert response["Location"] == SYSTEM
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    assert "Overzicht" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("token, message", [
    ("", "Vul de code in."),
    ("12", "De code heeft 6 cijfers."),
    ("abcdef", "De code bestaat alleen uit cijfers."),
    ("<scrip", "De code bestaat alleen uit cijfers."),
    ("' OR 1", "De code bestaat alleen uit cijfers."),
    ("9" * 5000, "De code heeft 6 cijfers."),
])
def test_wrong_codes_are_explained_next_to_the_field(client, make_staff, token, message,
                                                     password_step):
    user, password, device = make_staff(with_device=True)
    password_step(client, user, password)
    response = client.post(reverse("mantelzorg:staff_verify"), {"token": token})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'id="id_token_error"' in html and 'aria-invalid="true"' in html
    assert client.get(DASHBOARD).status_code == 302


@pytest.mark.django_db
def test_a_wrong_six_digit_code_is_refused(client, make_staff, password_step, totp_now):
    user, password, device = make_staff(with_device=True)
    password_step(client, user, password)
    good = totp_now(device)
    wrong = f"{(int(good) + 1) % 1000000:06d}"
    response = client.post(reverse("mantelzorg:staff_verify"), {"token": wrong})
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302


@pytest.mark.django_db
def test_without_a_device_staff_must_set_one_up_first(client, make_staff, password_step, totp_now):
    user, password, _ = make_staff("consulent")
    response = password_step(client, user, password)
    assert response.status_code == 302
    response = client.get(DASHBOARD)
    assert response["Location"] == reverse("mantelzorg:staff_setup_2fa")
    setup = client.get(reverse("mantelzorg:staff_setup_2fa"))
    html = setup.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "QR-code" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("mantelzorg:staff_setup_2fa"), {"token": totp_now(device)})
    assert response["Location"] == DASHBOARD
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.django_db
def test_demo_mode_skips_the_second_factor(client, make_staff, settings, password_step):
    settings.STAFF_2FA_REQUIRED = False
    user, password, _ = make_staff("consulent", with_device=True)
    password_step(client, user, password)
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_the_account(client, make_staff, settings, password_step):
    user, password, _ = make_staff("consulent")
    for _attempt in range(9):
        response = password_step(client, user, "fout-wachtwoord")
        assert response.status_code == 200
        assert "klopt niet" in response.content.decode()
    assert password_step(client, user, "fout-wachtwoord").status_code == 429  # the 10th
    response = password_step(client, user, password)  # even the right password now fails
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_ends_after_the_cooloff(client, make_staff, settings, password_step):
    import time_machine
    from django.utils import timezone

    user, password, _ = make_staff("consulent")
    for _ in range(10):
        password_step(client, user, "fout-wachtwoord")
    assert password_step(client, user, password).status_code == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME * 2):
        response = password_step(client, user, password)
    assert response.status_code == 302


@pytest.mark.django_db
def test_nine_wrong_passwords_do_not_lock(client, make_staff, password_step):
    user, password, _ = make_staff("consulent")
    for _ in range(9):
        password_step(client, user, "fout-wachtwoord")
    assert password_step(client, user, password).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("username, password", [
    ("", ""),
    ("x" * 10000, "y" * 10000),
    ("' OR '1'='1", "' OR '1'='1"),
    ("<script>alert(1)</script>", "pw"),
    ("naïve\u202eüser\x00", "\x00\x01"),
])
def test_hostile_login_input_never_errors_and_is_escaped(client, db, username, password):
    response = client.post(reverse("mantelzorg:staff_login"),
                           {"username": username, "password": password})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_account_without_a_role_cannot_log_in(client, django_user_model):
    django_user_model.objects.create_user("zomaar", password="een-lang-test-wachtwoord-42")
    response = client.post(
        reverse("mantelzorg:staff_login"),
        {"username": "zomaar", "password": "een-lang-test-wachtwoord-42"},
    )
    assert "geen toegang tot de backoffice" in response.content.decode()


@pytest.mark.django_db
def test_next_never_redirects_off_site(client, make_staff, settings, password_step):
    settings.STAFF_2FA_REQUIRED = False
    user, password, _ = make_staff()
    response = password_step(client, user, password, next="https://evil.example/steal")
    assert response["Location"] == DASHBOARD


@pytest.mark.django_db
def test_consulent_reaches_dashboard_but_not_admin_or_system(client, login_fully):
    login_fully(client, "consulent")
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(SYSTEM).status_code == 403
    assert client.get(ADMIN, follow=True).status_code == 403


@pytest.mark.django_db
def test_coordinator_edits_reference_data_in_admin(client, login_fully):
    login_fully(client, "coordinator")
    assert client.get(ADMIN).status_code == 200
    page = client.get("/beheer/registrations/district/")
    assert page.status_code == 200
    assert "Stadsdennen" in page.content.decode()
    assert client.get("/beheer/registrations/postcoderange/add/").status_code == 200
    rules = client.get("/beheer/registrations/registrationrules/", follow=True)
    assert rules.status_code == 200
    assert "jonge mantelzorger tot en met leeftijd" in rules.content.decode().lower()
    response = client.post(
        rules.redirect_chain[-1][0],
        {
            "young_max_age": 23,
            "guardian_consent_below_age": 16,
            "minimum_age": 8,
            "former_retention_months": 24,
            "end_notice_days": 30,
            "erasure_grace_days": 30,
            "unconfirmed_expiry_days": 60,
            "link_valid_minutes": 30,
        },
    )
    assert response.status_code == 302
    from registrations.models import RegistrationRules

    assert RegistrationRules.current().young_max_age == 23


@pytest.mark.django_db
def test_logout_ends_the_session(client, login_fully):
    login_fully(client, "consulent")
    response = client.post(reverse("mantelzorg:staff_logout"))
    assert response.status_code == 302
    assert client.get(DASHBOARD).status_code == 302
