"""What the values in a file stand for: sexes, age bands, measures, area codes and ethnic codes, as
dense indexes for vectorised look-ups. Shared by every kind of import."""

from dataclasses import dataclass

import polars as pl
from django.utils.translation import gettext as _

from waymark.core.choices import AreaType
from waymark.core.models import Area
from waymark.monitoring.choices import AGE_BANDS, AGE_UNKNOWN, Measure, Sex
from waymark.monitoring.codes import CodeLookup
from waymark.monitoring.imports.errors import UnreadableFile

SEX_VALUES = {
    "F": Sex.FEMALE,
    "FEMALE": Sex.FEMALE,
    "2": Sex.FEMALE,
    "M": Sex.MALE,
    "MALE": Sex.MALE,
    "1": Sex.MALE,
    "": Sex.UNKNOWN,
    "U": Sex.UNKNOWN,
    "UNKNOWN": Sex.UNKNOWN,
    "NOT KNOWN": Sex.UNKNOWN,
    "X": Sex.UNKNOWN,
    "9": Sex.UNKNOWN,
    "0": Sex.UNKNOWN,
}
SEXES = [Sex.FEMALE.value, Sex.MALE.value, Sex.UNKNOWN.value]
AGE_BAND_LIST = [*AGE_BANDS, AGE_UNKNOWN]
MEASURES = [m.value for m in Measure]
MAX_AGE = 120


@dataclass
class AreaLookup:
    """Area codes (upper case) → ids, and for each coarse area type each area's ancestor of that type.

    People are counted for local authorities and coarser areas only (and for all areas together):
    finer areas would give counts too small to publish and many more rows.
    """

    ids: dict[str, int]
    levels: dict[str, dict[int, int]]  # area type → {area id: id of itself or its ancestor of that type}

    @classmethod
    def load(cls) -> "AreaLookup":
        coarse = {AreaType.LOCAL_AUTHORITY, AreaType.REGION, AreaType.ICB, AreaType.SUB_ICB}
        rows = list(Area.objects.order_by("vintage").values_list("pk", "code", "area_type", "parent_id"))
        ids = {code.upper(): pk for pk, code, _type, _parent in rows}  # newest vintage wins
        by_id = {pk: (area_type, parent) for pk, _code, area_type, parent in rows}
        levels: dict[str, dict[int, int]] = {}
        for pk in by_id:
            current: int | None = pk
            while current is not None:
                area_type, parent = by_id[current]
                if area_type in coarse:
                    levels.setdefault(area_type, {})[pk] = current
                current = parent
        return cls(ids=ids, levels=levels)


def measure_values() -> dict[str, int]:
    """Measure slugs and labels, upper case, → index in MEASURES."""
    values: dict[str, int] = {}
    for index, measure in enumerate(Measure):
        values[measure.value.upper()] = index
        values[str(measure.label).upper()] = index
        values[measure.value.replace("_", " ").upper()] = index
    return values


def sex_values() -> dict[str, int]:
    return {text: SEXES.index(sex.value) for text, sex in SEX_VALUES.items()}


def band_values() -> dict[str, int]:
    values = {band: index for index, band in enumerate(AGE_BANDS)}
    values.update({band.replace("-", " to "): index for index, band in enumerate(AGE_BANDS)})
    values["85 AND OVER"] = values["85+"]
    values[""] = len(AGE_BANDS)
    values["UNKNOWN"] = len(AGE_BANDS)
    return {key.upper(): value for key, value in values.items()}


def age_band_of(age: pl.Expr) -> pl.Expr:
    """Index in AGE_BAND_LIST of an integer age (null → unknown)."""
    return (
        pl.when(age.is_null())
        .then(pl.lit(len(AGE_BANDS)))
        .otherwise((age // 5).clip(0, len(AGE_BANDS) - 1))
        .cast(pl.UInt8)
    )


CODE_KIND_STATED, CODE_KIND_NOT_STATED, CODE_KIND_NOT_KNOWN, CODE_KIND_INVALID = 0, 1, 2, 3


@dataclass
class CodeTable:
    """Codes of one code set as dense indexes, for vectorised look-ups."""

    index: dict[str, int]  # upper-case code → index
    group_ids: list[int | None]  # index → EthnicGroup id
    sub_ids: list[int | None]  # index → LocalSubCategory id
    kinds: list[int]  # index → CODE_KIND_*

    @classmethod
    def build(cls, lookup: CodeLookup) -> "CodeTable":
        index: dict[str, int] = {}
        group_ids: list[int | None] = []
        sub_ids: list[int | None] = []
        kinds: list[int] = []
        for code in lookup.all_codes:
            index[code] = len(group_ids)
            if code in lookup.sub_category_ids:
                group_id, sub_id = lookup.sub_category_ids[code]
            else:
                group_id, sub_id = lookup.group_ids[code], None
            group_ids.append(group_id)
            sub_ids.append(sub_id)
            kinds.append(
                CODE_KIND_STATED
                if code in lookup.stated
                else CODE_KIND_NOT_STATED
                if code in lookup.not_stated
                else CODE_KIND_NOT_KNOWN
            )
        if len(group_ids) >= 255:
            raise UnreadableFile(_("The code set has too many codes and sub-categories to import."))
        return cls(index=index, group_ids=group_ids, sub_ids=sub_ids, kinds=kinds)


def group_of(code_index: pl.Expr, codes: CodeTable) -> pl.Expr:
    return code_index.replace_strict(dict(enumerate(codes.group_ids)), default=None, return_dtype=pl.Int64)
