"""Helper of test_upgrade_keeps_rows.py, run in a subprocess with DATABASE_URL pointing at a
throwaway database (never run it against a real one).

    python -m tests.upgrade.build_old_state build '<json list of [app_label, migration]>'
        Migrates the empty database to exactly those nodes (`migrate <app> <node>` for each,
        so post_migrate makes that state's content types and permissions as it did for real
        databases), then puts rows into every table of that state with the HISTORICAL models
        of the state, so the rows fit the old schema whatever the code looks like now.

It prints one JSON line last: {"models": {"app_label.model_name": "db_table"}, ...}.
"""

import datetime
import decimal
import json
import os
import sys
import uuid

ROWS = 3  # per table; the last row leaves every nullable column NULL

# Values the generic rules below cannot guess: check constraints that need a combination,
# singletons, and rows that point at other rows through a content type. Keys are
# "app_label.model_name" of the OLD state; values are a constant or fn(i, ctx).
# "rows": how many rows; "skip": the table is filled by post_migrate (it must not be empty).
HINTS = {
    "contenttypes.contenttype": {"skip": "made by post_migrate of the old state"},
    "auth.permission": {"skip": "made by post_migrate of the old state"},
    "registrations.registrationrules": {"rows": 1, "id": 1},  # CHECK (id = 1)
    "insight.insightrules": {"rows": 1, "id": 1},  # a singleton too (get_solo)
    "registrations.postcoderange": {"first": lambda i, ctx: f"384{i}AA",
                                    "last": lambda i, ctx: f"384{i}ZZ"},
    "appreciation.appreciationyear": {"year": lambda i, ctx: 2024 + i},
    # The two role groups' permissions are code (core.roles.ensure_roles rewrites them
    # on every migrate, by design): extra permissions go to the groups made here, the last.
    "auth.group_permissions": {"group": lambda i, ctx: ctx.pk("auth.group", -1 - i)},
    # A letter is about one request at most: one about a waardering, one about a campaign
    # request, one about neither (the restructure moves these links).
    "worker.letter": {
        "appreciation_request": lambda i, ctx: ctx.pk("appreciation.appreciationrequest", 0)
        if i == 0 else None,
        "campaign_request": lambda i, ctx: ctx.pk("appreciation.campaignrequest", 0)
        if i == 1 else None,
    },
    # CHECK: done and cancelled not both; one open burden task per caregiver.
    "insight.followuptask": {"cancelled_at": None},
    # State logs of every model with an FSM field, each at a real object of that model.
    "django_fsm_log.statelog": {
        "rows": lambda ctx: max(ROWS, len(ctx.fsm_models)),
        "content_type": lambda i, ctx: ctx.content_type_id(ctx.fsm_models[i % len(ctx.fsm_models)]),
        "object_id": lambda i, ctx: ctx.pk(ctx.fsm_models[i % len(ctx.fsm_models)], i),
        "source_state": lambda i, ctx: ctx.fsm_state(ctx.fsm_models[i % len(ctx.fsm_models)], 0),
        "state": lambda i, ctx: ctx.fsm_state(ctx.fsm_models[i % len(ctx.fsm_models)], 1),
    },
    "admin.logentry": {
        "content_type": lambda i, ctx: ctx.content_type_id("registrations.caregiver"),
        "object_id": lambda i, ctx: str(ctx.pk("registrations.caregiver", i)),
        "action_flag": lambda i, ctx: i % 3 + 1,
    },
}
LAST = {"django_fsm_log.statelog", "admin.logentry"}  # they need every other row first

BASE_DAY = datetime.date(2025, 3, 3)


class Context:
    def __init__(self, apps):
        self.apps = apps
        self.fsm_models = sorted(
            label(m) for m in concrete_models(apps)
            if any(type(f).__name__ == "FSMField" for f in m._meta.concrete_fields))

    def model(self, key):
        return self.apps.get_model(*key.split("."))

    def pks(self, key):
        return list(self.model(key)._base_manager.order_by("pk").values_list("pk", flat=True))

    def pk(self, key, i):
        pks = self.pks(key)
        if not pks:
            raise RuntimeError(f"{key} has no rows yet")
        return pks[i % len(pks)]

    def content_type_id(self, key):
        app_label, model = key.split(".")
        return self.model("contenttypes.contenttype")._base_manager.get(
            app_label=app_label, model=model).pk

    def fsm_state(self, key, n):
        field = next(f for f in self.model(key)._meta.concrete_fields
                     if type(f).__name__ == "FSMField")
        choices = [c for c, _ in field.flatchoices]
        return choices[n % len(choices)]


def label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def concrete_models(apps):
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and not m._meta.swapped]


def insert_order(models):
    """Models sorted so every foreign key points at a model filled before."""
    by_label = {label(m): m for m in models}
    deps = {key: {label(f.related_model) for f in m._meta.concrete_fields
                  if f.is_relation and label(f.related_model) != key} & by_label.keys()
            for key, m in by_label.items()}
    order, done = [], set()
    while len(done) < len(by_label):
        ready = sorted(k for k in by_label if k not in done and deps[k] <= done)
        if not ready:
            raise RuntimeError(f"foreign-key cycle among {sorted(set(by_label) - done)}")
        order += ready
        done |= set(ready)
    order.sort(key=lambda k: k in LAST)  # stable: keeps the dependency order otherwise
    return [by_label[k] for k in order]


def text(field, i, limit):
    suffix = str(i)
    base = field.name.replace("_", "")
    return (base[: max(limit - len(suffix), 1)] + suffix)[:limit] if limit else f"{base} {i}"


def value(model, field, i, ctx, safe, related_offset):
    """A value for column `field` of row i. `safe`: the plain variant (first choice, no NULLs,
    booleans False) used when the varied row broke a check constraint."""
    null_row = i == ROWS - 1 and not safe
    if field.null and null_row and not field.primary_key:
        return None
    day = BASE_DAY + datetime.timedelta(days=i)
    if field.is_relation:
        key = label(field.related_model)
        pks = ctx.pks(key)
        if key == label(model):  # self reference: an earlier row of this table
            return pks[(i - 1) % len(pks)] if pks else None
        if not pks:
            raise RuntimeError(f"{label(model)}.{field.name}: {key} has no rows")
        return pks[(i + related_offset) % len(pks)]
    if field.choices:
        choices = [c for c, _ in field.flatchoices]
        return choices[0] if safe else choices[i % len(choices)]
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return False if safe else bool(i % 2)
    if kind == "DateTimeField":
        return datetime.datetime.combine(day, datetime.time(10, 30 + i), tzinfo=datetime.UTC)
    if kind == "DateField":
        return day
    if kind == "TimeField":
        return datetime.time(10, i)
    if kind == "DurationField":
        return datetime.timedelta(minutes=i + 1)
    if kind == "UUIDField":
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{label(model)}.{field.name}.{i}")
    if kind == "JSONField":
        return {"row": i, "field": field.name, "list": [1, "twee", None]}
    if kind == "GenericIPAddressField":
        return f"192.0.2.{i + 1}"
    if kind == "EmailField" or field.name.endswith("email"):
        return f"{field.name}{i}@example.nl"[: field.max_length or 254]
    if kind in ("FileField", "ImageField"):
        return f"upgrade-test/{model._meta.model_name}-{field.name}-{i}.pdf"
    if kind == "BinaryField":
        return f"bytes {i}".encode()
    if kind == "DecimalField":
        return decimal.Decimal(i + 1)
    if kind == "FloatField":
        return i + 0.5
    if kind.endswith("IntegerField") or kind.endswith("AutoField"):
        return i + 1
    if kind in ("CharField", "TextField", "SlugField", "URLField"):
        return text(field, i, field.max_length)
    raise RuntimeError(f"{label(model)}.{field.name}: no value rule for {kind}")


def fill(model, ctx):
    key = label(model)
    hints = HINTS.get(key, {})
    if "skip" in hints:
        if not model._base_manager.exists():
            raise RuntimeError(f"{key} is empty although {hints['skip']}")
        return
    rows = hints.get("rows", ROWS)
    rows = rows(ctx) if callable(rows) else rows
    from django.db import IntegrityError, transaction

    for i in range(rows):
        for safe in (False, True):
            kwargs, seen = {}, {}
            for field in model._meta.concrete_fields:
                if field.name in hints:
                    hint = hints[field.name]
                    kwargs[field.attname] = hint(i, ctx) if callable(hint) else hint
                    continue
                if field.primary_key and field.get_internal_type().endswith("AutoField"):
                    continue
                offset = 0
                if field.is_relation:
                    offset = seen.get(label(field.related_model), 0)
                    seen[label(field.related_model)] = offset + 1
                kwargs[field.attname] = value(model, field, i, ctx, safe, offset)
            try:
                with transaction.atomic():
                    model._base_manager.create(**kwargs)
                break
            except IntegrityError as error:
                if safe:
                    raise RuntimeError(f"{key} row {i}: {error} with {kwargs!r}") from error


def build(targets):
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    name = connection.settings_dict["NAME"]
    if not name.startswith("upgrade_") or connection.introspection.table_names():
        sys.exit(f"Refusing to build in {name}: not an empty upgrade_… throwaway database.")
    executor = MigrationExecutor(connection)
    missing = [t for t in targets if t not in executor.loader.graph.nodes]
    if missing:
        sys.exit(f"These recorded migrations are no longer in the migration graph: {missing}. "
                 "An upgrade test needs them: keep them (do not squash or delete them).")
    for app_label, name in targets:
        call_command("migrate", app_label, name, verbosity=0, interactive=False)

    executor = MigrationExecutor(connection)
    leftover = executor.migration_plan(targets)
    if leftover:
        sys.exit(f"Not at the recorded state after migrating: {leftover}")
    apps = executor.loader.project_state(targets).apps
    ctx = Context(apps)
    models = concrete_models(apps)
    for model in insert_order(models):
        fill(model, ctx)
    print(json.dumps({"models": {label(m): m._meta.db_table for m in models},
                      "fsm_models": ctx.fsm_models}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mantelzorg.settings")
    import django

    django.setup()
    if sys.argv[1] == "build":
        build([tuple(t) for t in json.loads(sys.argv[2])])
    else:
        sys.exit(f"unknown command {sys.argv[1]!r}")
