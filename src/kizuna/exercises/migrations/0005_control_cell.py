"""The exercise controllers' cell (統裁部) as reference data: the sharing community that
marks a scenario's injects until each goes out, reserved for the exercises' own records so
that no other record carries it and no total over other records asks a reader to hold it."""

from django.db import migrations

CONTROL_COMMUNITY = "exercise-control"


def load(apps, schema_editor):
    Community = apps.get_model("sharing", "Community")
    Community.objects.update_or_create(
        code=CONTROL_COMMUNITY,
        defaults={
            "name_ja": "統裁部",
            "name_en": "Exercise control cell",
            "reserved_for": "exercises",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0004_scenario"),
        ("sharing", "0011_community_reserved_for"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
