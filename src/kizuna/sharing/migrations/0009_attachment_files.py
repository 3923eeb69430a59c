"""Attachments move from a database column to file storage (MEDIA_ROOT): each stored row's
bytes are written to a file, then the column goes. Backwards, the files come back into it."""

import uuid

from django.core.files.base import ContentFile
from django.db import migrations, models


def to_files(apps, schema_editor):  # type: ignore[no-untyped-def]
    Attachment = apps.get_model("sharing", "Attachment")
    storage = Attachment._meta.get_field("file").storage
    for row in Attachment.objects.iterator(chunk_size=1):
        row.file = storage.save(f"attachments/{uuid.uuid4().hex}", ContentFile(bytes(row.data)))
        row.save(update_fields=["file"])


def to_column(apps, schema_editor):  # type: ignore[no-untyped-def]
    Attachment = apps.get_model("sharing", "Attachment")
    for row in Attachment.objects.iterator(chunk_size=1):
        with row.file.open("rb") as stored:
            row.data = stored.read()
        row.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("sharing", "0008_search_vector_marking")]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                default="", max_length=200, upload_to="attachments/", verbose_name="content"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(to_files, to_column),
        migrations.RemoveField(model_name="attachment", name="data"),
    ]
