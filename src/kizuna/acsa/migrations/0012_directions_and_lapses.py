"""Which way provision runs in each situation, when the special measures laws lapsed, and
which situation type replaced which; each cited. Never edit after it lands: later
corrections are new migrations or audited edits by an administrator.

Direction: the agreement's basic principle is reciprocal (either party may provide what the
other requests), so both ways unless a source narrows it. The figure's row 「国際平和協力業務を
行う自衛隊から災害対応を行う米軍」 runs from the SDF to US forces only. The rows the new
agreement covers through SDF Act Art. 100-6, the 2004 row of US forces staying at SDF
facilities and the special measures laws' activities are the SDF's provision to US forces;
whether US forces provide to the SDF in them no source at hand settles (unknown, not guessed).

Lapses: the combined row of the two special measures laws is split into one row per law,
each lapsing on its own date (the last day the law was in force); the combined row stays for
the orders that name it, unknown between the two dates and lapsed after the later one.
"""

from datetime import date

import django.db.models.deletion
from django.db import migrations, models

FIGURE = "Defense of Japan 2021 (Ministry of Defense, 2021), Part III, Chapter 2, Section 2, Figure III-2-2-1"
PRINCIPLE = (
    "Defense of Japan 2021 (Ministry of Defense, 2021), Part III, Chapter 2, Section 2, §6: "
    "when one party requests goods or services, the other may provide them "
    "(その一方が物品や役務の提供を要請した場合には、他方は提供ができる)"
)
SDF_ACT_100_6 = (
    "Self-Defense Forces Act (Act No. 165 of 1954), Art. 100-6, as amended by the Legislation "
    "for Peace and Security (Act No. 76 of 2015, in force 29 March 2016)"
)
SDF_ACT_100_6_2004 = (
    "Self-Defense Forces Act (Act No. 165 of 1954), Art. 100-6, as amended in 2004 "
    "(Act No. 113 of 2004, in force 29 July 2004)"
)
ANTI_TERRORISM_LAW = (
    "Anti-Terrorism Special Measures Law (テロ対策特別措置法, Act No. 113 of 2001), as extended; "
    "lapsed at the end of 1 November 2007 (Cabinet Office and MOFA public record)"
)
IRAQ_LAW = (
    "Iraq Special Measures Law (イラク人道復興支援特別措置法, Act No. 137 of 2003), as extended; "
    "lapsed at the end of 31 July 2009 (Cabinet Office public record)"
)
VERSIONS_TABLE = (
    "MOFA releases on the Japan–US ACSA amendment of 2004 (signed 27 February 2004, in force "
    "29 July 2004)"
)
REPLACED = (
    "Act on Measures to Ensure Peace and Security of Japan in Important Influence Situations "
    "(Act No. 60 of 1999 as amended by Act No. 76 of 2015, in force 29 March 2016), replacing "
    "the Act on Measures in Situations in Areas Surrounding Japan; new Japan–US ACSA in force "
    "25 April 2017 (MOFA release)"
)

ONE_WAY_FIGURE = (
    "The figure's row names provision from SDF units on international peace cooperation "
    "duty to US forces responding to a disaster: one way only."
)
ONE_WAY_100_6 = (
    "SDF Act Art. 100-6 authorizes the SDF's provision to US forces in this situation; "
    "whether US forces provide to the SDF here is not settled by the sources at hand."
)
ONE_WAY_STAYING = (
    "The row names the US forces staying at SDF facilities as the receiving side; "
    "whether they provide to the SDF here is not settled by the sources at hand."
)
ONE_WAY_LAWS = (
    "The special measures laws authorized the SDF's support to US and other forces; "
    "whether US forces provided to the SDF under them is not settled by the sources at hand."
)
BETWEEN_LAPSES = (
    "The Anti-Terrorism Special Measures Law lapsed at the end of 1 November 2007 and the "
    "Iraq Special Measures Law at the end of 31 July 2009; which law an activity rested on "
    "decides, so the combined row cannot tell between those dates."
)

ART_100_6 = [
    "guarding-operations", "counter-piracy", "ballistic-missile-destruction", "mine-removal",
    "protection-of-nationals", "warning-and-surveillance", "sdf-at-us-facilities",
]
ANTI_TERRORISM_LAPSED = date(2007, 11, 1)
IRAQ_LAPSED = date(2009, 7, 31)
SPLIT = [
    ("anti-terrorism-sml", "テロ対策特措法に基づく活動",
     "Activities under the Anti-Terrorism Special Measures Law", ANTI_TERRORISM_LAPSED,
     ANTI_TERRORISM_LAW),
    ("iraq-sml", "イラク特措法に基づく活動", "Activities under the Iraq Special Measures Law",
     IRAQ_LAPSED, IRAQ_LAW),
]


def load(apps, schema_editor):
    SituationType = apps.get_model("acsa", "SituationType")
    EligibilityRule = apps.get_model("acsa", "EligibilityRule")
    SituationType.objects.update(from_japan=True, from_us=True, direction_source=PRINCIPLE)
    SituationType.objects.filter(code="sdf-peace-cooperation-to-us-disaster").update(
        from_us=False, direction_source=f"{FIGURE}, row 「国際平和協力業務を行う自衛隊から災害対応を行う米軍」",
        direction_note=ONE_WAY_FIGURE,
    )
    SituationType.objects.filter(code__in=ART_100_6).update(
        from_us=None, direction_source=SDF_ACT_100_6, direction_note=ONE_WAY_100_6
    )
    SituationType.objects.filter(code="us-forces-at-sdf-facilities").update(
        from_us=None, direction_source=f"{SDF_ACT_100_6_2004}; {FIGURE}",
        direction_note=ONE_WAY_STAYING,
    )
    combined = SituationType.objects.get(code="special-measures-laws")
    for offset, (code, name_ja, name_en, lapsed, source) in enumerate(SPLIT, 2):
        row = SituationType.objects.create(
            code=code, name_ja=name_ja, name_en=name_en, treaty_article="",
            effective_from=combined.effective_from, enabled_by_2015_legislation=False,
            group="unknown", position=100 + offset, source=f"{VERSIONS_TABLE}; {source}",
            from_japan=True, from_us=None, direction_source=source, direction_note=ONE_WAY_LAWS,
            law_lapsed_on=lapsed, lapse_source=source,
        )
        EligibilityRule.objects.bulk_create(
            EligibilityRule(
                version_id=rule.version_id, situation=row, category_id=rule.category_id,
                allowed=rule.allowed, note=rule.note, source=rule.source,
            )
            for rule in EligibilityRule.objects.filter(situation=combined)
        )
    combined.from_us = None
    combined.direction_source = f"{ANTI_TERRORISM_LAW}; {IRAQ_LAW}"
    combined.direction_note = ONE_WAY_LAWS
    combined.law_lapsed_on = IRAQ_LAPSED
    combined.lapse_source = f"{ANTI_TERRORISM_LAW}; {IRAQ_LAW}"
    combined.note = BETWEEN_LAPSES
    combined.save()
    # Under the 2004 amendment the combined row answers as before up to the first lapse and is
    # unknown from the next day until the second (the lapse itself answers after that).
    for rule in EligibilityRule.objects.filter(
        situation=combined, version__code="amendment-2004", allowed=True
    ):
        EligibilityRule.objects.create(
            version_id=rule.version_id, situation=combined, category_id=rule.category_id,
            allowed=None, note=BETWEEN_LAPSES, source=f"{ANTI_TERRORISM_LAW}; {IRAQ_LAW}",
            effective_from=date(2007, 11, 2),
        )
        rule.effective_to = ANTI_TERRORISM_LAPSED
        rule.save()
    SituationType.objects.filter(code="areas-surrounding-japan").update(
        replaced_by=SituationType.objects.get(code="important-influence"),
        source=f"{VERSIONS_TABLE}; {REPLACED}",
    )


def unload(apps, schema_editor):
    """Back to the combined row as 0004 left it, so that applying this again gives the same."""
    SituationType = apps.get_model("acsa", "SituationType")
    EligibilityRule = apps.get_model("acsa", "EligibilityRule")
    split = [code for code, *_ in SPLIT]
    EligibilityRule.objects.filter(situation__code__in=split).delete()
    EligibilityRule.objects.filter(
        situation__code="special-measures-laws", effective_from=date(2007, 11, 2)
    ).delete()
    EligibilityRule.objects.filter(
        situation__code="special-measures-laws", effective_to=ANTI_TERRORISM_LAPSED
    ).update(effective_to=None)
    SituationType.objects.filter(code__in=split).delete()
    if schema_editor.connection.vendor == "postgresql":
        # The deletes leave deferred foreign-key checks pending, and PostgreSQL will not drop
        # the columns that follow in this migration while they are: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("acsa", "0011_order_series")]

    operations = [
        migrations.AddField(
            model_name="situationtype",
            name="from_japan",
            field=models.BooleanField(null=True, verbose_name="the SDF may provide to US forces"),
        ),
        migrations.AddField(
            model_name="situationtype",
            name="from_us",
            field=models.BooleanField(null=True, verbose_name="US forces may provide to the SDF"),
        ),
        migrations.AddField(
            model_name="situationtype",
            name="direction_source",
            field=models.TextField(
                blank=True,
                help_text="Where the direction comes from.",
                verbose_name="source of the direction",
            ),
        ),
        migrations.AddField(
            model_name="situationtype",
            name="direction_note",
            field=models.TextField(blank=True, verbose_name="note on the direction"),
        ),
        migrations.AddField(
            model_name="situationtype",
            name="law_lapsed_on",
            field=models.DateField(
                blank=True,
                help_text="The last day the law under which provision rested was in force.",
                null=True,
                verbose_name="law lapsed on",
            ),
        ),
        migrations.AddField(
            model_name="situationtype",
            name="lapse_source",
            field=models.TextField(blank=True, verbose_name="source of the lapse"),
        ),
        migrations.AddField(
            model_name="situationtype",
            name="replaced_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="acsa.situationtype",
                verbose_name="replaced by",
            ),
        ),
        migrations.RunPython(load, unload),
    ]
