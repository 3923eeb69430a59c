"""Goods or services, per category, with the source where one says which. 10 U.S.C. § 2350(1)
names communications, medical, storage, training, repair and maintenance and port services as
services; the seed's footnote names 衛生業務, 訓練業務 and 空港・港湾業務 as 業務 (services). No
source at hand says which categories are goods, nor whether communications (named a service
by the US code, yet also equipment) or base support are goods or services: those kinds stay
Kizuna's reading, marked "interpretation, not from the agreement's text", for an
administrator to change (audited)."""

from django.db import migrations, models

USC = (
    "10 U.S.C. § 2350(1) (definition of logistic support, supplies, and services), "
    "United States Code, 2018 edition"
)
SEED = (
    "Defense of Japan 2021 (Ministry of Defense of Japan, 2021), Part III, Chapter 2, "
    "Section 2, §6, footnote 1"
)
SERVICES = {
    "medical": f"{USC}: “medical services”; {SEED}: 衛生業務",
    "storage": f"{USC}: “storage services”",
    "training-services": f"{USC}: “training services”; {SEED}: 訓練業務",
    "repair": f"{USC}: “repair and maintenance services”",
    "airport-seaport": f"{USC}: “port services”; {SEED}: 空港・港湾業務",
}


def load(apps, schema_editor):
    Category = apps.get_model("acsa", "Category")
    for code, source in SERVICES.items():
        Category.objects.filter(code=code, kind="services").update(kind_source=source)


class Migration(migrations.Migration):
    dependencies = [("acsa", "0013_exchange_rates")]

    operations = [
        migrations.AddField(
            model_name="category",
            name="kind_source",
            field=models.TextField(
                blank=True,
                help_text="Empty: Kizuna's interpretation, not from the agreement's text.",
                verbose_name="source of the kind",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
