from django.db import migrations

TRACKS = {"ai-engineer": "AI Engineer", "ml-engineer": "ML Engineer"}


def create_tracks(apps, schema_editor):
    Track = apps.get_model("questions", "Track")
    for slug, name in TRACKS.items():
        Track.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]
    operations = [migrations.RunPython(create_tracks, migrations.RunPython.noop)]
