"""Every log entry has a marking (given to earlier ones in 0003, in its own transaction so
PostgreSQL has no pending trigger events when the column changes)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("coordination", "0003_logentry_marking")]

    operations = [
        migrations.AlterField(
            model_name="logentry",
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
