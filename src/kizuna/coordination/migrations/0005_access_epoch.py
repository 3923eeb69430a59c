"""Who sits in which body, a body's situation and a situation's lead organization decide
which log a person reads: their changes draw a new access token (core.access)."""

from django.db import migrations

from kizuna.core.access import watch


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_access_epoch"),
        ("coordination", "0004_logentry_marking_required"),
    ]

    operations = [
        watch("coordination_body_organizations"),
        watch("coordination_body", update_of=("situation_id",)),
        watch("coordination_situation", update_of=("lead_organization_id",)),
    ]
