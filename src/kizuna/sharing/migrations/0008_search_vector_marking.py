"""PostgreSQL: the search vector also carries the item's marking, as one lexeme `~<id>`
that no query can spell (a query's words are letters, digits and CJK characters only).

A search adds the reader's visible markings to its tsquery (`& ('~1' | '~3')`), so the GIN
index drops the rows the reader may not see before any of the table is read: ranking a
common word read every match's row from the table, hidden ones included, and that reading
was most of the search page's time (docs/performance.md). The `marking_id IN (...)` filter
stays in every query as the rule of record; the lexeme only narrows what the index hands
over. The column is generated, so a marking change moves the lexeme with it.

SQLite is unchanged: its FTS5 search is fast enough at the sizes it serves.
"""

from django.db import migrations

VECTOR = (
    "to_tsvector('simple'::regconfig, search_grams)"
    " || array_to_tsvector(ARRAY['~' || marking_id::text])"
)
INDEX = "CREATE INDEX sharing_item_search_gin ON sharing_shareditem USING gin (search_vector)"
PREVIOUS_VECTOR = "to_tsvector('simple'::regconfig, search_grams)"


def _vector(schema_editor, expression):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (
        "DROP INDEX IF EXISTS sharing_item_search_gin",
        "ALTER TABLE sharing_shareditem DROP COLUMN IF EXISTS search_vector",
        "ALTER TABLE sharing_shareditem ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({expression}) STORED",
        INDEX,
    ):
        schema_editor.execute(statement)


def with_marking(apps, schema_editor):
    _vector(schema_editor, VECTOR)


def without_marking(apps, schema_editor):
    _vector(schema_editor, PREVIOUS_VECTOR)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0007_glossary_terms")]

    operations = [migrations.RunPython(with_marking, without_marking)]
