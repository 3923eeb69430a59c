"""The US fiscal-year caps on liabilities to Japan (10 U.S.C. 2347), as configurable limits.
Never edit after it lands: administrators change the limits in the audited back office."""

from decimal import Decimal

from django.db import migrations

SOURCE = "10 U.S.C. 2347 (limits on liabilities under cross-servicing agreements), as summarized in the domain brief"
NOTE = (
    "Applies outside active hostilities; the approving official judges whether hostilities "
    "are active. Counted over orders accepted in the US fiscal year (1 October to 30 September)."
)


def load(apps, schema_editor):
    LiabilityCap = apps.get_model("acsa", "LiabilityCap")
    LiabilityCap.objects.create(
        code="us-fy-total", name_ja="米国の年度上限（合計）", name_en="US fiscal-year cap (total)",
        debtor_nation="USA", amount=Decimal("60000000"), currency="USD", supplies_only=False,
        source=SOURCE, note=NOTE,
    )
    LiabilityCap.objects.create(
        code="us-fy-supplies", name_ja="米国の年度上限（物品）", name_en="US fiscal-year cap (supplies)",
        debtor_nation="USA", amount=Decimal("20000000"), currency="USD", supplies_only=True,
        source=SOURCE, note=NOTE,
    )


def unload(apps, schema_editor):
    apps.get_model("acsa", "LiabilityCap").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("acsa", "0006_liability_cap")]

    operations = [migrations.RunPython(load, unload)]
