"""Changes of clearances, levels, equivalences and markings draw a new access token
(core.access), so remembered decisions of what a person may see are made again."""

from django.db import migrations

from kizuna.core.access import watch

TABLES = [
    "sharing_classificationlevel",
    "sharing_levelequivalence",
    "sharing_clearance",
    "sharing_clearance_caveats",
    "sharing_clearance_communities",
    "sharing_markingset",
    "sharing_markingset_releasable_to",
    "sharing_markingset_caveats",
    "sharing_markingset_communities",
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_access_epoch"),
        ("sharing", "0004_marking_without_index"),
    ]

    operations = [watch(table) for table in TABLES]
