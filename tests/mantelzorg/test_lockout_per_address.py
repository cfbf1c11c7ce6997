"""Issue 14, item 12: wrong passwords lock a username only from the address they came from.

Ten wrong passwords for `coordinator` typed from anywhere used to lock that account for
everyone, which lets any stranger lock the coordinator out. Now the lock is on the pair
(username, address), with a broader limit for one address guessing across accounts.
"""

import pytest
from django.urls import reverse

ADDRESS_A = "203.0.113.7"
ADDRESS_B = "198.51.100.23"


def _sign_in(client, username, password, address):
    return client.post(reverse("mantelzorg:staff_login"),
                       {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_that_address_not_the_account(client, make_staff, settings):
    user, password, _ = make_staff("coordinator")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, user.username, "fout-wachtwoord", ADDRESS_A)
    locked = _sign_in(client, user.username, password, ADDRESS_A)
    assert locked.status_code == 429
    assert "tijdelijk geblokkeerd" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    response = _sign_in(client, user.username, password, ADDRESS_B)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_one_address_guessing_across_accounts_is_stopped(client, make_staff, settings):
    settings.STAFF_LOGIN_FAILURES_PER_ADDRESS = 12
    user, password, _ = make_staff("consulent")
    for number in range(12):  # a few tries each, never ten for one name
        _sign_in(client, f"medewerker-{number % 4}", "geraden", ADDRESS_A)
    response = _sign_in(client, user.username, password, ADDRESS_A)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _sign_in(client, user.username, password, ADDRESS_B).status_code == 302


@pytest.mark.django_db
def test_a_few_mistakes_from_a_shared_office_address_do_not_lock_it(client, make_staff):
    user, password, _ = make_staff("consulent")
    for number in range(9):
        _sign_in(client, f"collega-{number}", "typfout", ADDRESS_A)
    assert _sign_in(client, user.username, password, ADDRESS_A).status_code == 302
