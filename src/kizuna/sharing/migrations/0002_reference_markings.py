"""Reference markings: fictional demo classification levels of each nation, the equivalence
table between them, handling caveats and communities of interest. Administrators amend them
in the back office (every change audited); these rows are only a start."""

from django.db import migrations

# (code, nation, rank, name_ja, name_en). The names are fictional, for demonstration only.
LEVELS = [
    ("jpn-j1", "JPN", 1, "区分J1（注意）", "Level-J1 (Caution)"),
    ("jpn-j2", "JPN", 2, "区分J2（部内限り）", "Level-J2 (Internal)"),
    ("jpn-j3", "JPN", 3, "区分J3（厳重管理）", "Level-J3 (Strict)"),
    ("usa-u1", "USA", 1, "区分U1（管理）", "Level-U1 (Controlled)"),
    ("usa-u2", "USA", 2, "区分U2（制限）", "Level-U2 (Restricted)"),
    ("usa-u3", "USA", 3, "区分U3（保護）", "Level-U3 (Protected)"),
    ("aus-a1", "AUS", 1, "区分A1（管理）", "Level-A1 (Controlled)"),
]
# Pairs that are handled as equal; each is entered in both directions.
EQUIVALENT = [
    ("jpn-j1", "usa-u1"),
    ("jpn-j2", "usa-u2"),
    ("jpn-j3", "usa-u3"),
    ("aus-a1", "jpn-j1"),
    ("aus-a1", "usa-u1"),
]
CAVEATS = [
    ("originator-controlled", "発信元管理", "Originator controlled"),
    ("no-copies", "複製禁止", "No copies"),
    ("exercise-only", "演習限り", "Exercise only"),
]
COMMUNITIES = [
    ("scwg", "space", "日米宇宙協力ワーキンググループ", "Space Cooperation Working Group"),
    ("cdpwg", "cyber", "日米サイバー防衛政策ワーキンググループ", "Cyber Defense Policy Working Group"),
    ("bmd", "amd", "弾道ミサイル防衛", "Ballistic missile defense"),
    ("joint-isr", "isr", "共同ISR", "Joint ISR"),
    ("maritime-watch", "maritime", "海洋監視", "Maritime surveillance"),
]


def add_markings(apps, schema_editor):
    Level = apps.get_model("sharing", "ClassificationLevel")
    Equivalence = apps.get_model("sharing", "LevelEquivalence")
    Caveat = apps.get_model("sharing", "HandlingCaveat")
    Community = apps.get_model("sharing", "Community")
    for code, nation, rank, name_ja, name_en in LEVELS:
        Level.objects.update_or_create(
            code=code,
            defaults={"nation_id": nation, "rank": rank, "name_ja": name_ja, "name_en": name_en},
        )
    for one, other in EQUIVALENT:
        a, b = Level.objects.get(code=one), Level.objects.get(code=other)
        Equivalence.objects.get_or_create(level=a, equivalent=b)
        Equivalence.objects.get_or_create(level=b, equivalent=a)
    for code, name_ja, name_en in CAVEATS:
        Caveat.objects.update_or_create(code=code, defaults={"name_ja": name_ja, "name_en": name_en})
    for code, domain, name_ja, name_en in COMMUNITIES:
        Community.objects.update_or_create(
            code=code, defaults={"domain": domain, "name_ja": name_ja, "name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial"), ("core", "0002_reference_nations_and_append_only_audit")]

    operations = [migrations.RunPython(add_markings, migrations.RunPython.noop)]
