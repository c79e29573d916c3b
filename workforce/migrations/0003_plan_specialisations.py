"""TGT-SPEC: the plan's four specialisation categories exist from the start; the city adds others."""

from django.db import migrations

PLAN = {
    "minors_protection": "未成年人保护",
    "social_assistance": "社会救助",
    "elderly_services": "养老服务",
    "judicial_protection": "司法保护",
}


def add_plan_categories(apps, schema_editor):
    Category = apps.get_model("workforce", "SpecialisationCategory")
    for code, name in PLAN.items():
        Category.objects.update_or_create(code=code, defaults={"name": name, "in_plan": True})


class Migration(migrations.Migration):
    dependencies = [("workforce", "0002_registration_indexes_history")]

    operations = [migrations.RunPython(add_plan_categories, migrations.RunPython.noop)]
