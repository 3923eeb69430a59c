"""The ACSA reference data, with the source of every row. Never edit after it lands: later
corrections are new migrations or audited edits by an administrator."""

from datetime import date

from django.db import migrations

FIGURE = "Defense of Japan 2021, Pt. III Ch. 2 Sec. 2, Figure III-2-2-1 (日米物品役務相互提供協定（ACSA）)"
FOOTNOTE = "Defense of Japan 2021, Pt. III Ch. 2 Sec. 2 §6, footnote 1"
PUBLIC_RECORD = "MOFA releases and Diet records on the Japan–US ACSA and its amendments"
ARTICLES = "Japan–US ACSA (2016) Arts. 2–6, as summarized from MOFA's explanation of the agreement"
ORIGINAL = date(1996, 10, 22)
AMENDED_2004 = date(2004, 7, 29)
NEW_AGREEMENT = date(2017, 4, 25)

VERSIONS = [
    ("original-1996", "日米物品役務相互提供協定（原協定）", "Original agreement",
     date(1996, 4, 15), ORIGINAL),
    ("amendment-1999", "1999年改正", "1999 amendment", date(1998, 4, 28), date(1999, 9, 25)),
    ("amendment-2004", "2004年改正", "2004 amendment", date(2004, 2, 27), AMENDED_2004),
    ("new-agreement-2017", "新たな日米物品役務相互提供協定", "New agreement",
     date(2016, 9, 26), NEW_AGREEMENT),
]

# (code, Japanese, English, kind, prohibited)
CATEGORIES = [
    ("food", "食料", "Food", "goods", False),
    ("water", "水", "Water", "goods", False),
    ("billeting", "宿泊", "Billeting", "services", False),
    ("transportation", "輸送（空輸を含む。）", "Transportation (including airlift)", "services", False),
    ("petroleum", "燃料・油脂・潤滑油", "Petroleum, oils and lubricants", "goods", False),
    ("clothing", "被服", "Clothing", "goods", False),
    ("communications", "通信", "Communications", "both", False),
    ("medical", "衛生業務", "Medical services", "services", False),
    ("base-support", "基地支援", "Base support", "services", False),
    ("storage", "保管", "Storage", "services", False),
    ("use-of-facilities", "施設の利用", "Use of facilities", "services", False),
    ("training-services", "訓練業務", "Training services", "services", False),
    ("spare-parts", "部品・構成品", "Spare parts and components", "goods", False),
    ("repair", "修理・整備", "Repair and maintenance", "services", False),
    ("airport-seaport", "空港・港湾業務", "Airport and seaport services", "services", False),
    ("ammunition", "弾薬", "Ammunition", "goods", False),
    ("weapons", "武器", "Weapons", "goods", True),
]

# (code, Japanese, English, treaty article or "", in force from, ※1 flag)
SITUATIONS = [
    ("multilateral-exercise", "日米が参加する多数国間訓練",
     "Multilateral exercises in which Japan and the United States participate", "2",
     NEW_AGREEMENT, True),
    ("bilateral-exercise", "日米二国間訓練", "Bilateral exercises", "2", ORIGINAL, False),
    ("un-pko", "国際連合平和維持活動", "United Nations peacekeeping operations", "3", ORIGINAL,
     False),
    ("sdf-peace-cooperation-to-us-disaster", "国際平和協力業務を行う自衛隊から災害対応を行う米軍",
     "From SDF units on international peace cooperation duty to U.S. forces responding to a disaster",
     "", NEW_AGREEMENT, True),
    ("internationally-coordinated-operations", "国際連携平和安全活動",
     "Internationally coordinated operations for peace and security", "3", NEW_AGREEMENT, True),
    ("important-influence", "重要影響事態", "Important influence situations", "4",
     NEW_AGREEMENT, True),
    ("survival-threatening", "存立危機事態", "Survival-threatening situations", "5",
     NEW_AGREEMENT, True),
    ("armed-attack", "武力攻撃事態", "Armed attack situations", "5", AMENDED_2004, False),
    ("anticipated-armed-attack", "武力攻撃予測事態", "Anticipated armed attack situations", "5",
     AMENDED_2004, False),
    ("humanitarian-relief", "人道的な国際救援活動", "Humanitarian international relief operations",
     "3", ORIGINAL, False),
    ("international-peace-cooperative-response", "国際平和共同対処事態",
     "International peace cooperative response situations", "", NEW_AGREEMENT, True),
    ("disaster-relief", "災害派遣", "Disaster relief dispatch", "6", AMENDED_2004, False),
    ("transport-of-nationals", "在外邦人等輸送", "Transport of Japanese nationals overseas", "6",
     AMENDED_2004, False),
    ("international-disaster-relief", "国際緊急援助活動", "International disaster relief activities",
     "", date(2012, 11, 26), False),
    ("us-forces-at-sdf-facilities", "日常的な活動のため自衛隊の施設に一時的に滞在する米軍",
     "U.S. forces staying temporarily at SDF facilities for routine activities", "6",
     AMENDED_2004, False),
    ("guarding-operations", "警護出動", "Guarding operations", "6", NEW_AGREEMENT, True),
    ("counter-piracy", "海賊対処行動", "Counter-piracy operations", "6", NEW_AGREEMENT, True),
    ("ballistic-missile-destruction", "弾道ミサイル等破壊措置",
     "Ballistic missile destruction measures", "6", NEW_AGREEMENT, True),
    ("mine-removal", "機雷等の除去", "Removal of mines", "6", NEW_AGREEMENT, True),
    ("protection-of-nationals", "在外邦人等保護措置", "Protection of Japanese nationals overseas",
     "6", NEW_AGREEMENT, True),
    ("warning-and-surveillance", "警戒監視活動", "Warning and surveillance activities", "6",
     NEW_AGREEMENT, True),
    ("sdf-at-us-facilities", "日常的な活動のため米軍施設に一時的に滞在する米軍",
     "U.S. forces at U.S. facilities where SDF units stay temporarily for routine activities",
     "6", NEW_AGREEMENT, True),
]

# Situations of earlier versions that the current figure no longer lists.
FORMER_SITUATIONS = [
    ("areas-surrounding-japan", "周辺事態", "Situations in areas surrounding Japan", "",
     date(1999, 9, 25), date(2017, 4, 24),
     "Replaced by important influence situations when the new agreement took effect."),
    ("special-measures-laws", "テロ対策特措法・イラク特措法に基づく活動",
     "Activities under the Anti-Terrorism and Iraq special measures laws", "", AMENDED_2004,
     None, "Both laws have lapsed; the end date for ACSA purposes is to be confirmed."),
]

GROUP_NOTE = (
    "The figure groups situations as mainly concerning Japan and its people, international "
    "cooperation, and the alliance; the grouping was lost in the text of the seed, so it is "
    "unknown until an administrator confirms it."
)


def load(apps, schema_editor):
    AgreementVersion = apps.get_model("acsa", "AgreementVersion")
    Category = apps.get_model("acsa", "Category")
    SituationType = apps.get_model("acsa", "SituationType")
    for code, name_ja, name_en, signed_on, in_force_from in VERSIONS:
        AgreementVersion.objects.create(
            code=code, name_ja=name_ja, name_en=name_en, signed_on=signed_on,
            in_force_from=in_force_from, effective_from=in_force_from, source=PUBLIC_RECORD,
        )
    for position, (code, name_ja, name_en, kind, prohibited) in enumerate(CATEGORIES, 1):
        Category.objects.create(
            code=code, name_ja=name_ja, name_en=name_en, kind=kind, prohibited=prohibited,
            position=position, source=FOOTNOTE,
            note="Weapons are never provided (武器の提供は含まれない)." if prohibited else "",
        )
    for position, (code, name_ja, name_en, article, since, legislation) in enumerate(SITUATIONS, 1):
        SituationType.objects.create(
            code=code, name_ja=name_ja, name_en=name_en, treaty_article=article,
            effective_from=since, enabled_by_2015_legislation=legislation, group="unknown",
            position=position, note=GROUP_NOTE,
            source=f"{FIGURE}; dates: {PUBLIC_RECORD}" + (f"; article: {ARTICLES}" if article else ""),
        )
    for offset, (code, name_ja, name_en, article, since, until, note) in enumerate(FORMER_SITUATIONS):
        SituationType.objects.create(
            code=code, name_ja=name_ja, name_en=name_en, treaty_article=article,
            effective_from=since, effective_to=until, enabled_by_2015_legislation=False,
            group="unknown", position=100 + offset, note=note, source=PUBLIC_RECORD,
        )


class Migration(migrations.Migration):
    dependencies = [("acsa", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
