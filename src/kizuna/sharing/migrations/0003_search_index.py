"""The full-text index over `search_grams` (see sharing/search.py).

SQLite: an FTS5 table (unicode61) kept in step with the items by triggers, so every write
path (services, bulk loads) indexes alike. PostgreSQL: a stored generated column holding the
'simple' tsvector of the column, with a GIN index. Stored, not an expression index, because
phrase matching (<->) and ranking read the vector of every candidate row, and recomputing it
from the text for each row was the dominant cost in bench/sharing.py.

On SQLite, a later migration that rebuilds sharing_shareditem (most ALTERs do) drops these
triggers with the old table: such a migration must run `drop_index` and `add_index` again
after its change, and rebuild the FTS table ('rebuild' command).
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE sharing_item_fts USING fts5(
         search_grams, content='sharing_shareditem', content_rowid='id', tokenize='unicode61')""",
    """CREATE TRIGGER sharing_item_fts_insert AFTER INSERT ON sharing_shareditem BEGIN
         INSERT INTO sharing_item_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
       END""",
    """CREATE TRIGGER sharing_item_fts_delete AFTER DELETE ON sharing_shareditem BEGIN
         INSERT INTO sharing_item_fts(sharing_item_fts, rowid, search_grams)
         VALUES ('delete', old.id, old.search_grams);
       END""",
    """CREATE TRIGGER sharing_item_fts_update AFTER UPDATE OF search_grams ON sharing_shareditem
       BEGIN
         INSERT INTO sharing_item_fts(sharing_item_fts, rowid, search_grams)
         VALUES ('delete', old.id, old.search_grams);
         INSERT INTO sharing_item_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
       END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS sharing_item_fts_insert",
    "DROP TRIGGER IF EXISTS sharing_item_fts_delete",
    "DROP TRIGGER IF EXISTS sharing_item_fts_update",
    "DROP TABLE IF EXISTS sharing_item_fts",
]
POSTGRES = [
    """ALTER TABLE sharing_shareditem ADD COLUMN search_vector tsvector
       GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_grams)) STORED""",
    "CREATE INDEX sharing_item_search_gin ON sharing_shareditem USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS sharing_item_search_gin",
    "ALTER TABLE sharing_shareditem DROP COLUMN IF EXISTS search_vector",
]


def add_index(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES if postgres else SQLITE:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_DROP if postgres else SQLITE_DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0002_reference_markings")]

    operations = [migrations.RunPython(add_index, drop_index)]
