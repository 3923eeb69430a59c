"""Citations people can follow: every reference row cites its source by title, article,
section or figure, and date, never an internal document (docs/sources/README.md lists every
source and what it is used for). The Diet's approval of the new agreement (14 April 2017) is
recorded with the version. Situation rows no longer cite the 2016 agreement's articles in
their own source: the engine cites an article only under the version whose numbering it
follows (`article_version`), so answers under the 2004 amendment do not cite the 2016
agreement's articles. Never edit after it lands: later corrections are new migrations or
audited edits by an administrator."""

from datetime import date

import django.db.models.deletion
from django.db import migrations, models

SEED = "Defense of Japan 2021 (Ministry of Defense of Japan, 2021), Part III, Chapter 2, Section 2"
FIGURE = f"{SEED}, Figure III-2-2-1 (日米物品役務相互提供協定（ACSA）)"
FOOTNOTE = f"{SEED}, §6, footnote 1"
SEED_NEW_AGREEMENT = f"{SEED}, §6 (signed September 2016, approved by the Diet 14 April 2017, in force 25 April 2017)"
NOTE_2 = f"{FIGURE}, note ※2 (ammunition in every activity and situation under the new agreement)"
TITLE_1996 = (
    "Agreement between the Government of Japan and the Government of the United States of "
    "America concerning Reciprocal Provision of Logistic Support, Supplies and Services between "
    "the Self-Defense Forces of Japan and the Armed Forces of the United States of America"
)
VERSIONS = {
    "original-1996": f"{TITLE_1996} (日米物品役務相互提供協定), signed 15 April 1996, in force "
    "22 October 1996 (Ministry of Foreign Affairs of Japan, treaty record)",
    "amendment-1999": f"Agreement amending the {TITLE_1996}, signed 28 April 1998, in force "
    "25 September 1999 (Ministry of Foreign Affairs of Japan, treaty record)",
    "amendment-2004": f"Agreement amending the {TITLE_1996}, signed 27 February 2004, in force "
    "29 July 2004 (Ministry of Foreign Affairs of Japan, treaty record)",
    "new-agreement-2017": "Agreement between the Government of Japan and the Government of the "
    "United States of America concerning Reciprocal Provision of Supplies and Services between "
    "the Self-Defense Forces of Japan and the Armed Forces of the United States of America "
    "(新たな日米物品役務相互提供協定), signed 26 September 2016, approved by the Diet "
    "14 April 2017, in force 25 April 2017 (Ministry of Foreign Affairs of Japan, release of "
    "26 September 2016; House of Councillors, plenary sitting of 14 April 2017); "
    + SEED_NEW_AGREEMENT,
}
SDF_ACT_2012 = (
    "Self-Defense Forces Act (Act No. 165 of 1954), Art. 100-6, as amended in force "
    "26 November 2012 (international disaster relief activities)"
)
USC_2347 = (
    "10 U.S.C. § 2347 (limitations on the amounts of liabilities the United States may accrue "
    "under cross-servicing agreements), United States Code, 2018 edition"
)


def _version_for(day, versions):
    """The version (or SDF Act amendment) that added a situation in force from `day`."""
    if day == date(2012, 11, 26):
        return SDF_ACT_2012
    in_force = [v for v in versions if v.in_force_from <= day]
    return VERSIONS[in_force[-1].code]


def load(apps, schema_editor):
    AgreementVersion = apps.get_model("acsa", "AgreementVersion")
    SituationType = apps.get_model("acsa", "SituationType")
    Category = apps.get_model("acsa", "Category")
    EligibilityRule = apps.get_model("acsa", "EligibilityRule")
    LiabilityCap = apps.get_model("acsa", "LiabilityCap")
    versions = list(AgreementVersion.objects.order_by("in_force_from"))
    for version in versions:
        version.source = VERSIONS[version.code]
        if version.code == "new-agreement-2017":
            version.diet_approved_on = date(2017, 4, 14)
        version.save()
    new_agreement = AgreementVersion.objects.get(code="new-agreement-2017")
    for situation in SituationType.objects.all():
        added_by = _version_for(situation.effective_from, versions)
        if situation.law_lapsed_on:
            situation.source = f"{added_by}; {situation.lapse_source}"
        elif situation.replaced_by_id:
            # 0011 cited the law that replaced it after the version table: keep that part.
            situation.source = f"{added_by}; {situation.source.split('; ', 1)[1]}"
        else:
            situation.source = f"{FIGURE}; covered from {situation.effective_from:%-d %B %Y}: {added_by}"
        if situation.treaty_article:
            situation.article_version = new_agreement
        situation.save()
    Category.objects.update(source=FOOTNOTE)
    Category.objects.filter(prohibited=True).update(
        source=f"{FOOTNOTE} (武器の提供は含まれない); {VERSIONS['new-agreement-2017']}"
    )
    by_version = {v.pk: v for v in versions}
    for rule in EligibilityRule.objects.select_related("category"):
        source = VERSIONS[by_version[rule.version_id].code]
        if rule.category.code == "ammunition" and by_version[rule.version_id].code == "new-agreement-2017":
            source = f"{NOTE_2}; {source}"
        if "Special Measures Law" in rule.source:
            source = f"{rule.source}; {source}"
        rule.source = source
        rule.save()
    LiabilityCap.objects.update(source=USC_2347)


class Migration(migrations.Migration):
    dependencies = [("acsa", "0014_category_kind_source")]

    operations = [
        migrations.AddField(
            model_name="agreementversion",
            name="diet_approved_on",
            field=models.DateField(blank=True, null=True, verbose_name="approved by the Diet on"),
        ),
        migrations.AddField(
            model_name="situationtype",
            name="article_version",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="acsa.agreementversion",
                verbose_name="article as numbered in",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
