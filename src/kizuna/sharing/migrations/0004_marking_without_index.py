"""Items' marking column loses its index of its own (see `Marked.marking`).

On SQLite, AlterField rebuilds sharing_shareditem and the FTS triggers go with the old table
(0003's warning): they are made again and the FTS table rebuilt from the items.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

search_index = importlib.import_module("kizuna.sharing.migrations.0003_search_index")


def restore_fts(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    search_index.drop_index(apps, schema_editor)
    search_index.add_index(apps, schema_editor)
    schema_editor.execute("INSERT INTO sharing_item_fts(sharing_item_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0003_search_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="shareditem",
            name="marking",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sharing.markingset",
                verbose_name="marking",
            ),
        ),
        migrations.RunPython(restore_fts, migrations.RunPython.noop),
    ]
