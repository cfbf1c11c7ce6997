"""Strategies and checks for the hostile-input tests (a plain module, not a test module):
generated hostile text, the settings that run 300 examples per test, the answer every
response must satisfy, and one rolled-back example at a time."""

import contextlib
import os

from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from appreciation.models import AppreciationRequest, CampaignRequest
from insight.models import BurdenCheck
from registrations.models import Caregiver, CareRecipient

# FUZZ_EXAMPLES sets the count: 300 by default (derandomized: the same ones each run); `make
# fuzz` runs 3,000 each.
EXAMPLES = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
                    derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])
# Tests that post a whole page (or a wizard's steps) per example run a third as many: 100 in
# `make test`, which keeps the suite within its six minutes, 1,000 in `make fuzz`.
PAGE_EXAMPLES = settings(EXAMPLES, max_examples=max(EXAMPLES.max_examples // 3, 20))

# --- strategies ----------------------------------------------------------------------------
HTML = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
        "'><svg/onload=alert(1)>", "</textarea><script>alert(document.cookie)</script>",
        "<iframe src=javascript:alert(1)>", "{{ 7*7 }}{% debug %}", "&lt;script&gt;"]
SQL = ["' OR 1=1 --", "'; DROP TABLE registrations_caregiver; --", '" OR ""="',
       "1; SELECT pg_sleep(1)", "\\x00' UNION SELECT password FROM auth_user --", "%' --"]
ODD_DATES = ["31-02-2026", "00-00-0000", "29-02-2025", "32-13-2020", "01-01-9999",
             "31-12-9999", "-01-01-2000", "01-01--500", "1-1-1", "2026-02-31", "15/03/0001",
             "99.99.9999", "01-01-1899", "01-01-2100", "", " ", "dd-mm-jjjj", "01 01 10000"]
WEIRD = ["\u202eevil\u202c", "مرحبا بالعالم", "שלום", "👩‍👩‍👧‍👦🧑🏽‍🦯", "e\u0301\u0301\u0301",
         "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇", "\x00", "a\x00b", "\r\n\t\x0b\x0c", "\ufeff", "\u200b",
         "\ud7ff\ue000\uffff", "𝕳𝖆𝖗𝖉𝖊𝖗𝖜𝖎𝖏𝖐", "NaN", "-1", "0", "1e309", "999999999999999999999",
         "None", "null", "[]", "{}", "../../etc/passwd", "%00", "%s%s%n"]
CONTROL = st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf"]),
                  min_size=1, max_size=20)


def _huge(chunk: str, size: int) -> str:
    return (chunk * (size // max(len(chunk), 1) + 1))[:size]


HUGE = st.builds(_huge, st.sampled_from(HTML + SQL + WEIRD[:6] + ["x", "ä"]),
                 st.integers(10_000, 100_000))
NUMBER_DATE = st.builds("{}-{}-{}".format, st.integers(-99, 99), st.integers(-99, 99),
                        st.integers(-99999, 99999))
hostile = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HTML + SQL + WEIRD + ODD_DATES),
    CONTROL,
    st.builds("{}{}".format, st.text(max_size=8), st.sampled_from(HTML + SQL)),
    st.builds("{}{}{}".format, st.sampled_from(WEIRD), st.sampled_from(HTML), CONTROL),
)
odd_date = st.one_of(st.sampled_from(ODD_DATES), NUMBER_DATE, hostile)


def mixed(valid: dict, odd: dict | None = None):
    """Each field either its valid value, a hostile one, or left out; sometimes a field we
    never sent is added. Dates get odd dates besides."""
    odd = odd or {}
    parts = {}
    for name, value in valid.items():
        choices = [st.just(value), hostile, st.just(None)]
        if name in odd:
            choices.append(odd[name])
        parts[name] = st.one_of(*choices)
    names = st.one_of(st.sampled_from(list(valid)), st.text(max_size=20))
    # A huge value (10-100 kB) in about one example in eight: it costs ~50 ms a post.
    extra = st.integers(0, 7).flatmap(
        lambda n: st.dictionaries(names, HUGE, min_size=1, max_size=1) if n == 0
        else st.dictionaries(names, hostile, max_size=2))
    return st.builds(lambda fields, more: {**{k: v for k, v in fields.items()
                                              if v is not None}, **more},
                     st.fixed_dictionaries(parts), extra)


def prefixed(step: str, data: dict) -> dict:
    return {f"{step}-{key}": value for key, value in data.items()}


# --- what every answer must satisfy --------------------------------------------------------
RAW = ["<script>alert(", "<img src=x onerror=", "<svg/onload=", "<iframe src=javascript:"]
WATCHED = [Caregiver, CareRecipient, AppreciationRequest, CampaignRequest, BurdenCheck]


def _values(data: dict):
    for value in data.values():
        yield from (value if isinstance(value, list) else [value])


def check_answer(response, posted: dict):
    """Never a 5xx (429 from a rate limit is a fine answer); nothing reflected raw."""
    assert response.status_code < 500, response.status_code
    body = response.content.decode("utf-8", "replace")
    for marker in RAW:
        assert marker not in body, f"raw {marker!r} in the page"
    for value in _values(posted):
        if isinstance(value, str) and len(value) >= 16 and "<" in value:
            assert value not in body, "a posted value came back unescaped"


def _last_ids() -> tuple:
    """The highest id of each watched table, in one query (it runs twice per example)."""
    sql = "SELECT " + ", ".join(f"(SELECT coalesce(max(id), 0) FROM {m._meta.db_table})"
                                for m in WATCHED)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def valid_row(row):
    """full_clean(); a protected django-fsm state field refuses the assignment clean_fields
    does, so it is checked against its choices instead."""
    protected = [f for f in row._meta.fields if getattr(f, "protected", False)]
    row.full_clean(exclude=[f.name for f in protected])
    for field in protected:
        assert getattr(row, field.attname) in {value for value, _ in field.choices}


@contextlib.contextmanager
def example():
    """One example: rolled back afterwards. Yields the rows stored meanwhile (filled in at
    the end) after checking each passes full_clean()."""
    stored = []
    with transaction.atomic():
        before = _last_ids()
        yield stored
        after = _last_ids()
        for model, last, now in zip(WATCHED, before, after, strict=True):
            if now != last:
                for row in model.objects.filter(pk__gt=last):
                    valid_row(row)
                    stored.append(row)
        transaction.set_rollback(True)


def post_all(client, url, data):
    response = client.post(url, data)
    check_answer(response, data)
    return response
