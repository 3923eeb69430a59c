"""Order numbers drawn per series (the two nations and the marking) instead of the table's
id, so no reader meets a gap made by an order hidden from them. Existing orders are
numbered in their series in the order they were made."""

import django.db.models.deletion
from django.db import migrations, models

from kizuna.acsa.models import series_code


def number_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    Order = apps.get_model("acsa", "Order")
    OrderSeries = apps.get_model("acsa", "OrderSeries")
    series: dict[tuple[int, str], object] = {}
    for order in Order.objects.select_related(
        "marking", "supplying_org", "receiving_org"
    ).order_by("id"):
        parties = "-".join(sorted({order.supplying_org.nation_id, order.receiving_org.nation_id}))
        key = (order.marking_id, parties)
        if key not in series:
            length = 5
            while OrderSeries.objects.filter(
                code=series_code(parties, order.marking.key, length)
            ).exists():
                length += 1
            series[key] = OrderSeries.objects.create(
                marking_id=order.marking_id,
                parties=parties,
                code=series_code(parties, order.marking.key, length),
            )
        row = series[key]
        row.last_serial += 1
        row.save(update_fields=["last_serial"])
        order.series = row
        order.number = f"ACSA-{row.code}-{row.last_serial:04d}"
        order.save(update_fields=["series", "number"])


class Migration(migrations.Migration):
    dependencies = [
        ("acsa", "0010_order_marking_required"),
        ("sharing", "0008_search_vector_marking"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrderSeries",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("parties", models.CharField(max_length=16, verbose_name="parties")),
                ("code", models.CharField(max_length=40, unique=True, verbose_name="code")),
                (
                    "last_serial",
                    models.PositiveIntegerField(default=0, verbose_name="last number drawn"),
                ),
                (
                    "marking",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="sharing.markingset",
                        verbose_name="marking",
                    ),
                ),
            ],
            options={
                "verbose_name": "order number series",
                "verbose_name_plural": "order number series",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("marking", "parties"), name="acsa_series_per_marking"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="order",
            name="series",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="acsa.orderseries",
                verbose_name="number series",
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="number",
            field=models.CharField(
                editable=False, max_length=60, null=True, verbose_name="number"
            ),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="order",
            name="series",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="acsa.orderseries",
                verbose_name="number series",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="number",
            field=models.CharField(editable=False, max_length=60, unique=True, verbose_name="number"),
        ),
    ]
