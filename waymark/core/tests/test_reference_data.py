"""The reference vocabularies the data migration installs."""

import importlib

import pytest
from django.apps import apps as django_apps

from waymark.core import reference_data
from waymark.core.models import Community, EthnicGroup, Language, Sector, SitePage, Theme

pytestmark = pytest.mark.django_db


def test_ons_2021_has_19_groups_in_5_high_level_groups_in_table_order():
    groups = list(EthnicGroup.objects.filter(code_set__slug="ons-2021").order_by("sort_order"))
    assert [g.code for g in groups] == [str(n) for n in range(1, 20)]
    assert len({g.high_level_group for g in groups}) == 5
    assert all(g.is_stated for g in groups)
    assert groups[12].label == "English, Welsh, Scottish, Northern Irish or British"
    assert groups[12].high_level_group == "White"


def test_nhs_ethnic_category_has_18_codes_and_z_and_99_are_not_stated():
    groups = {g.code: g for g in EthnicGroup.objects.filter(code_set__slug="nhs-ethnic-category")}
    assert len(groups) == 18
    assert {code for code, g in groups.items() if not g.is_stated} == {"Z", "99"}
    assert groups["A"].label == "White British"
    assert groups["R"].high_level_group == "Other ethnic groups"
    assert {g.high_level_group for g in groups.values()} == {
        "White",
        "Mixed",
        "Asian or Asian British",
        "Black or Black British",
        "Other ethnic groups",
        "Not stated",
    }


def test_community_languages_are_there_with_their_scripts():
    languages = {language.code: language for language in Language.objects.all()}
    for code in ("syl", "phr", "bfi", "eng", "som", "tir", "ckb", "yue"):
        assert code in languages
    assert languages["urd"].direction == "rtl"
    assert languages["ben"].direction == "ltr"
    assert languages["urd"].native_name == "اردو"
    assert all(len(code) == 3 for code in languages)


def test_sectors_and_two_level_themes():
    assert Sector.objects.filter(slug__in=["health", "faith", "advocacy", "welfare-and-benefits"]).count() == 4
    detention = Theme.objects.get(slug="detention")
    assert detention.parent.name == "Mental Health Act and restrictive practice"
    assert detention.parent.parent is None
    assert not Theme.objects.filter(parent__parent__isnull=False).exists()
    slugs = [slug for slug, *_ in reference_data.THEMES] + [
        child for *_, children in reference_data.THEMES for child, _ in children
    ]
    assert len(slugs) == len(set(slugs))


def test_communities_link_both_code_sets_and_languages():
    somali = Community.objects.get(name="Somali")
    assert {(g.code_set.slug, g.code) for g in somali.ethnic_groups.all()} == {
        ("ons-2021", "6"),
        ("nhs-ethnic-category", "N"),
    }
    assert somali.language.code == "som"
    assert Community.objects.get(name="BSL users").language.code == "bfi"
    assert Community.objects.get(name="Sylheti speakers").language.code == "syl"
    assert Community.objects.filter(kind="faith").count() == 5


def test_site_pages_are_complete():
    pages = {page.slug: page for page in SitePage.objects.all()}
    accessibility = pages["accessibility"].body
    assert "WCAG" in accessibility and "2.2" in accessibility
    assert "Equality and Human Rights Commission" in accessibility
    assert "This statement was prepared on 22 November 2026." in accessibility
    assert "Information Commissioner's Office" in pages["privacy"].body
    assert "subject access" in pages["privacy"].body
    assert "sessionid" in pages["cookies"].body and "csrftoken" in pages["cookies"].body
    for page in pages.values():
        assert "TODO" not in page.body and "[insert" not in page.body.lower()


def test_loading_again_corrects_rows_without_duplicating():
    migration = importlib.import_module("waymark.core.migrations.0002_reference_data")
    Language.objects.filter(code="syl").update(name="Wrong")
    before = (EthnicGroup.objects.count(), Language.objects.count(), Community.objects.count(), Theme.objects.count())

    migration.install_reference_data(django_apps, None)

    after = (EthnicGroup.objects.count(), Language.objects.count(), Community.objects.count(), Theme.objects.count())
    assert after == before
    assert Language.objects.get(code="syl").name == "Sylheti"
