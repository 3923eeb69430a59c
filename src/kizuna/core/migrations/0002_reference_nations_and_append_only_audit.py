"""Reference nations, and database triggers that keep the audit table append-only.

The triggers stop the application (or a careless script) from rewriting history; the hash
chain catches anyone who drops them first. TRUNCATE is left to privileges: the application's
database role should not own the table (docs/operations.md).
"""

from django.db import migrations

NATIONS = [
    ("JPN", "日本", "Japan"),
    ("USA", "アメリカ合衆国", "United States"),
    ("AUS", "オーストラリア", "Australia"),
    ("GBR", "英国", "United Kingdom"),
    ("CAN", "カナダ", "Canada"),
    ("FRA", "フランス", "France"),
    ("IND", "インド", "India"),
    ("KOR", "大韓民国", "Republic of Korea"),
    ("NZL", "ニュージーランド", "New Zealand"),
    ("PHL", "フィリピン", "Philippines"),
    ("FSM", "ミクロネシア連邦", "Federated States of Micronesia"),
]

SQLITE_TRIGGERS = [
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only'); END""",
    """CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION core_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'core_auditevent is append-only'; END $$""",
    """CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
       FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only()",
]


def add_nations(apps, schema_editor):
    Nation = apps.get_model("core", "Nation")
    for code, name_ja, name_en in NATIONS:
        Nation.objects.update_or_create(code=code, defaults={"name_ja": name_ja, "name_en": name_en})


def add_triggers(apps, schema_editor):
    statements = POSTGRES_TRIGGERS if schema_editor.connection.vendor == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    statements = POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(add_nations, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
