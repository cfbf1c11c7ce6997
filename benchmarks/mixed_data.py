"""The data of `make bench-mixed` (bench_mixed.py), filled with set-based SQL.

One database for the whole mixed day:
- the registrations of bench_retention.py (BENCH_SCALE × 1,000,000), for the retention job;
- the waardering queue of bench_queue.py (BENCH_SCALE × 20,000 requests, as bench-load), its
  caregivers with addresses of their own (wachtrij<id>@…); this year's window open all year
  with a budget that is never reached; its approved requests rejected, so the payment batch
  holds the 10,000 below plus what the consulenten approve before it is made;
- BENCH_SCALE × 10,000 approved bank requests of active caregivers, for the payment batch;
- the newsletter's audience: exactly BENCH_SCALE × 100,000 active caregivers with a
  confirmed address want it, nobody else (so no one else's mail reaches those addresses);
- BENCH_SCALE × 1,000 postal letters waiting for the printer (recent former caregivers,
  whom the retention job leaves alone);
- five consulenten and a coordinator with sessions that passed the second factor.
"""

import datetime
import secrets

SEPA_REQUESTS = """
INSERT INTO appreciation_appreciationrequest (
    year_id, caregiver_id, route, requester_name, requester_relation, requester_contact,
    caregiver_confirmed_at, caregiver_was_unknown, recipient_name, recipient_postcode,
    recipient_house_number, hours_per_week, care_since, age_group, payout_form, amount_cents,
    iban, account_holder, state, checks, checks_passed, decided_at, submitted_at)
SELECT %(year_id)s, c.id, 'zelf', '', '', '', now(), false, 'Naaste ' || c.id, '3845AB',
       '12', 12, DATE '2019-01-01', 'volwassen', 'bank', 7500, (%(ibans)s::text[])[c.n],
       'V. Achternaam' || c.id, 'goedgekeurd', %(checks)s::jsonb, true, now(),
       now() - c.n * interval '1 second'
FROM (SELECT id, row_number() OVER (ORDER BY id DESC) AS n FROM registrations_caregiver
      WHERE state = 'actief' AND id > %(queue_last)s ORDER BY id DESC LIMIT %(count)s) AS c
"""

AUDIENCE = """
UPDATE registrations_caregiver SET wants_newsletter = (id IN (
    SELECT id FROM registrations_caregiver
    WHERE state = 'actief' AND channel = 'email' AND email_confirmed_at IS NOT NULL
      AND email <> '' AND id > %(queue_last)s
    ORDER BY id LIMIT %(count)s))
"""

LETTERS = """
INSERT INTO worker_letter (kind, caregiver_id, status, dedupe_key, created_at, channel)
SELECT %(kind)s, id, 'te_printen', 'bench-mixed:' || id, now(), 'post'
FROM registrations_caregiver
WHERE state = 'voormalig' AND care_ended_on > %(today)s - 400 AND id > %(queue_last)s
ORDER BY id LIMIT %(count)s
"""


def fill(today: datetime.date, sizes: dict) -> dict:
    """Everything above; returns what the checks need (ids, counts)."""
    import bench_queue
    import bench_retention
    from bench_sepa import nl_iban
    from django.db import connection

    from appreciation.models import AppreciationYear
    from registrations.models import RegistrationLetter
    from worker.models import Newsletter

    # The queue first: its requests are made for every caregiver in the table.
    bench_queue.ROWS = sizes["queue"]
    bench_queue.fill(today)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM registrations_caregiver")
        queue_last = cursor.fetchone()[0]
    bench_retention.fill(today, sizes["registrations"])
    year = AppreciationYear.objects.get(year=today.year)
    AppreciationYear.objects.filter(pk=year.pk).update(
        window_opens=datetime.date(today.year, 1, 1),
        window_closes=datetime.date(today.year, 12, 31), budget_cents=10**12)
    params = {"queue_last": queue_last, "year_id": year.pk, "today": today,
              "count": sizes["payments"], "checks": bench_queue.checks_json(False),
              "ibans": [nl_iban(n) for n in range(1, sizes["payments"] + 1)]}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registrations_caregiver SET email = 'wachtrij' || id || "
                       "'@example.nl' WHERE id <= %s", [queue_last])
        cursor.execute("UPDATE appreciation_appreciationrequest SET state = 'afgewezen', "
                       "rejection_reason = 'te_weinig_uren' "
                       "WHERE year_id = %s AND state = 'goedgekeurd'", [year.pk])
        cursor.execute(SEPA_REQUESTS, params)
        cursor.execute(AUDIENCE, {**params, "count": sizes["newsletter"]})
        cursor.execute(LETTERS, {**params, "count": sizes["letters"],
                                 "kind": RegistrationLetter.RETENTION_NOTICE})
        cursor.execute("SELECT id FROM worker_letter WHERE dedupe_key LIKE 'bench-mixed:%%'")
        letter_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT id FROM appreciation_appreciationrequest WHERE year_id = %s AND state = "
            "'ingediend' AND checks_passed ORDER BY submitted_at, id", [year.pk])
        open_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("VACUUM ANALYZE")
    newsletter = Newsletter.objects.create(
        subject="Nieuwsbrief december", body="Beste mantelzorger,\n\n**Inloop** in De Roef."
        "\n\n- yoga op dinsdag\n- wandeling op donderdag\n\n[Meer](https://example.org)")
    return {"year": today.year, "year_id": year.pk, "newsletter_id": newsletter.pk,
            "letter_ids": letter_ids, "open_request_ids": open_ids}


def verified_session(username: str, role: str) -> str:
    """A staff user with a confirmed TOTP device and a session that passed the second
    factor, as after signing in; returns the session key."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mantelzorg.services_staff import create_staff_user

    user = create_staff_user(username, secrets.token_urlsafe(24), role)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key
