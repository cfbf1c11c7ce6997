"""Rate limits (core/ratelimit.py), the details `make mutate` showed untested: an address
written with spaces inside, posts without an address or without a client address, the
refusal page's site name, and a view wired with the wrong identity fields."""

import pytest

from core import ratelimit

LINK = "/mijn-gegevens/inloggen"

pytestmark = pytest.mark.django_db


def ask_link(client, data, **extra):
    extra.setdefault("REMOTE_ADDR", "127.0.0.1")
    return client.post(LINK, data, **extra)


def test_an_address_with_spaces_inside_counts_as_the_same_address(client, settings):
    settings.RATELIMIT_LINK_PER_ADDRESS = 1
    assert ask_link(client, {"email": "riet@example.nl"}).status_code == 200
    assert ask_link(client, {"email": "riet @ example.nl"}).status_code == 429
    assert ask_link(client, {"email": "Riet@Example.nl\t"}).status_code == 429


def test_posts_without_an_address_do_not_share_one_address_counter(client, settings):
    settings.RATELIMIT_LINK_PER_ADDRESS = 1
    for n in range(3):
        assert ask_link(client, {}, REMOTE_ADDR=f"192.0.2.{n + 1}").status_code != 429, n


def test_posts_without_a_client_address_still_count_together(client, settings):
    """A request without a socket address (a misconfigured proxy) is not let through
    unlimited: all such posts share one counter."""
    settings.RATELIMIT_LINK_PER_IP = 2
    settings.RATELIMIT_LINK_PER_ADDRESS = 0
    answers = [ask_link(client, {"email": f"p{n}@example.nl"}, REMOTE_ADDR="").status_code
               for n in range(3)]
    assert answers == [200, 200, 429]


def test_the_refusal_page_names_the_servicepunt(client, settings):
    settings.RATELIMIT_LINK_PER_ADDRESS = 1
    ask_link(client, {"email": "riet@example.nl"})
    html = ask_link(client, {"email": "riet@example.nl"}).content.decode()
    assert "<title>Te veel pogingen – Servicepunt Mantelzorg Harderwijk &amp; Hierden</title>" \
        in html


@pytest.mark.parametrize("identity", ["postcode", ("postcode",), ("a", "b", "c"), "pc"])
def test_a_view_wired_with_the_wrong_identity_fields_fails_at_once(identity):
    message = "identity names the postcode field and the house-number field"
    with pytest.raises(ValueError) as wrong:
        ratelimit.limit("form", identity=identity)
    assert str(wrong.value) == message


def test_a_view_wired_with_two_identity_fields_or_none_answers(rf):
    def view(request):
        return "antwoord"

    for wired in (ratelimit.limit("form", identity=("postcode", "house_number")),
                  ratelimit.limit("link", email_field="email")):
        assert wired(view)(rf.get("/")) == "antwoord"


def test_a_counter_is_kept_for_its_window_and_a_few_seconds_more(client, settings):
    """Long enough to count the whole window; not longer, as even a hashed address is data.
    (Read a moment after it was set: the lower bound leaves ten seconds for a slow test.)"""
    from django.core.cache import cache

    settings.RATELIMIT_LINK_WINDOW_SECONDS = 3600
    ask_link(client, {"email": "riet@example.nl"})

    redis = cache._cache.get_client(None, write=True)
    keys = list(redis.scan_iter(match=cache.make_key(ratelimit.KEY_PREFIX + "*")))
    assert len(keys) == 2  # per client address and per e-mail address
    for key in keys:
        assert 3595 < redis.ttl(key) <= 3605


def test_a_broken_counter_store_is_logged_with_its_error(client, monkeypatch, caplog):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "incr", broken)
    with caplog.at_level("WARNING", logger="core.ratelimit"):
        assert ask_link(client, {"email": "riet@example.nl"}).status_code == 200

    records = [r for r in caplog.records if r.name == "core.ratelimit"]
    assert records and all(r.getMessage() == "Rate limit counter unavailable; request allowed"
                           for r in records)
    assert all(r.exc_info and r.exc_info[0] is ConnectionError for r in records)
