"""Rate limits on the sign-in link request and the public forms (core/ratelimit.py):
per client address and per e-mail address / per identity, fixed windows, a Dutch 429 page
that never tells whether an address is known, and no 500 when the counter store fails."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache

from tests.factories import CaregiverFactory

LINK = "/mijn-gegevens/inloggen"
SWIM = "/zwemkaartjes"
REFUSED = "Te veel pogingen. Probeer het over een kwartier opnieuw."

pytestmark = pytest.mark.django_db


def ask_link(client, email, ip="127.0.0.1"):
    return client.post(LINK, {"email": email}, REMOTE_ADDR=ip)


def swim_post(client, birth="02-01-1950", postcode="3845 AB", number="12a", ip="127.0.0.1"):
    return client.post(SWIM, {"date_of_birth": birth, "postcode": postcode,
                              "house_number": number}, REMOTE_ADDR=ip)


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return html


def test_the_sixth_link_request_for_one_address_in_an_hour_is_refused(client):
    CaregiverFactory(complete=True)
    for _ in range(5):
        assert ask_link(client, "riet@example.nl").status_code == 200
    refused = ask_link(client, "riet@example.nl")
    assert refused.status_code == 429
    assert REFUSED in refused.content.decode()
    # Same address written differently is the same address.
    assert ask_link(client, " RIET@example.nl ").status_code == 429
    # Another address from the same computer still works.
    assert ask_link(client, "bram@example.nl").status_code == 200


def test_the_ip_limit_stops_trying_many_addresses(client, settings):
    for n in range(settings.RATELIMIT_LINK_PER_IP):
        assert ask_link(client, f"persoon{n}@example.nl").status_code == 200, n
    assert ask_link(client, "nog-een@example.nl").status_code == 429
    # Another client address is counted on its own.
    assert ask_link(client, "nog-een@example.nl", ip="192.0.2.7").status_code == 200


def test_a_refusal_reads_the_same_for_known_and_unknown_addresses(client, settings):
    settings.RATELIMIT_LINK_PER_ADDRESS = 1
    CaregiverFactory(complete=True)
    for email in ("riet@example.nl", "niemand@example.nl"):
        assert ask_link(client, email).status_code == 200
    known, unknown = ask_link(client, "riet@example.nl"), ask_link(client, "niemand@example.nl")
    assert known.status_code == unknown.status_code == 429
    assert visible_text(known) == visible_text(unknown)


def test_the_window_resets_after_its_time(client, settings):
    settings.RATELIMIT_LINK_PER_ADDRESS = 1
    start = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert ask_link(client, "riet@example.nl").status_code == 200
        assert ask_link(client, "riet@example.nl").status_code == 429
        traveller.shift(datetime.timedelta(minutes=30))
        assert ask_link(client, "riet@example.nl").status_code == 429
        traveller.shift(datetime.timedelta(minutes=31))
        assert ask_link(client, "riet@example.nl").status_code == 200


def test_the_refusal_page_is_dutch_accessible_and_says_when_to_try_again(client, settings):
    settings.RATELIMIT_LINK_PER_ADDRESS = 1
    ask_link(client, "riet@example.nl")
    response = ask_link(client, "riet@example.nl")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert re.search(r"<h1>Te veel pogingen</h1>", html)
    assert "<main" in html
    assert "riet@example.nl" not in html
    assert "Traceback" not in html and "Server Error" not in html


def test_get_requests_are_never_counted(client, settings):
    settings.RATELIMIT_LINK_PER_IP = 1
    for _ in range(5):
        assert client.get(LINK).status_code == 200
    assert ask_link(client, "riet@example.nl").status_code == 200


def test_public_form_posts_are_limited_per_client_address(client, settings):
    settings.RATELIMIT_FORM_PER_IP = 3
    for n in range(3):
        assert swim_post(client, number=str(n + 1)).status_code == 200
    refused = swim_post(client, number="9")
    assert refused.status_code == 429 and REFUSED in refused.content.decode()
    assert swim_post(client, number="9", ip="192.0.2.8").status_code == 200


def test_public_form_posts_are_limited_per_identity_across_client_addresses(client, settings):
    settings.RATELIMIT_FORM_PER_IDENTITY = 2
    assert swim_post(client, ip="192.0.2.1").status_code == 200
    assert swim_post(client, postcode="3845ab", number="12A", ip="192.0.2.2").status_code == 200
    assert swim_post(client, ip="192.0.2.3").status_code == 429
    assert swim_post(client, number="14", ip="192.0.2.3").status_code == 200  # next door


def test_the_identity_limit_holds_across_ten_birth_dates_on_one_address(client, settings):
    """Regression (issue 14, item 2): the identity key held the date of birth, so trying
    other birth dates (or the same one written otherwise) on one address was never limited.
    Now the key is the normalised address alone."""
    settings.RATELIMIT_FORM_PER_IDENTITY = 3
    spellings = [("3845 AB", "12a"), ("3845ab", "12 A"), ("3845-AB", "12-a"), (" 3845AB ", "12A")]
    answers = []
    for n in range(10):
        postcode, number = spellings[n % len(spellings)]
        birth = (datetime.date(1950, 1, 1) + datetime.timedelta(days=37 * n))
        written = birth.strftime("%d-%m-%Y") if n % 2 else birth.strftime("%-d-%-m-%Y")
        refused = swim_post(client, birth=written, postcode=postcode, number=number,
                            ip=f"192.0.2.{n + 1}").status_code == 429
        answers.append(refused)
    assert answers == [False] * 3 + [True] * 7


@pytest.mark.parametrize("url, prefix", [
    (SWIM, ""),
    ("/waardering/zelf/mantelzorger", "mantelzorger-"),
    ("/aanmelden/over-mij", "over-mij-"),
])
def test_decoy_address_fields_do_not_escape_the_identity_limit(client, settings, url, prefix,
                                                                 waardering_year):
    """Regression (issue 14 review, item 2): the limit took the first posted field whose
    name ended in `-postcode` / `-house_number`, so a decoy `x-postcode=<random>` put in
    front gave every post a fresh counter. Now each view names its own two fields."""
    settings.RATELIMIT_FORM_PER_IDENTITY = 3
    settings.RATELIMIT_FORM_PER_IP = 1000
    answers = []
    for n in range(6):
        body = (f"x-postcode={1000 + n}ZZ&x-house_number={n}&a-b-postcode=9{n}99XY"
                f"&{prefix}date_of_birth=02-01-1950&{prefix}postcode=3845+AB"
                f"&{prefix}house_number=12a")
        response = client.post(url, body, content_type="application/x-www-form-urlencoded",
                               REMOTE_ADDR=f"192.0.2.{n + 1}")
        answers.append(response.status_code == 429)
    assert answers == [False] * 3 + [True] * 3


def test_only_the_final_registration_step_counts_per_address(client, settings):
    settings.RATELIMIT_FORM_PER_IP = 1
    for _ in range(3):
        assert client.post("/aanmelden/naaste", {}).status_code != 429
    assert client.post("/aanmelden/controleren", {}).status_code != 429
    assert client.post("/aanmelden/controleren", {}).status_code == 429


def test_waardering_steps_are_limited(client, settings, waardering_year):
    settings.RATELIMIT_FORM_PER_IP = 2
    assert client.post("/waardering/zelf/zorg", {}).status_code != 429
    assert client.post("/waardering/zelf/zorg", {}).status_code != 429
    assert client.post("/waardering/namens/zorg", {}).status_code == 429


def test_unsubscribe_posts_are_limited(client, settings):
    settings.RATELIMIT_FORM_PER_IP = 2
    for _ in range(2):
        assert client.post("/afmelden/onzin").status_code == 400
    assert client.post("/afmelden/onzin").status_code == 429


def test_a_limit_of_zero_switches_only_that_limit_off(client, settings):
    settings.RATELIMIT_LINK_PER_ADDRESS = 0
    settings.RATELIMIT_LINK_PER_IP = 3
    answers = [ask_link(client, "riet@example.nl", ip="192.0.2.1").status_code
               for _ in range(4)]
    assert answers == [200, 200, 200, 429]  # the address no longer counts, the IP still does
    assert ask_link(client, "riet@example.nl", ip="192.0.2.2").status_code == 200


def test_posts_without_an_address_do_not_share_one_identity_counter(client, settings):
    """A post without a postcode has no identity: it must not use up a counter that every
    other such post (from anyone) shares."""
    settings.RATELIMIT_FORM_PER_IDENTITY = 1
    for n in range(3):
        assert swim_post(client, postcode="", ip=f"192.0.2.{n + 1}").status_code == 200, n


def test_the_form_and_link_limits_count_apart(client, settings):
    settings.RATELIMIT_FORM_PER_IP = 1
    settings.RATELIMIT_LINK_PER_IP = 1
    settings.RATELIMIT_FORM_WINDOW_SECONDS = settings.RATELIMIT_LINK_WINDOW_SECONDS = 3600
    assert swim_post(client).status_code == 200
    assert ask_link(client, "riet@example.nl").status_code == 200
    assert swim_post(client, number="14").status_code == 429
    assert ask_link(client, "bram@example.nl").status_code == 429


def test_limits_can_be_switched_off(client, settings):
    settings.RATELIMIT_LINK_PER_ADDRESS = 1
    settings.RATELIMIT_ENABLED = False
    for _ in range(3):
        assert ask_link(client, "riet@example.nl").status_code == 200


def test_a_broken_counter_store_lets_people_through(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "incr", broken)
    for _ in range(8):
        assert ask_link(client, "riet@example.nl").status_code == 200


def test_counters_hold_no_personal_data_in_their_keys(client, settings):
    from core import ratelimit

    ask_link(client, "riet@example.nl", ip="192.0.2.99")
    swim_post(client)
    redis = cache._cache.get_client(None, write=True)
    keys = [k.decode() for k in redis.scan_iter(match=cache.make_key(ratelimit.KEY_PREFIX + "*"))]
    assert len(keys) == 4
    joined = " ".join(keys)
    for secret in ("riet", "192.0.2.99", "1950", "3845"):
        assert secret not in joined
    ratelimit.reset_all()
    assert not list(redis.scan_iter(match=cache.make_key(ratelimit.KEY_PREFIX + "*")))


@pytest.mark.parametrize("proxies, forwarded, expected", [
    (0, "8.8.8.8", "10.0.0.2"),  # no proxy: a client's own header is ignored
    (1, "8.8.8.8", "8.8.8.8"),
    (1, "1.2.3.4, 8.8.8.8", "8.8.8.8"),  # the left entry is the client's claim
    (2, "1.2.3.4, 8.8.8.8, 10.0.0.9", "8.8.8.8"),
    (2, "8.8.8.8", "10.0.0.2"),  # fewer entries than proxies: the socket address
    (1, "unknown", "10.0.0.2"),  # not an address (a misconfigured proxy): the socket's
])
def test_the_client_address_behind_proxies(settings, proxies, forwarded, expected):
    from django.test import RequestFactory

    from core.ratelimit import client_ip

    settings.AXES_IPWARE_PROXY_COUNT = proxies or None
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == expected
