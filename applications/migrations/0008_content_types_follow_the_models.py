"""The content types (and so the admin permissions attached to them) of the models moved out of
applications (0007) take their new app label. On a new database there is nothing to rename: the content
types are created after migrating, under the new labels."""
from django.db import migrations

MOVED = {
    "organisations": ("company", "membership", "mandate", "site", "pat"),
    "evidence": ("evidencefile",),
    "review": ("clarification", "verdict"),
}


def _relabel(apps, source_of, target_of):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED.items():
        for model in models:
            source, target = source_of(app_label), target_of(app_label)
            if not ContentType.objects.filter(app_label=target, model=model).exists():
                ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _relabel(apps, lambda app: "applications", lambda app: app)


def backwards(apps, schema_editor):
    _relabel(apps, lambda app: app, lambda app: "applications")


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0007_move_models_to_their_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisations", "0001_initial"),
        ("evidence", "0002_initial"),
        ("review", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
