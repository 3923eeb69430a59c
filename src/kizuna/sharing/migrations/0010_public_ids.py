"""Shared items, their attachments and marking changes are named outside the server by a
random public id (core.public_ids), never by their sequential key."""

from django.db import migrations

from kizuna.core.public_ids import migration_operations


class Migration(migrations.Migration):
    dependencies = [("sharing", "0009_attachment_files")]

    operations = [
        *migration_operations("sharing", "shareditem"),
        *migration_operations("sharing", "attachment"),
        *migration_operations("sharing", "markingchange"),
    ]
