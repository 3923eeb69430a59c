"""Orders carry a marking (sharing.Marked). Existing orders get the default a new order gets:
the lowest classification level of the receiving nation, releasable to both parties'
nations. The column becomes required in 0010, in its own transaction: PostgreSQL refuses to
alter a table with row updates still pending their deferred foreign-key checks."""

import json

import django.db.models.deletion
from django.db import migrations, models


def default_markings(apps, schema_editor):
    Order = apps.get_model("acsa", "Order")
    Organization = apps.get_model("core", "Organization")
    Level = apps.get_model("sharing", "ClassificationLevel")
    MarkingSet = apps.get_model("sharing", "MarkingSet")
    nation_of = dict(Organization.objects.values_list("pk", "nation_id"))
    parties = Order.objects.values_list("receiving_org_id", "supplying_org_id").distinct()
    for receiving, supplying in parties:
        receiving_nation, supplying_nation = nation_of[receiving], nation_of[supplying]
        level = Level.objects.filter(nation_id=receiving_nation).order_by("rank").first()
        if level is None:
            raise RuntimeError(f"no classification level of {receiving_nation} to mark its orders")
        nations = sorted({receiving_nation, supplying_nation})
        key = json.dumps(
            {"level": level.code, "releasable_to": nations, "caveats": [], "communities": []},
            sort_keys=True,
            separators=(",", ":"),
        )
        marking, created = MarkingSet.objects.get_or_create(key=key, defaults={"level": level})
        if created:
            marking.releasable_to.set(nations)
        Order.objects.filter(
            receiving_org_id=receiving, supplying_org_id=supplying, marking__isnull=True
        ).update(marking=marking)


class Migration(migrations.Migration):
    dependencies = [
        ("acsa", "0008_offsets"),
        ("sharing", "0003_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
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
        migrations.RunPython(default_markings, migrations.RunPython.noop),
    ]
