"""Entry numbers drawn per series (a situation's entries of one body, or its situation-wide
ones, under one marking) instead of across the situation, so no reader meets a gap made by
an entry hidden from them. Existing entries are numbered in their series in the order they
were made; `seq` stays as the situation's order of creation, which pages key on."""

import django.db.models.deletion
from django.db import migrations, models

from kizuna.coordination.models import entry_series_code


def number_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    LogEntry = apps.get_model("coordination", "LogEntry")
    EntrySeries = apps.get_model("coordination", "EntrySeries")
    series: dict[tuple[int, int | None, int], object] = {}
    taken: dict[int, set[str]] = {}
    for entry in LogEntry.objects.select_related("marking", "body").order_by("situation", "seq"):
        key = (entry.situation_id, entry.body_id, entry.marking_id)
        if key not in series:
            codes = taken.setdefault(entry.situation_id, set())
            length = 5
            body_code = entry.body.code if entry.body else ""
            while entry_series_code(body_code, entry.marking.key, length) in codes:
                length += 1
            code = entry_series_code(body_code, entry.marking.key, length)
            codes.add(code)
            series[key] = EntrySeries.objects.create(
                situation_id=entry.situation_id,
                body_id=entry.body_id,
                marking_id=entry.marking_id,
                code=code,
            )
        row = series[key]
        row.last_number += 1
        entry.series = row
        entry.number = row.last_number
        entry.label = f"{row.code}-{row.last_number}"
        entry.save(update_fields=["series", "number", "label"])
    for row in series.values():
        row.save(update_fields=["last_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0006_resource_report_approximate"),
        ("sharing", "0008_search_vector_marking"),
    ]

    operations = [
        migrations.CreateModel(
            name="EntrySeries",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=40, verbose_name="code")),
                (
                    "last_number",
                    models.PositiveIntegerField(default=0, verbose_name="last number drawn"),
                ),
                (
                    "body",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="coordination.body",
                        verbose_name="coordination body",
                    ),
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
                (
                    "situation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="coordination.situation",
                        verbose_name="situation",
                    ),
                ),
            ],
            options={
                "verbose_name": "entry number series",
                "verbose_name_plural": "entry number series",
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("body__isnull", False)),
                        fields=("situation", "body", "marking"),
                        name="entry_series_per_body_marking",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("body__isnull", True)),
                        fields=("situation", "marking"),
                        name="entry_series_per_marking",
                    ),
                    models.UniqueConstraint(
                        fields=("situation", "code"), name="entry_series_code"
                    ),
                ],
            },
        ),
        migrations.AlterField(
            model_name="logentry",
            name="seq",
            field=models.PositiveBigIntegerField(verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="logentry",
            name="series",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="coordination.entryseries",
                verbose_name="number series",
            ),
        ),
        migrations.AddField(
            model_name="logentry",
            name="number",
            field=models.PositiveIntegerField(null=True, verbose_name="number in its series"),
        ),
        migrations.AddField(
            model_name="logentry",
            name="label",
            field=models.CharField(
                editable=False, max_length=60, null=True, verbose_name="number"
            ),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="logentry",
            name="series",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="coordination.entryseries",
                verbose_name="number series",
            ),
        ),
        migrations.AlterField(
            model_name="logentry",
            name="number",
            field=models.PositiveIntegerField(verbose_name="number in its series"),
        ),
        migrations.AlterField(
            model_name="logentry",
            name="label",
            field=models.CharField(editable=False, max_length=60, verbose_name="number"),
        ),
        migrations.AddConstraint(
            model_name="logentry",
            constraint=models.UniqueConstraint(
                fields=("series", "number"), name="entry_number_per_series"
            ),
        ),
    ]
