"""The eligibility table (agreement version x situation x category), derived from the
agreement's versions as the public record gives them. Never edit after it lands: later
corrections are new migrations or audited edits by an administrator.

A version covers every situation in force at some time while the version itself was in force
(the situation rows carry the dates their version added them, from 0002). Ammunition follows
the versions table: not provided before 2004-07-29; from then only in armed attack and
anticipated armed attack situations; from 2017-04-25 in every situation. Weapons are never
provided and have no rows: the engine refuses them from the category itself.
"""

from django.db import migrations

VERSIONS_TABLE = (
    "MOFA releases and Diet records on the Japan–US ACSA and its amendments "
    "(versions table of the domain brief: situations each version added)"
)
AMMUNITION_NOTE_SEED = (
    "Defense of Japan 2021, Figure III-2-2-1, note ※2: the new agreement covers ammunition in "
    "every activity and situation, not only armed attack situations etc."
)
ARMED_ATTACK = {"armed-attack", "anticipated-armed-attack"}


def _ammunition(version_code, situation_code):
    if version_code in ("original-1996", "amendment-1999"):
        return False, "Ammunition is not provided under this version (weapons and ammunition excluded both ways).", VERSIONS_TABLE
    if version_code == "amendment-2004":
        if situation_code in ARMED_ATTACK:
            return True, "Ammunition only in armed attack and anticipated armed attack situations.", VERSIONS_TABLE
        return False, "Ammunition only in armed attack and anticipated armed attack situations.", VERSIONS_TABLE
    return True, "Ammunition in every situation under the new agreement.", AMMUNITION_NOTE_SEED


def load(apps, schema_editor):
    AgreementVersion = apps.get_model("acsa", "AgreementVersion")
    Category = apps.get_model("acsa", "Category")
    SituationType = apps.get_model("acsa", "SituationType")
    EligibilityRule = apps.get_model("acsa", "EligibilityRule")
    versions = list(AgreementVersion.objects.order_by("in_force_from"))
    categories = list(Category.objects.filter(prohibited=False).order_by("position"))
    situations = list(SituationType.objects.order_by("position"))
    rows = []
    for index, version in enumerate(versions):
        ends = versions[index + 1].in_force_from if index + 1 < len(versions) else None
        for situation in situations:
            starts_in_time = situation.effective_from is None or ends is None or situation.effective_from < ends
            not_ended = situation.effective_to is None or situation.effective_to >= version.in_force_from
            if not (starts_in_time and not_ended):
                continue
            unsettled = situation.code == "special-measures-laws" and version.code == "new-agreement-2017"
            for category in categories:
                if unsettled:
                    allowed, note, source = None, (
                        "Both special measures laws had lapsed before the new agreement; "
                        "whether any provision under them remains is to be confirmed."
                    ), VERSIONS_TABLE
                elif category.code == "ammunition":
                    allowed, note, source = _ammunition(version.code, situation.code)
                else:
                    allowed, note, source = True, "", VERSIONS_TABLE
                rows.append(
                    EligibilityRule(
                        version=version, situation=situation, category=category,
                        allowed=allowed, note=note, source=source,
                    )
                )
    EligibilityRule.objects.bulk_create(rows)


def unload(apps, schema_editor):
    apps.get_model("acsa", "EligibilityRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("acsa", "0003_eligibility_rule")]

    operations = [migrations.RunPython(load, unload)]
