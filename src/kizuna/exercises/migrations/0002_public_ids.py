"""Exercises are named outside the server by a random public id (core.public_ids), never by
their sequential key."""

from django.db import migrations

from kizuna.core.public_ids import migration_operations


class Migration(migrations.Migration):
    dependencies = [("exercises", "0001_initial")]

    operations = migration_operations("exercises", "exercise")
