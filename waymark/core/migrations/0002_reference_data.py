"""Load the reference vocabularies in waymark.core.reference_data.

Upserts by natural key, so running it against a database that already has some
of the rows corrects them instead of failing. Reversing removes them.
"""

from django.db import migrations

from waymark.core import reference_data


def install_reference_data(apps, schema_editor):
    EthnicCodeSet = apps.get_model("core", "EthnicCodeSet")
    EthnicGroup = apps.get_model("core", "EthnicGroup")
    Language = apps.get_model("core", "Language")
    Sector = apps.get_model("core", "Sector")
    Theme = apps.get_model("core", "Theme")
    Community = apps.get_model("core", "Community")
    SitePage = apps.get_model("core", "SitePage")

    groups = {}
    for code_set in reference_data.ETHNIC_CODE_SETS:
        code_set_row, _ = EthnicCodeSet.objects.update_or_create(
            slug=code_set["slug"],
            defaults={"name": code_set["name"], "version": code_set["version"], "source_url": code_set["source_url"]},
        )
        for sort_order, (code, label, high_level_group, is_stated) in enumerate(code_set["groups"], start=1):
            groups[code_set["slug"], code], _ = EthnicGroup.objects.update_or_create(
                code_set=code_set_row,
                code=code,
                defaults={
                    "label": label,
                    "high_level_group": high_level_group,
                    "is_stated": is_stated,
                    "sort_order": sort_order,
                },
            )

    languages = {}
    for code, name, native_name, direction in reference_data.LANGUAGES:
        languages[code], _ = Language.objects.update_or_create(
            code=code, defaults={"name": name, "native_name": native_name, "direction": direction}
        )

    for slug, name in reference_data.SECTORS:
        Sector.objects.update_or_create(slug=slug, defaults={"name": name})

    for slug, name, description, children in reference_data.THEMES:
        parent, _ = Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "parent": None}
        )
        for child_slug, child_name in children:
            Theme.objects.update_or_create(slug=child_slug, defaults={"name": child_name, "parent": parent})

    for community in reference_data.COMMUNITIES:
        row, _ = Community.objects.update_or_create(
            name=community["name"],
            defaults={
                "kind": community["kind"],
                "description": community["description"],
                "language": languages.get(community.get("language")),
            },
        )
        row.ethnic_groups.set(
            [
                groups[code_set_slug, code]
                for code_set_slug, codes in community.get("ethnic_groups", {}).items()
                for code in codes
            ]
        )

    for slug, title, body in reference_data.SITE_PAGES:
        SitePage.objects.update_or_create(slug=slug, defaults={"title": title, "body": body})


def remove_reference_data(apps, schema_editor):
    Community = apps.get_model("core", "Community")
    Theme = apps.get_model("core", "Theme")
    SitePage = apps.get_model("core", "SitePage")
    Sector = apps.get_model("core", "Sector")
    Language = apps.get_model("core", "Language")
    EthnicGroup = apps.get_model("core", "EthnicGroup")
    EthnicCodeSet = apps.get_model("core", "EthnicCodeSet")

    Community.objects.filter(name__in=[c["name"] for c in reference_data.COMMUNITIES]).delete()
    # Children first: a theme's parent is protected while it has children.
    child_slugs = [slug for *_, children in reference_data.THEMES for slug, _ in children]
    Theme.objects.filter(slug__in=child_slugs).delete()
    Theme.objects.filter(slug__in=[slug for slug, *_ in reference_data.THEMES]).delete()
    SitePage.objects.filter(slug__in=[slug for slug, *_ in reference_data.SITE_PAGES]).delete()
    Sector.objects.filter(slug__in=[slug for slug, _ in reference_data.SECTORS]).delete()
    Language.objects.filter(code__in=[code for code, *_ in reference_data.LANGUAGES]).delete()
    code_set_slugs = [code_set["slug"] for code_set in reference_data.ETHNIC_CODE_SETS]
    EthnicGroup.objects.filter(code_set__slug__in=code_set_slugs).delete()
    EthnicCodeSet.objects.filter(slug__in=code_set_slugs).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install_reference_data, remove_reference_data),
    ]
