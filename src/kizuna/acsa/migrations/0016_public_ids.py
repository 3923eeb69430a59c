"""Orders, their lines, deliveries, settlements, claim notices and offsets are named outside
the server by a random public id (core.public_ids), never by their sequential key."""

from django.db import migrations

from kizuna.core.public_ids import migration_operations

MODELS = ("order", "orderline", "delivery", "settlement", "claimnotice", "offset")


class Migration(migrations.Migration):
    dependencies = [("acsa", "0015_citations")]

    operations = [op for model in MODELS for op in migration_operations("acsa", model)]
