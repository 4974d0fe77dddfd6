"""The default analysis grouping and the code lookups every import and query shares.

The default grouping is the 16 NHS ethnic categories (NHS Data Dictionary ETHNIC CATEGORY A-S). Both
code sets map into it: NHS letters to themselves, ONS 2021 categories to their NHS equivalent, with
Roma and Gypsy or Irish Traveller under "Any other White background" and Arab under "Any other ethnic
group". NHS "Z" (not stated) and "99" (not known) are not ethnic groups and map to nothing.
Migration ``monitoring/0002_default_grouping`` loads this data with ``load_default_grouping``.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from waymark.core.reference_data import ETHNIC_CODE_SETS, NHS_ETHNIC_CATEGORY, ONS_2021

DEFAULT_GROUPING_SLUG = "nhs-16"
DEFAULT_GROUPING_NAME = "16 NHS ethnic categories"
DEFAULT_MAPPING_VERSION = "1"
DEFAULT_MAPPING_DATE = datetime.date(2021, 3, 21)  # census day 2021, from which the ONS 2021 codes apply
DEFAULT_REFERENCE_CODE = "A"  # White British

# ONS 2021 category number → NHS ethnic category letter.
ONS_2021_TO_NHS: dict[str, str] = {
    "1": "K",  # Bangladeshi
    "2": "R",  # Chinese
    "3": "H",  # Indian
    "4": "J",  # Pakistani
    "5": "L",  # Other Asian
    "6": "N",  # African
    "7": "M",  # Caribbean
    "8": "P",  # Other Black
    "9": "F",  # White and Asian
    "10": "E",  # White and Black African
    "11": "D",  # White and Black Caribbean
    "12": "G",  # Other Mixed or Multiple
    "13": "A",  # English, Welsh, Scottish, Northern Irish or British
    "14": "B",  # Irish
    "15": "C",  # Gypsy or Irish Traveller
    "16": "C",  # Roma
    "17": "C",  # Other White
    "18": "S",  # Arab
    "19": "S",  # Any other ethnic group
}

NOT_STATED_CODE = "Z"
NOT_KNOWN_CODE = "99"


def nhs_categories() -> list[tuple[str, str, str]]:
    """(code, label, high-level group) of the 16 stated NHS categories, in published order."""
    groups = next(s for s in ETHNIC_CODE_SETS if s["slug"] == NHS_ETHNIC_CATEGORY)["groups"]
    return [(code, label, high) for code, label, high, stated in groups if stated]


def default_mapping_rows() -> list[tuple[str, str, str]]:
    """(code set slug, source code, analysis group code) for every mapped code of both code sets."""
    rows = [(NHS_ETHNIC_CATEGORY, code, code) for code, _label, _high in nhs_categories()]
    rows += [(ONS_2021, ons, nhs) for ons, nhs in ONS_2021_TO_NHS.items()]
    return rows


def load_default_grouping(apps: Any) -> None:
    """Create or refresh the default grouping and its first mapping set (used by the data migration)."""
    grouping_model = apps.get_model("monitoring", "AnalysisGrouping")
    group_model = apps.get_model("monitoring", "AnalysisGroup")
    mapping_set_model = apps.get_model("monitoring", "CodeMappingSet")
    mapping_model = apps.get_model("monitoring", "CodeMapping")
    ethnic_group_model = apps.get_model("core", "EthnicGroup")

    grouping, _created = grouping_model.objects.update_or_create(
        slug=DEFAULT_GROUPING_SLUG,
        defaults={
            "name": DEFAULT_GROUPING_NAME,
            "is_default": True,
            "description": (
                "The 16 NHS Data Dictionary ethnic categories. ONS 2021 census groups map to their NHS "
                "equivalent; Roma and Gypsy or Irish Traveller count under Any other White background, "
                "and Arab under Any other ethnic group. Not stated and not known are not counted in any group."
            ),
        },
    )
    groups = {}
    for order, (code, label, high) in enumerate(nhs_categories()):
        groups[code], _created = group_model.objects.update_or_create(
            grouping=grouping, code=code, defaults={"label": label, "high_level_group": high, "sort_order": order}
        )
    grouping.default_reference = groups[DEFAULT_REFERENCE_CODE]
    grouping.save(update_fields=["default_reference"])
    mapping_set, _created = mapping_set_model.objects.get_or_create(
        grouping=grouping,
        version=DEFAULT_MAPPING_VERSION,
        defaults={"effective_from": DEFAULT_MAPPING_DATE, "notes": "The standard mapping of both code sets."},
    )
    sources = {(g.code_set.slug, g.code): g for g in ethnic_group_model.objects.select_related("code_set")}
    for slug, source_code, group_code in default_mapping_rows():
        mapping_model.objects.update_or_create(
            mapping_set=mapping_set,
            ethnic_group=sources[(slug, source_code)],
            defaults={"analysis_group": groups[group_code]},
        )


@dataclass
class CodeLookup:
    """Every code a file of one code set may carry, resolved to ethnic group (and local sub-category) ids.

    ``stated`` holds codes that state an ethnic group; ``not_stated``/``not_known`` the NHS Z and 99.
    Local sub-category codes resolve to their parent's group id plus their own id.
    """

    code_set_id: int
    group_ids: dict[str, int] = field(default_factory=dict)
    sub_category_ids: dict[str, tuple[int, int]] = field(default_factory=dict)
    stated: set[str] = field(default_factory=set)
    not_stated: set[str] = field(default_factory=set)
    not_known: set[str] = field(default_factory=set)

    @property
    def all_codes(self) -> list[str]:
        return sorted(set(self.group_ids) | set(self.sub_category_ids))


def code_lookup(code_set_id: int) -> CodeLookup:
    """The codes of one code set with their sub-categories, read once per import."""
    from waymark.core.models import EthnicGroup
    from waymark.monitoring.models import LocalSubCategory

    lookup = CodeLookup(code_set_id=code_set_id)
    for group in EthnicGroup.objects.filter(code_set_id=code_set_id):
        code = group.code.upper()
        lookup.group_ids[code] = group.pk
        if group.is_stated:
            lookup.stated.add(code)
        elif code == NOT_STATED_CODE:
            lookup.not_stated.add(code)
        else:
            lookup.not_known.add(code)
    for sub in LocalSubCategory.objects.filter(parent__code_set_id=code_set_id).select_related("parent"):
        code = sub.code.upper()
        lookup.sub_category_ids[code] = (sub.parent_id, sub.pk)
        if sub.parent.is_stated:
            lookup.stated.add(code)
    return lookup


def mapping_for(grouping: Any) -> tuple[Any, dict[int, int]]:
    """The grouping's current mapping set and {ethnic group id: analysis group id} under it."""
    from waymark.monitoring.models import CodeMapping

    mapping_set = grouping.current_mapping()
    if mapping_set is None:
        return None, {}
    pairs = CodeMapping.objects.filter(mapping_set=mapping_set).values_list("ethnic_group_id", "analysis_group_id")
    return mapping_set, dict(pairs)
