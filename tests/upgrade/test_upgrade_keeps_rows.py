"""Existing databases upgrade without loss.

A brand-new throwaway PostgreSQL database is migrated to OLD_LEAVES (the last migration of
every app on the day this test was written), gets rows in every table through the historical
models of that state (tests/upgrade/build_old_state.py), and is snapshotted with plain SQL.
Then the project's own `manage.py migrate` takes it to today's head, it is snapshotted again,
and every old row must still be there with the same values, except for what TRANSFORMATIONS
and CONTENT_TYPE_RENAMES declare, and each declaration is checked in turn. Afterwards
`migrate --check` and `makemigrations --check --dry-run` are clean.

When a migration moves data on purpose (a column into another table, a table or content type
renamed), declare it below; never delete OLD_LEAVES' migrations or change OLD_LEAVES.
"""

import datetime
import decimal
import ipaddress
import json
import os
import secrets
import subprocess
import sys
import uuid
from collections import namedtuple
from urllib.parse import quote

import environ
import psycopg
import pytest
from django.apps import apps as django_apps

from tests.support import ROOT

from .build_old_state import concrete_models, label

# The state an existing database is in: `MigrationLoader(None).graph.leaf_nodes()` on
# 2026-12-04 (main at b1aa8f3). Written down literally: new migrations must not change it.
OLD_LEAVES = [
    ("admin", "0003_logentry_add_action_flag_choices"),
    ("appreciation", "0006_campaigns"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("axes", "0010_accessattemptexpiration"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("django_fsm_log", "0004_auto_20190131_0341"),
    ("insight", "0001_initial"),
    ("otp_totp", "0003_add_timestamps"),
    ("registrations", "0003_not_duplicate"),
    ("sessions", "0001_initial"),
    ("worker", "0007_campaigns"),
]

# --- What the migrations since OLD_LEAVES change on purpose --------------------------------
#
# TRANSFORMATIONS = {"<old table>": {...}} with any of these keys; every one is checked:
#   "renamed_to": "<new table>"            the old table must be gone, the new one hold its rows
#   "renamed_columns": {"<old>": "<new>"}  values compared under the new column name
#   "converted_columns": {"<col>": fn}     fn(old value, as in the snapshot) == new value
#   "moved_columns": {"<old col>": {"to": "<table after>", "match": {"<col>": X, ...}}}
#       the column must be gone from the table, and for every old row whose value was not
#       NULL, the "to" table must have a row with each column equal to X, where X is PK (the
#       old row's primary key), VALUE (the old column value), ContentTypeOf(app_label,
#       model) (that content type's id after the migration) or a literal. Compared as text,
#       so an integer key may become a text object id.
#   "deleted_rows": fn(old row dict) -> bool  old rows that may be gone; each must be gone
#   "added_rows": fn(new row dict) -> bool    new rows allowed in an old table; at least one
# CONTENT_TYPE_RENAMES = {("<old app_label>", "<old model>"): ("<new app_label>", "<model>")}
#   the django_content_type row keeps its id and gets the new name (fsm-log rows, admin log
#   and permissions point at it by id); the old name must be gone.
#
# Example for the restructure (letters' links move to a table owned by appreciation, a model
# moves to a new app):
#
# TRANSFORMATIONS = {
#     "worker_letter": {"moved_columns": {
#         "appreciation_request_id": {"to": "appreciation_letterlink",
#                                     "match": {"letter_id": PK, "request_id": VALUE}},
#         "campaign_request_id": {"to": "appreciation_letterreference",
#                                 "match": {"letter_id": PK, "object_id": VALUE,
#                                           "content_type_id": ContentTypeOf(
#                                               "appreciation", "campaignrequest")}},
#     }},
#     "appreciation_campaign": {"renamed_to": "campaigns_campaign"},
# }
# CONTENT_TYPE_RENAMES = {("appreciation", "campaign"): ("campaigns", "campaign")}
#
# A model moved with SeparateDatabaseAndState that keeps its db_table needs no "renamed_to",
# but still its content type renamed (post_migrate would make a new one, and the fsm-log rows
# would point at the stale one, which this test reports).
PK = "<primary key of the old row>"
VALUE = "<old value of the moved column>"
ContentTypeOf = namedtuple("ContentTypeOf", "app_label model")

TRANSFORMATIONS = {
    # worker 0008: a letter names what it is about by a generic reference (about_type,
    # about_id) instead of one foreign key per domain model; the values move within the row.
    "worker_letter": {"moved_columns": {
        "appreciation_request_id": {"to": "worker_letter", "match": {
            "id": PK, "about_id": VALUE,
            "about_type_id": ContentTypeOf("appreciation", "appreciationrequest")}},
        "campaign_request_id": {"to": "worker_letter", "match": {
            "id": PK, "about_id": VALUE,
            "about_type_id": ContentTypeOf("appreciation", "campaignrequest")}},
    }},
}
CONTENT_TYPE_RENAMES = {}

# Old tables that may get new rows from migrate itself (post_migrate and the roles).
GROWING_TABLES = {"django_migrations", "django_content_type", "auth_permission",
                  "auth_group_permissions"}
# (table, content type column, object id column): rows that point at any model's row.
GENERIC_REFERENCES = [("django_fsm_log_statelog", "content_type_id", "object_id"),
                      ("django_admin_log", "content_type_id", "object_id")]


# --- The throwaway database ------------------------------------------------------------------

def server_url(settings_url, name):
    """`settings_url` (the suite's DATABASE_URL) with another database name."""
    s = environ.Env.db_url_config(settings_url)
    password = f":{quote(str(s['PASSWORD']), safe='')}" if s.get("PASSWORD") else ""
    user = quote(str(s.get("USER") or "postgres"), safe="")
    host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.fixture
def throwaway_url():
    """A new, empty database on the suite's server: never the pytest-django one."""
    settings_url = os.environ["DATABASE_URL"]
    # The maintenance database: the one DATABASE_URL names may not exist (pytest-django
    # works in test_<name>).
    admin_url = server_url(settings_url, "postgres")
    name = f"upgrade_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url(settings_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args, database_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DATABASE_URL": database_url, "MANTELZORG_VAR_DIR": str(tmp_path / "var")})
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, (f"{' '.join(args)} failed:\n{result.stdout}"
                                    f"\n{result.stderr}")
    return result


def models_of(result):
    return json.loads(result.stdout.strip().splitlines()[-1])["models"]


# --- Snapshots -------------------------------------------------------------------------------

def plain(value):
    """A JSON value that compares equal when the stored value is the same."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | datetime.timedelta):
        return str(value)
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address
                  | ipaddress.IPv4Interface | ipaddress.IPv6Interface):
        return str(value)
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return f"{type(value).__name__}:{value}"


def snapshot(url):
    """{table: {"columns": [...], "pk": [...], "rows": {pk as text: {column: value}}}} of
    every table of the public schema, rows in primary-key order."""
    tables = {}
    with psycopg.connect(url) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")]
        for table in names:
            pk = [r[0] for r in conn.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                [f'"{table}"'])]
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            columns = [d.name for d in cursor.description]
            rows = [dict(zip(columns, map(plain, r), strict=True)) for r in cursor]
            key_columns = pk or columns

            def key(row, key_columns=key_columns):
                values = [row[c] for c in key_columns]
                return str(values[0]) if len(values) == 1 else json.dumps(values, default=str)

            rows.sort(key=lambda r, key_columns=key_columns: [
                (r[c] is None, str(r[c]).zfill(20)) for c in key_columns])
            tables[table] = {"columns": columns, "pk": pk,
                             "rows": {key(r): r for r in rows}}
    return tables


# --- Comparison ------------------------------------------------------------------------------

def samples(items, n=5):
    items = list(items)
    return ", ".join(map(str, items[:n])) + (f" … ({len(items)} in all)" if len(items) > n
                                              else "")


def content_types(snap):
    """{id: (app_label, model)} of a snapshot."""
    return {str(r["id"]): (r["app_label"], r["model"])
            for r in snap["django_content_type"]["rows"].values()}


def compare(before, after, old_models, new_models, transformations, content_type_renames):
    """Everything lost or changed on the way from `before` to `after`; [] if nothing."""
    problems = []
    for table in transformations:
        if table not in before:
            problems.append(f"TRANSFORMATIONS names {table}, a table the old state lacks")
    for table, old in before.items():
        declared = transformations.get(table, {})
        new_name = declared.get("renamed_to", table)
        if new_name != table and table in after:
            problems.append(f"{table}: declared renamed to {new_name}, but it still exists")
        new = after.get(new_name)
        if new is None:
            problems.append(f"{table}: table gone after migrate, {len(old['rows'])} rows lost"
                            + (f" (declared renamed to {new_name})" if new_name != table
                               else ""))
            continue
        if table == "django_content_type":  # a renamed content type keeps its id
            old = {**old, "rows": {pk: renamed_content_type(row, content_type_renames)
                                   for pk, row in old["rows"].items()}}
        problems += compare_table(table, old, new, declared, after)

    ct_before, ct_after = content_types(before), content_types(after)
    ct_ids_after = {pair: pk for pk, pair in ct_after.items()}
    for old_pair, new_pair in content_type_renames.items():
        old_id = next((pk for pk, pair in ct_before.items() if pair == old_pair), None)
        if old_id is None:
            problems.append(f"content type {old_pair}: declared renamed, but the old state "
                            "has no such content type")
        elif ct_after.get(old_id) != new_pair:
            problems.append(f"content type {old_pair} (id {old_id}) should be {new_pair} "
                            f"after migrate, but id {old_id} is {ct_after.get(old_id)}")
        if old_pair in ct_ids_after:
            problems.append(f"content type {old_pair}: declared renamed, but still exists "
                            f"(id {ct_ids_after[old_pair]})")
    expected = {content_type_renames.get(pair, pair) for pair in ct_before.values()}
    if missing := expected - set(ct_ids_after):
        problems.append(f"content types gone after migrate: {samples(sorted(missing))}")

    for table, ct_column, id_column in GENERIC_REFERENCES:
        for pk, row in before.get(table, {}).get("rows", {}).items():
            pair = ct_before[str(row[ct_column])]
            pair = content_type_renames.get(pair, pair)
            row_after = after.get(table, {}).get("rows", {}).get(pk)
            if row_after is None:
                continue  # reported as a lost row
            pair_after = ct_after.get(str(row_after[ct_column]))
            where = f"{table} row {pk} (was {pair} #{row[id_column]})"
            if pair_after != pair:
                problems.append(f"{where} now points at content type {pair_after}")
                continue
            model_table = new_models.get(".".join(pair))
            if model_table is None:
                if ".".join(pair) in old_models:
                    problems.append(f"{where}: its content type {pair} names no model after "
                                    "migrate (moved model without renaming its content type?)")
                continue
            if str(row_after[id_column]) not in after.get(model_table, {}).get("rows", {}):
                problems.append(f"{where}: no row {row_after[id_column]} in {model_table}")
    return problems


def renamed_content_type(row, content_type_renames):
    app_label, model = content_type_renames.get((row["app_label"], row["model"]),
                                                (row["app_label"], row["model"]))
    return {**row, "app_label": app_label, "model": model}


def resolve(spec, pk, value, after):
    if spec == PK:
        return pk
    if spec == VALUE:
        return value
    if isinstance(spec, ContentTypeOf):
        ids = {pair: pk for pk, pair in content_types(after).items()}
        return ids.get(tuple(spec), f"<no content type {tuple(spec)}>")
    return spec


def compare_table(table, old, new, declared, after):
    problems = []
    renamed = declared.get("renamed_columns", {})
    converted = declared.get("converted_columns", {})
    moved = declared.get("moved_columns", {})
    new_name = declared.get("renamed_to", table)
    for column in [*renamed, *converted, *moved]:
        if column not in old["columns"]:
            problems.append(f"{table}.{column}: declared in TRANSFORMATIONS, but the old "
                            "table has no such column")
    for old_column, new_column in renamed.items():
        if new_column not in new["columns"]:
            problems.append(f"{table}.{old_column}: declared renamed to {new_column}, but "
                            f"{new_name} has no column {new_column}")
    compared = {}
    for column in old["columns"]:
        if column in moved:
            if column in new["columns"]:
                problems.append(f"{table}.{column}: declared moved, but still in {new_name}")
            continue
        target = renamed.get(column, column)
        if target not in new["columns"]:
            values = [r[column] for r in old["rows"].values() if r[column] is not None]
            problems.append(f"{table}.{column}: column dropped, its {len(values)} non-NULL "
                            f"values are lost (declare it in TRANSFORMATIONS if they moved)")
            continue
        compared[column] = target

    may_go = declared.get("deleted_rows")
    lost, gone_as_declared = [], []
    changed = {}
    for pk, row in old["rows"].items():
        row_after = new["rows"].get(pk)
        if row_after is None:
            (gone_as_declared if may_go and may_go(row) else lost).append(pk)
            continue
        if may_go and may_go(row):
            problems.append(f"{table} row {pk}: declared deleted, but still in {new_name}")
        for column, target in compared.items():
            want = row[column]
            if column in converted:
                want = converted[column](want)
            if row_after[target] != want:
                changed.setdefault(column, []).append(f"{pk}: {want!r} → {row_after[target]!r}")
    if lost:
        problems.append(f"{table}: {len(lost)} of {len(old['rows'])} rows lost after migrate "
                        f"(primary keys {samples(lost)})")
    for column, diffs in changed.items():
        problems.append(f"{table}.{column}: {len(diffs)} values changed by migrate "
                        f"(pk: before → after) {samples(diffs, 3)}")

    added = [pk for pk in new["rows"] if pk not in old["rows"]]
    may_add = declared.get("added_rows")
    if may_add:
        if not any(may_add(new["rows"][pk]) for pk in added):
            problems.append(f"{table}: added_rows declared, but no such row was added")
        added = [pk for pk in added if not may_add(new["rows"][pk])]
    if added and table not in GROWING_TABLES:
        problems.append(f"{table}: {len(added)} rows appeared in an old table after migrate "
                        f"(primary keys {samples(added)}); declare them as added_rows")

    for column, spec in moved.items():
        to = after.get(spec["to"])
        if to is None:
            problems.append(f"{table}.{column}: declared moved to {spec['to']}, which does not "
                            "exist after migrate")
            continue
        if unknown := set(spec["match"]) - set(to["columns"]):
            problems.append(f"{table}.{column}: declared moved to {spec['to']}, which has no "
                            f"column {samples(sorted(unknown))}")
            continue
        missing = []
        for pk, row in old["rows"].items():
            if row[column] is None:
                continue
            (pk_value,) = [row[c] for c in old["pk"]] or [pk]
            want = {c: str(resolve(s, pk_value, row[column], after))
                    for c, s in spec["match"].items()}
            if not any(all(str(r[c]) == w for c, w in want.items())
                       for r in to["rows"].values()):
                missing.append(f"{pk}: {want}")
        if missing:
            problems.append(f"{table}.{column}: {len(missing)} values did not arrive in "
                            f"{spec['to']} (old pk: wanted row) {samples(missing, 3)}")
    return problems


# --- The test --------------------------------------------------------------------------------

@pytest.mark.slow
def test_an_existing_database_upgrades_without_losing_a_row(throwaway_url, tmp_path):
    build = run(["-m", "tests.upgrade.build_old_state", "build", json.dumps(OLD_LEAVES)],
                throwaway_url, tmp_path)
    old_models = models_of(build)
    before = snapshot(throwaway_url)
    (tmp_path / "before.json").write_text(json.dumps(before, indent=1))
    empty = sorted(t for t, s in before.items() if not s["rows"])
    assert not empty, f"the old state was built with empty tables: {empty}"
    assert set(old_models.values()) <= set(before)

    run(["manage.py", "migrate", "--no-input"], throwaway_url, tmp_path)
    after = snapshot(throwaway_url)
    (tmp_path / "after.json").write_text(json.dumps(after, indent=1))
    new_models = {label(m): m._meta.db_table for m in concrete_models(django_apps)}

    problems = compare(before, after, old_models, new_models, TRANSFORMATIONS,
                       CONTENT_TYPE_RENAMES)
    assert not problems, ("The upgrade from OLD_LEAVES loses or changes data (snapshots in "
                          f"{tmp_path}):\n  " + "\n  ".join(problems))

    run(["manage.py", "migrate", "--check"], throwaway_url, tmp_path)
    run(["manage.py", "makemigrations", "--check", "--dry-run"], throwaway_url, tmp_path)


# --- The comparison itself, on made-up snapshots (fast) --------------------------------------

def snap(**tables):
    """A snapshot of tables given as lists of rows, each with an `id` primary key."""
    tables.setdefault("django_content_type", [
        {"id": 1, "app_label": "appreciation", "model": "appreciationrequest"},
        {"id": 2, "app_label": "worker", "model": "letter"}])
    return {name: {"columns": list(rows[0]), "pk": ["id"],
                   "rows": {str(r["id"]): dict(r) for r in rows}}
            for name, rows in tables.items()}


OLD_MODELS = {"appreciation.appreciationrequest": "appreciation_appreciationrequest",
              "worker.letter": "worker_letter"}
LETTERS = [{"id": 1, "kind": "a", "appreciation_request_id": 7},
           {"id": 2, "kind": "b", "appreciation_request_id": None}]
REQUESTS = [{"id": 7, "state": "ingediend"}]
FSM_LOG = [{"id": 1, "content_type_id": 1, "object_id": 7, "state": "ingediend"}]


def check(before, after, transformations=None, renames=None, new_models=OLD_MODELS):
    return compare(before, after, OLD_MODELS, new_models, transformations or {},
                   renames or {})


def test_the_comparison_passes_an_unchanged_database_and_names_what_is_lost():
    before = snap(worker_letter=LETTERS, appreciation_appreciationrequest=REQUESTS,
                  django_fsm_log_statelog=FSM_LOG)
    assert check(before, before) == []

    lost_row = snap(worker_letter=LETTERS[:1], appreciation_appreciationrequest=REQUESTS,
                    django_fsm_log_statelog=FSM_LOG)
    assert check(before, lost_row) == [
        "worker_letter: 1 of 2 rows lost after migrate (primary keys 2)"]

    changed = snap(worker_letter=[LETTERS[0], {**LETTERS[1], "kind": "c"}],
                   appreciation_appreciationrequest=REQUESTS, django_fsm_log_statelog=FSM_LOG)
    assert check(before, changed) == [
        "worker_letter.kind: 1 values changed by migrate (pk: before → after) 2: 'b' → 'c'"]

    dropped = snap(worker_letter=[{"id": r["id"], "kind": r["kind"]} for r in LETTERS],
                   appreciation_appreciationrequest=REQUESTS, django_fsm_log_statelog=FSM_LOG)
    assert check(before, dropped) == [
        "worker_letter.appreciation_request_id: column dropped, its 1 non-NULL values are "
        "lost (declare it in TRANSFORMATIONS if they moved)"]

    gone = snap(worker_letter=LETTERS, django_fsm_log_statelog=FSM_LOG)
    problems = check(before, gone)
    assert problems[0] == "appreciation_appreciationrequest: table gone after migrate, 1 rows lost"
    assert "no row 7 in appreciation_appreciationrequest" in problems[1]

    duplicated = snap(worker_letter=[*LETTERS, {**LETTERS[0], "id": 3}],
                      appreciation_appreciationrequest=REQUESTS, django_fsm_log_statelog=FSM_LOG)
    assert check(before, duplicated) == [
        "worker_letter: 1 rows appeared in an old table after migrate (primary keys 3); "
        "declare them as added_rows"]


def test_a_moved_column_must_arrive_in_its_new_table():
    before = snap(worker_letter=LETTERS, appreciation_appreciationrequest=REQUESTS)
    moved = {"worker_letter": {"moved_columns": {"appreciation_request_id": {
        "to": "appreciation_letterlink",
        "match": {"letter_id": PK, "object_id": VALUE,
                  "content_type_id": ContentTypeOf("appreciation", "appreciationrequest")}}}}}
    letters_after = [{"id": r["id"], "kind": r["kind"]} for r in LETTERS]
    link = {"id": 1, "letter_id": 1, "object_id": "7", "content_type_id": 1}
    after = snap(worker_letter=letters_after, appreciation_appreciationrequest=REQUESTS,
                 appreciation_letterlink=[link])
    assert check(before, after, moved) == []

    wrong = snap(worker_letter=letters_after, appreciation_appreciationrequest=REQUESTS,
                 appreciation_letterlink=[{**link, "object_id": "8"}])
    assert check(before, wrong, moved) == [
        "worker_letter.appreciation_request_id: 1 values did not arrive in "
        "appreciation_letterlink (old pk: wanted row) 1: {'letter_id': '1', "
        "'object_id': '7', 'content_type_id': '1'}"]

    still_there = snap(worker_letter=LETTERS, appreciation_appreciationrequest=REQUESTS,
                       appreciation_letterlink=[link])
    assert check(before, still_there, moved) == [
        "worker_letter.appreciation_request_id: declared moved, but still in worker_letter"]

    no_table = snap(worker_letter=letters_after, appreciation_appreciationrequest=REQUESTS)
    assert check(before, no_table, moved) == [
        "worker_letter.appreciation_request_id: declared moved to appreciation_letterlink, "
        "which does not exist after migrate"]


def test_renamed_tables_columns_and_content_types_are_checked():
    before = snap(worker_letter=LETTERS, appreciation_appreciationrequest=REQUESTS,
                  django_fsm_log_statelog=FSM_LOG)
    renamed_requests = [{"id": 7, "status": "ingediend"}]
    moved_type = [{"id": 1, "app_label": "waardering", "model": "appreciationrequest"},
                  {"id": 2, "app_label": "worker", "model": "letter"}]
    new_models = {"waardering.appreciationrequest": "waardering_request",
                  "worker.letter": "worker_letter"}
    declared = {"appreciation_appreciationrequest": {"renamed_to": "waardering_request",
                                                     "renamed_columns": {"state": "status"}}}
    renames = {("appreciation", "appreciationrequest"): ("waardering", "appreciationrequest")}
    after = snap(worker_letter=LETTERS, waardering_request=renamed_requests,
                 django_fsm_log_statelog=FSM_LOG, django_content_type=moved_type)
    assert check(before, after, declared, renames, new_models) == []

    # The model moved, but a new content type was made instead of renaming the old one.
    stale = [*before["django_content_type"]["rows"].values(),
             {"id": 3, "app_label": "waardering", "model": "appreciationrequest"}]
    after_stale = snap(worker_letter=LETTERS, waardering_request=renamed_requests,
                       django_fsm_log_statelog=FSM_LOG, django_content_type=stale)
    assert check(before, after_stale, declared, {}, new_models) == [
        "django_fsm_log_statelog row 1 (was ('appreciation', 'appreciationrequest') #7): its "
        "content type ('appreciation', 'appreciationrequest') names no model after migrate "
        "(moved model without renaming its content type?)"]
    problems = check(before, after_stale, declared, renames, new_models)
    assert ("content type ('appreciation', 'appreciationrequest') (id 1) should be "
            "('waardering', 'appreciationrequest') after migrate, but id 1 is "
            "('appreciation', 'appreciationrequest')") in problems
    assert ("content type ('appreciation', 'appreciationrequest'): declared renamed, but "
            "still exists (id 1)") in problems

    # Declarations that do not happen fail too.
    assert check(before, before, declared, renames) == [
        "appreciation_appreciationrequest: declared renamed to waardering_request, but it "
        "still exists",
        "appreciation_appreciationrequest: table gone after migrate, 1 rows lost (declared "
        "renamed to waardering_request)",
        "django_content_type.app_label: 1 values changed by migrate (pk: before → after) "
        "1: 'waardering' → 'appreciation'",
        "content type ('appreciation', 'appreciationrequest') (id 1) should be ('waardering', "
        "'appreciationrequest') after migrate, but id 1 is ('appreciation', "
        "'appreciationrequest')",
        "content type ('appreciation', 'appreciationrequest'): declared renamed, but still "
        "exists (id 1)",
        "content types gone after migrate: ('waardering', 'appreciationrequest')",
        "django_fsm_log_statelog row 1 (was ('waardering', 'appreciationrequest') #7) now "
        "points at content type ('appreciation', 'appreciationrequest')"]


def test_deleted_added_and_converted_rows_are_declared_and_checked():
    before = snap(worker_letter=LETTERS)
    declared = {"worker_letter": {
        "deleted_rows": lambda row: row["appreciation_request_id"] is None,
        "added_rows": lambda row: row["kind"] == "new",
        "converted_columns": {"kind": str.upper}}}
    after = snap(worker_letter=[{**LETTERS[0], "kind": "A"},
                                {"id": 3, "kind": "new", "appreciation_request_id": None}])
    assert check(before, after, declared) == []
    assert check(before, before, declared) == [
        "worker_letter row 2: declared deleted, but still in worker_letter",
        "worker_letter.kind: 2 values changed by migrate (pk: before → after) 1: 'A' → 'a', "
        "2: 'B' → 'b'",
        "worker_letter: added_rows declared, but no such row was added"]
