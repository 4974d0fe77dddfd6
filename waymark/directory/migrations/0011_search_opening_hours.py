"""Mark opening hours in the search index, so "open now" is answered by it (see ``directory.search_index``): each
half hour of the week a service's weekly hours cover in whole (``zo<day><slot>``) or in part (``zq<day><slot>``),
and ``zhx`` for a holiday exception that opens it at other hours. The markers are added to each service's entry;
the rule is the one ``search_index.opening_markers`` follows, written out here as it stood."""

from collections import defaultdict

from django.db import migrations, models

SLOT = 30 * 60 * 1_000_000  # half an hour, in microseconds


def _microseconds(moment):
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond


def _markers(hours):
    whole, part = set(), set()
    for weekday, opens, closes in hours:
        start, end = _microseconds(opens), _microseconds(closes)
        for slot in range(start // SLOT, -(-end // SLOT)):
            covers = start <= slot * SLOT and end >= (slot + 1) * SLOT
            (whole if covers else part).add((weekday.lower(), slot))
    return [f"zo{day}{slot}" for day, slot in sorted(whole)] + [f"zq{day}{slot}" for day, slot in sorted(part - whole)]


def mark_opening_hours(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    hours = defaultdict(list)
    schedules = apps.get_model("directory", "Schedule").objects.order_by()
    for service_id, *row in schedules.values_list("service_id", "weekday", "opens_at", "closes_at").iterator():
        hours[service_id].append(row)
    markers = {service_id: _markers(rows) for service_id, rows in hours.items()}
    special = apps.get_model("directory", "HolidayException").objects.filter(closed=False)
    for service_id in special.values_list("service_id", flat=True).distinct():
        markers.setdefault(service_id, []).append("zhx")
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            sql = "UPDATE directory_service_fts SET body = body || ' ' || %s WHERE rowid = %s"
        else:
            sql = "UPDATE directory_service SET search_vector = search_vector || %s::tsvector WHERE id = %s"
            sql += " AND search_vector IS NOT NULL"
        cursor.executemany(sql, [(" ".join(words), pk) for pk, words in markers.items() if words])


def leave_the_markers(apps, schema_editor):
    """Searches before this never ask for them."""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_feeds"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="schedule",
            index=models.Index(fields=["weekday", "closes_at", "service"], name="schedule_closing_idx"),
        ),
        migrations.RunPython(mark_opening_hours, leave_the_markers),
    ]
