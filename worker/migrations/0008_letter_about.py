"""Letters point at what they are about by a generic reference (about_type, about_id) instead
of one foreign key per domain model, so the mail engine names no domain model. The values of
the old columns move into the new ones before the columns go; nothing is lost."""

import django.db.models.deletion
from django.db import migrations, models

LINKS = [  # old column, the model it pointed at (app label, model name)
    ("appreciation_request_id", "appreciation", "appreciationrequest"),
    ("campaign_request_id", "appreciation", "campaignrequest"),
]


def _content_type_id(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return content_type.pk


def _for_each_link(apps, schema_editor, statement):
    """Run `statement` (with {table} and {column}; one parameter: the content type's id)
    for each old column."""
    Letter = apps.get_model("worker", "Letter")
    quote = schema_editor.quote_name
    for column, app_label, model in LINKS:
        schema_editor.execute(
            statement.format(table=quote(Letter._meta.db_table), column=quote(column)),
            [_content_type_id(apps, app_label, model)])


def links_to_about(apps, schema_editor):
    _for_each_link(apps, schema_editor,
                   "UPDATE {table} SET about_type_id = %s, about_id = {column} "
                   "WHERE {column} IS NOT NULL")


def about_to_links(apps, schema_editor):
    _for_each_link(apps, schema_editor,
                   "UPDATE {table} SET {column} = about_id WHERE about_type_id = %s")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("registrations", "0003_not_duplicate"),
        ("worker", "0007_campaigns"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="about_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="letter",
            name="about_type",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="contenttypes.contenttype"),
        ),
        migrations.RunPython(links_to_about, about_to_links),
        migrations.RemoveField(model_name="letter", name="appreciation_request"),
        migrations.RemoveField(model_name="letter", name="campaign_request"),
        migrations.AlterField(
            model_name="letter",
            name="kind",
            field=models.CharField(max_length=24),
        ),
        migrations.AddIndex(
            model_name="letter",
            index=models.Index(fields=["about_type", "about_id"],
                               name="worker_lett_about_t_ae7907_idx"),
        ),
    ]
