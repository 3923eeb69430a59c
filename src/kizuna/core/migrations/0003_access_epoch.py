"""The access token (core.access): its one row, the function that draws a new one on
PostgreSQL, and the triggers on core's tables that decide access (memberships; a person's
active and superuser flags)."""

from django.db import migrations, models

from kizuna.core.access import watch

POSTGRES_FUNCTION = """
CREATE FUNCTION core_access_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE core_accessepoch SET token = gen_random_uuid()::text; RETURN NULL; END $$
"""


def first_token(apps, schema_editor):
    apps.get_model("core", "AccessEpoch").objects.create(id=1, token="initial")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS core_access_epoch_bump()")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_reference_nations_and_append_only_audit"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccessEpoch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=64, verbose_name="token")),
            ],
            options={
                "verbose_name": "access epoch",
                "verbose_name_plural": "access epochs",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="one_access_epoch")
                ],
            },
        ),
        migrations.RunPython(first_token, drop_function),
        watch("core_membership"),
        watch("core_person", update_of=("is_active", "is_superuser")),
    ]
