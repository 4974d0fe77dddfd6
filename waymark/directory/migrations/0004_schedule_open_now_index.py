"""The "open now" filter's index also holds the service, so the filter reads only the index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_search_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="schedule",
            name="schedule_open_at_idx",
        ),
        migrations.AddIndex(
            model_name="schedule",
            index=models.Index(fields=["weekday", "opens_at", "closes_at", "service"], name="schedule_open_now_idx"),
        ),
    ]
