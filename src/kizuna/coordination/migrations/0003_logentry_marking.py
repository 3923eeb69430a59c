"""Log entries carry a marking (sharing.models.Marked). Entries written before get the
default a new entry gets: the lowest level of the author's nation, releasable to the nations
sitting in the entry's body (for a situation-wide entry, in the situation's bodies; with no
body at all, Japan and the United States). The column becomes required in 0004."""

import json

import django.db.models.deletion
from django.db import migrations, models


def mark_existing(apps, schema_editor):
    """One UPDATE per (situation, body, author's nation): a few, however many entries."""
    LogEntry = apps.get_model("coordination", "LogEntry")
    Body = apps.get_model("coordination", "Body")
    Organization = apps.get_model("core", "Organization")
    Level = apps.get_model("sharing", "ClassificationLevel")
    MarkingSet = apps.get_model("sharing", "MarkingSet")

    def nations_of(bodies):
        return set(
            Body.organizations.through.objects.filter(body__in=bodies).values_list(
                "organization__nation_id", flat=True
            )
        )

    groups = (
        LogEntry.objects.filter(marking__isnull=True)
        .values_list("situation_id", "body_id", "author_organization__nation_id")
        .distinct()
    )
    for situation_id, body_id, nation in list(groups):
        level = (
            Level.objects.filter(nation_id=nation).order_by("rank").first()
            or Level.objects.filter(nation_id="JPN").order_by("rank").first()
        )
        if body_id is not None:
            nations = nations_of([body_id])
        else:
            nations = nations_of(Body.objects.filter(situation_id=situation_id))
        nations = (nations or {"JPN", "USA"}) | {nation}
        key = json.dumps(
            {"caveats": [], "communities": [], "level": level.code, "releasable_to": sorted(nations)},
            sort_keys=True,
            separators=(",", ":"),
        )
        marking, created = MarkingSet.objects.get_or_create(key=key, defaults={"level": level})
        if created:
            marking.releasable_to.set(sorted(nations))
        # Filtered on the entry's own columns: an UPDATE without a join.
        LogEntry.objects.filter(
            marking__isnull=True,
            situation_id=situation_id,
            body_id=body_id,
            author_organization_id__in=list(
                Organization.objects.filter(nation_id=nation).values_list("pk", flat=True)
            ),
        ).update(marking=marking)


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0002_support_request_acsa_order"),
        ("sharing", "0002_reference_markings"),
    ]

    operations = [
        migrations.AddField(
            model_name="logentry",
            name="marking",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sharing.markingset",
                verbose_name="marking",
            ),
        ),
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
    ]
