"""API tokens are named outside the server by a random public id (core.public_ids)."""

from django.db import migrations

from kizuna.core.public_ids import migration_operations


class Migration(migrations.Migration):
    dependencies = [("core", "0005_demo_provenance")]

    operations = migration_operations("core", "apitoken")
