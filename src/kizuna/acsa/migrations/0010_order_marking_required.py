import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("acsa", "0009_order_marking"),
    ]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="marking",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sharing.markingset",
                verbose_name="marking",
            ),
        ),
    ]
