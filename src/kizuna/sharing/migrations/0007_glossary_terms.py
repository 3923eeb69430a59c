"""The search glossary's first rows, each with its source: the alliance's terms from Kizuna's
glossary (docs/sources/glossary.md), and the domain's everyday words of the reports, most of
them as the Defense of Japan 2021 white paper uses them. Administrators amend the glossary
in the back office (every change audited); never edit this migration after it lands."""

from django.db import migrations

GLOSSARY = "Kizuna glossary (docs/sources/glossary.md)"
GLOSSARY_SEED = "Kizuna glossary (docs/sources/glossary.md), the seed's term (†)"
WHITE_PAPER = (
    "Defense of Japan 2021, Pt. III Ch. 2 Sec. 2 (Japanese text in "
    "docs/sources/white-paper-2021-ch3-sec2.txt), the English edition's term"
)
ACSA_FIGURE = (
    "Defense of Japan 2021, Pt. III Ch. 2 Sec. 2, Figure III-2-2-1 (categories of supplies "
    "and services under the ACSA)"
)
REPORTS = "Kizuna domain vocabulary: a word the shared reports use in both languages"

# (Japanese, English, domain, source)
TERMS = [
    # The alliance and its bodies
    ("日米同盟", "Japan–US Alliance", "", GLOSSARY_SEED),
    ("同盟調整メカニズム", "Alliance Coordination Mechanism", "", GLOSSARY_SEED),
    ("同盟調整グループ", "Alliance Coordination Group", "", GLOSSARY),
    ("共同運用調整所", "Bilateral Operations Coordination Center", "", GLOSSARY),
    ("日米共同調整所", "bilateral coordination center", "", GLOSSARY_SEED),
    ("統合任務部隊", "joint task force", "", GLOSSARY_SEED),
    ("調整機関", "coordination body", "", GLOSSARY),
    ("日米宇宙協力ワーキンググループ", "Space Cooperation Working Group", "space", GLOSSARY_SEED),
    (
        "日米サイバー防衛政策ワーキンググループ",
        "Cyber Defense Policy Working Group",
        "cyber",
        GLOSSARY_SEED,
    ),
    ("日米防衛協力のための指針", "Guidelines for Japan–US Defense Cooperation", "", GLOSSARY_SEED),
    # Mutual logistics support
    ("日米物品役務相互提供協定", "Acquisition and Cross-Servicing Agreement", "logistics", GLOSSARY_SEED),
    ("提供側", "supplying party", "logistics", GLOSSARY),
    ("受領側", "receiving party", "logistics", GLOSSARY),
    ("決済", "settlement", "logistics", GLOSSARY_SEED),
    ("相殺", "offset", "logistics", GLOSSARY),
    ("債権発生通知書", "claim-occurrence notice", "logistics", GLOSSARY),
    ("未決済残高", "outstanding balance", "logistics", GLOSSARY),
    ("重要影響事態", "important influence situation", "", GLOSSARY_SEED),
    ("存立危機事態", "survival-threatening situation", "", GLOSSARY_SEED),
    ("武力攻撃事態", "armed attack situation", "", GLOSSARY_SEED),
    ("武力攻撃予測事態", "anticipated armed attack situation", "", GLOSSARY_SEED),
    ("災害派遣", "disaster relief dispatch", "disaster", GLOSSARY_SEED),
    ("在外邦人等輸送", "transport of Japanese nationals overseas", "", GLOSSARY_SEED),
    ("国際緊急援助活動", "international disaster relief activities", "disaster", GLOSSARY_SEED),
    ("国際平和協力業務", "international peace cooperation assignments", "", GLOSSARY_SEED),
    ("情報収集活動", "information gathering activities", "isr", GLOSSARY_SEED),
    ("警戒監視活動", "surveillance activities", "isr", GLOSSARY_SEED),
    # Coordination
    ("活動記録", "activity log", "", GLOSSARY),
    ("重要事象", "significant event", "", GLOSSARY),
    ("支援要請", "request for support", "", GLOSSARY),
    ("運用情報の共有", "operational information sharing", "", GLOSSARY_SEED),
    ("海洋監視情報", "maritime surveillance information", "maritime", GLOSSARY_SEED),
    ("弾道ミサイル", "ballistic missile", "amd", GLOSSARY_SEED),
    ("東日本大震災", "Great East Japan Earthquake", "disaster", GLOSSARY_SEED),
    ("トモダチ作戦", "Operation Tomodachi", "disaster", GLOSSARY_SEED),
    ("熊本地震", "Kumamoto Earthquake", "disaster", GLOSSARY_SEED),
    ("南海トラフ地震", "Nankai Trough earthquake", "disaster", GLOSSARY_SEED),
    # Information sharing
    ("秘密区分", "classification", "", GLOSSARY),
    ("開示範囲", "releasability", "", GLOSSARY),
    ("取扱制限", "caveat", "", GLOSSARY),
    ("二者確認", "two-person rule", "", GLOSSARY),
    # Exercises
    ("日米共同訓練", "bilateral training", "", GLOSSARY_SEED),
    ("キーン・ソード", "Keen Sword", "", GLOSSARY_SEED),
    ("ヤマサクラ", "Yama Sakura", "", GLOSSARY_SEED),
    ("実動演習", "field training exercise", "", GLOSSARY_SEED),
    ("指揮所演習", "command post exercise", "", GLOSSARY_SEED),
    ("机上演習", "tabletop exercise", "", GLOSSARY_SEED),
    ("サイバー攻撃対処訓練", "cyber attack response training", "cyber", GLOSSARY_SEED),
    ("防災訓練", "disaster prevention drill", "disaster", GLOSSARY_SEED),
    ("相互運用性", "interoperability", "", GLOSSARY_SEED),
    ("状況付与", "inject", "", GLOSSARY),
    ("事後研究会", "after-action review", "", GLOSSARY),
    ("教訓", "lesson", "", GLOSSARY),
    ("是正措置", "corrective action", "", GLOSSARY),
    ("訓練", "training", "", GLOSSARY_SEED),
    ("演習", "exercise", "", GLOSSARY_SEED),
    # The domain's everyday words
    ("地震", "earthquake", "disaster", WHITE_PAPER),
    ("南海トラフ", "Nankai Trough", "disaster", WHITE_PAPER),
    ("津波", "tsunami", "disaster", REPORTS),
    ("災害", "disaster", "disaster", WHITE_PAPER),
    ("燃料", "fuel", "logistics", ACSA_FIGURE),
    ("食料", "food", "logistics", ACSA_FIGURE),
    ("宿泊", "billeting", "logistics", ACSA_FIGURE),
    ("輸送", "transportation", "logistics", ACSA_FIGURE),
    ("輸送", "transport", "logistics", WHITE_PAPER),
    ("空輸", "airlift", "logistics", ACSA_FIGURE),
    ("弾薬", "ammunition", "logistics", ACSA_FIGURE),
    ("後方支援", "logistics support", "logistics", WHITE_PAPER),
    ("宇宙", "space", "space", WHITE_PAPER),
    ("宇宙状況監視", "space situational awareness", "space", REPORTS),
    ("デブリ", "debris", "space", REPORTS),
    ("静止軌道", "geostationary orbit", "space", REPORTS),
    ("衛星", "satellite", "space", REPORTS),
    ("サイバー", "cyber", "cyber", WHITE_PAPER),
    ("フィッシング", "phishing", "cyber", REPORTS),
    ("標的型メール", "targeted email", "cyber", REPORTS),
    ("ミサイル", "missile", "amd", WHITE_PAPER),
    ("巡航ミサイル", "cruise missile", "amd", WHITE_PAPER),
    ("迎撃", "intercept", "amd", WHITE_PAPER),
    ("航空機", "aircraft", "", WHITE_PAPER),
    ("艦艇", "ship", "maritime", WHITE_PAPER),
    ("船舶", "vessel", "maritime", REPORTS),
    ("哨戒機", "patrol aircraft", "maritime", REPORTS),
    ("偵察", "reconnaissance", "isr", GLOSSARY_SEED),
    ("警戒監視", "surveillance", "isr", WHITE_PAPER),
    ("情報共有", "information sharing", "", WHITE_PAPER),
]


def add_terms(apps, schema_editor):
    Term = apps.get_model("sharing", "GlossaryTerm")
    for name_ja, name_en, domain, source in TERMS:
        Term.objects.update_or_create(
            name_ja=name_ja, name_en=name_en, defaults={"domain": domain, "source": source}
        )


def remove_terms(apps, schema_editor):
    Term = apps.get_model("sharing", "GlossaryTerm")
    for name_ja, name_en, _domain, _source in TERMS:
        Term.objects.filter(name_ja=name_ja, name_en=name_en).delete()


class Migration(migrations.Migration):
    dependencies = [("sharing", "0006_glossary")]

    operations = [migrations.RunPython(add_terms, remove_terms)]
