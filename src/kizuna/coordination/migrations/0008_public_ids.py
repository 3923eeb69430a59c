"""Situations, log entries, requests for support and their lines, meetings and action items
are named outside the server by a random public id (core.public_ids), never by their
sequential key."""

from django.db import migrations

from kizuna.core.public_ids import migration_operations

MODELS = ("situation", "logentry", "supportrequest", "requestline", "meeting", "actionitem")


class Migration(migrations.Migration):
    dependencies = [("coordination", "0007_entry_series")]

    operations = [op for model in MODELS for op in migration_operations("coordination", model)]
