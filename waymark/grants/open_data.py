"""The awards as 360Giving open data: one package, offered as JSON and as a spreadsheet with the standard's
column titles, validated against the 360Giving schema copied into ``grants/standards/``.

Only awards are published (a decline is not a grant), and only from programmes shown on the public grants
page. A grant is published under its recipient's organisation identifier from ``RecipientIdentifier`` (minted
once by ``services.recipients``), or one made from a registered number; an award whose group has neither yet is
held back rather than published under an identifier that would later change (``held_back_count`` says how
many). Grants to individuals name no one: a generic name, no address, no location and never DEI answers.

Locations carry ONS codes from core's areas: the beneficiary location is the area the application named, the
recipient's location the ward its postcode lies in (never the postcode itself, which for a small group is often
someone's home). DEI answers (the 360Giving DEI extension) are published only where the group gave permission;
without it the reply status says a reply was given but may not be shared (RS203).

The files read narrow rows in chunks, look up what awards share once per export and never hold model
instances, so a package of 100,000 awards is written in a few seconds (``bench/grants_export.py`` measures it);
the API makes the same records one award at a time with ``award_rows`` and ``grant_record``.
"""

import datetime
import itertools
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db.models import (
    Case,
    DecimalField,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from waymark.core.models import Area, Organisation, Postcode
from waymark.grants.choices import ApplicantKind, DecisionOutcome, DeiAsked, DeiReply, IdentifierScheme
from waymark.grants.models import GrantDecision, Payment, Programme

STANDARDS = Path(__file__).resolve().parent / "standards"
SCHEMA_VERSION = "1.4"
DEI_EXTENSION = "https://raw.githubusercontent.com/ThreeSixtyGiving/360-dei/main/schema/360-giving-dei-schema.json"
CURRENCY = "GBP"
INDIVIDUAL_NAME = "Individual Recipient"  # 360Giving's generic name: a grant to a person names no one
CHUNK = 2_000
ENCODE_BATCH = 20

# ONS code prefixes → 360Giving geoCodeType (codelist geoCodeType.csv). Areas of a kind the codelist lacks
# (an ICB, a sub-ICB location) are published with their code and name but no type.
GEO_CODE_TYPES = {
    "E00": "OA",
    "W00": "OA",
    "E01": "LSOA",
    "W01": "LSOA",
    "E02": "MSOA",
    "W02": "MSOA",
    "E05": "WD",
    "W05": "WD",
    "S13": "WD",
    "E06": "UA",
    "W06": "UA",
    "S12": "UA",
    "E07": "NMD",
    "E08": "MD",
    "E09": "LONB",
    "E10": "CTY",
    "E12": "RGN/GOR",
    "E14": "WPC",
}

# The columns read for each award: everything a grant record needs, in one query per chunk.
_PAID = (
    Payment.objects.filter(decision_id=OuterRef("pk"), paid_on__isnull=False)
    .order_by()
    .values("decision_id")
    .annotate(total=Sum("amount"))
    .values("total")
)
_RECIPIENT_POSTCODE = Coalesce(
    NullIf(F("application__organisation__postcode"), Value("")), NullIf(F("application__postcode"), Value(""))
)
_OWN_FIELDS = ("uuid", "grant_identifier", "amount_awarded", "award_date", "starts_on", "ends_on", "decided_at")
_RELATED_FIELDS = {
    "reference": F("application__reference"),
    "application_uuid": F("application__uuid"),
    "project_title": F("application__project_title"),
    "project_summary": F("application__project_summary"),
    "amount_requested": F("application__amount_requested"),
    "applicant_kind": F("application__applicant_kind"),
    "organisation_id": F("application__organisation_id"),
    "organisation_name": F("application__organisation__name"),
    "charity_number": F("application__organisation__charity_number"),
    "company_number": F("application__organisation__company_number"),
    "recipient_identifier": F("application__organisation__grant_identifier__identifier"),
    "area_code": F("application__beneficiary_area__code"),
    "area_name": F("application__beneficiary_area__name"),
    "programme_code": F("application__programme__code"),
    "programme_title": F("application__programme__title"),
    "programme_summary": F("application__programme__summary"),
    "funder_name": F("application__programme__funder__name"),
    "funder_uuid": F("application__programme__funder__uuid"),
    "funder_identifier": F("application__programme__funder__grant_identifier__identifier"),
    "funder_charity_number": F("application__programme__funder__charity_number"),
    "funder_company_number": F("application__programme__funder__company_number"),
    "dei_asked": F("application__dei_asked"),
    "dei_reply": F("application__dei_reply"),
    "dei_codes": F("application__dei_codes"),
    "dei_may_publish": F("application__dei_may_publish"),
}


# An award can be published once its recipient has an identifier: a person (given a funder's id), or an
# organisation with a recorded identifier or a registered number to make one from.
PUBLISHABLE = Q(application__applicant_kind=ApplicantKind.INDIVIDUAL) | (
    Q(application__organisation__isnull=False)
    & (
        Q(application__organisation__grant_identifier__isnull=False)
        | ~Q(application__organisation__charity_number="")
        | ~Q(application__organisation__company_number="")
    )
)


def awards_of_published_programmes(*, programme: Programme | None = None) -> QuerySet[GrantDecision]:
    rows = GrantDecision.objects.filter(outcome=DecisionOutcome.AWARD, application__programme__published=True)
    if programme is not None:
        rows = rows.filter(application__programme=programme)
    return rows


def published_awards(*, programme: Programme | None = None) -> QuerySet[GrantDecision]:
    """Awards of the programmes on the public grants page whose recipient can be named, oldest decision first
    (a stable order for files and pages)."""
    return awards_of_published_programmes(programme=programme).filter(PUBLISHABLE).order_by("award_date", "pk")


def held_back_count(*, programme: Programme | None = None) -> int:
    """Awards to organisations not published yet because the group has no identifier."""
    return awards_of_published_programmes(programme=programme).exclude(PUBLISHABLE).count()


def find_award(grant_identifier: str) -> GrantDecision | None:
    """The published award with this 360Giving id (one given at the decision, or made from the reference)."""
    rows = published_awards()
    prefix = f"{settings.GRANTS_360G_PREFIX}-"
    match = Q(grant_identifier=grant_identifier)
    if grant_identifier.startswith(prefix):
        match |= Q(grant_identifier="", application__reference=grant_identifier.removeprefix(prefix))
    return rows.filter(match).first()


def award_rows(queryset: QuerySet[GrantDecision]) -> QuerySet:
    """The queryset as plain rows with everything a grant record needs: amount paid and the recipient's ward
    come from subqueries, so a row never multiplies and no record is read twice."""
    postcodes = Postcode.objects.filter(postcode=OuterRef("recipient_postcode"))
    return queryset.annotate(
        recipient_postcode=_RECIPIENT_POSTCODE,
        amount_paid=Subquery(_PAID, output_field=DecimalField(max_digits=12, decimal_places=2)),
        ward_code=Subquery(postcodes.values("ward__code")[:1]),
        ward_name=Subquery(postcodes.values("ward__name")[:1]),
    ).values(*_OWN_FIELDS, "amount_paid", "ward_code", "ward_name", **_RELATED_FIELDS)


def geo_code_type(code: str) -> str | None:
    return GEO_CODE_TYPES.get(code[:3])


def _location(code: str, name: str) -> dict[str, Any]:
    location: dict[str, Any] = {"geoCode": code, "name": name}
    code_type = geo_code_type(code)
    if code_type:
        location["geoCodeType"] = code_type
    return location


def _number(value: Decimal | None) -> int | float | None:
    """An amount as a JSON number: whole pounds as integers, pence kept."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def organisation_identifier(*, identifier: str | None, charity_number: str, company_number: str) -> str | None:
    """The identifier an organisation is published under: the one recorded for it, else one made from its
    registered numbers (org-id.guide's GB-CHC and GB-COH lists); None when there is neither."""
    if identifier:
        return identifier
    if charity_number:
        return f"{IdentifierScheme.CHARITY}-{charity_number.strip()}"
    if company_number:
        return f"{IdentifierScheme.COMPANY}-{company_number.strip().upper()}"
    return None


def grant_id(row: Mapping[str, Any]) -> str:
    return row["grant_identifier"] or f"{settings.GRANTS_360G_PREFIX}-{row['reference']}"


def _dei_details(row: Mapping[str, Any]) -> dict[str, Any]:
    """The DEI extension's details. The group's answers describe who its project serves, so they go under
    ``project``; leadership and mission were not asked (AS100). Answers only with permission: otherwise the
    reply status says one was given but may not be shared."""
    asked = row["dei_asked"] or DeiAsked.NOT_APPLICABLE
    project: dict[str, Any] = {"askedStatus": asked}
    if asked in (DeiAsked.DURING, DeiAsked.AFTER):
        reply = row["dei_reply"] or DeiReply.NO_REPLY
        codes = list(row["dei_codes"] or [])
        if reply in (DeiReply.REPLY, DeiReply.GENERAL) and not row["dei_may_publish"]:
            reply = DeiReply.NO_PERMISSION
        project["replyStatus"] = reply
        if reply in (DeiReply.REPLY, DeiReply.GENERAL) and codes:
            project["availableOptions"] = ["AO100", "AO101", "AO102"]
            project["response"] = {"taxonomyCodes": sorted(set(codes))}
    not_asked = {"askedStatus": DeiAsked.NOT_APPLICABLE}
    return {
        "purposes": "To see which communities small grants reach.",
        "leadership": dict(not_asked),
        "mission": dict(not_asked),
        "project": project,
    }


def grant_record(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """One award as a 360Giving grant, from a row of ``award_rows``; None when it must be held back (an
    organisation with no identifier yet)."""
    is_individual = row["applicant_kind"] == ApplicantKind.INDIVIDUAL
    grant: dict[str, Any] = {
        "id": grant_id(row),
        "title": row["project_title"] or row["programme_title"],
        "description": row["project_summary"] or row["programme_summary"],
        "currency": CURRENCY,
    }
    if row["amount_requested"] is not None:
        grant["amountAppliedFor"] = _number(row["amount_requested"])
    grant["amountAwarded"] = _number(row["amount_awarded"])
    grant["amountDisbursed"] = _number(row["amount_paid"]) or 0
    grant["awardDate"] = row["award_date"].isoformat()
    if row["starts_on"]:
        planned: dict[str, Any] = {"startDate": row["starts_on"].isoformat()}
        if row["ends_on"]:
            planned["endDate"] = row["ends_on"].isoformat()
            planned["duration"] = _months_between(row["starts_on"], row["ends_on"])
        grant["plannedDates"] = [planned]
    if is_individual:
        grant["recipientIndividual"] = {
            "id": f"{settings.GRANTS_360G_PREFIX}-IND-{row['application_uuid']}",
            "name": INDIVIDUAL_NAME,
        }
    else:
        identifier = organisation_identifier(
            identifier=row["recipient_identifier"],
            charity_number=row["charity_number"] or "",
            company_number=row["company_number"] or "",
        )
        if identifier is None or row["organisation_id"] is None:
            return None
        recipient: dict[str, Any] = {"id": identifier, "name": row["organisation_name"]}
        if row["charity_number"]:
            recipient["charityNumber"] = row["charity_number"]
        if row["company_number"]:
            recipient["companyNumber"] = row["company_number"]
        if row["ward_code"]:
            recipient["location"] = [_location(row["ward_code"], row["ward_name"])]
        grant["recipientOrganization"] = [recipient]
    if row["area_code"]:
        grant["beneficiaryLocation"] = [_location(row["area_code"], row["area_name"])]
    grant["fundingOrganization"] = [
        {
            "id": organisation_identifier(
                identifier=row["funder_identifier"],
                charity_number=row["funder_charity_number"] or "",
                company_number=row["funder_company_number"] or "",
            )
            or f"{settings.GRANTS_360G_PREFIX}-ORG-{row['funder_uuid']}",
            "name": row["funder_name"],
        }
    ]
    grant["grantProgramme"] = [{"code": row["programme_code"], "title": row["programme_title"]}]
    grant["fromOpenCall"] = "Yes"
    grant["dateModified"] = row["decided_at"].isoformat()
    if not is_individual:
        grant["deiDetails"] = _dei_details(row)
    return grant


def _months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from start to the day after end (a year from 1 April to 31 March is 12)."""
    after = end + datetime.timedelta(days=1)
    return max(0, (after.year - start.year) * 12 + after.month - start.month)


# --- Many awards at once: narrow rows, and each programme, organisation, area and ward looked up once ---

# Per award only what differs from award to award, and all of it as text or integers, so Django converts
# nothing row by row (its decimal, date and time conversions were most of the cost of a large export):
# amounts are parsed once per distinct amount, dates are already ISO text, DEI codes are parsed once per
# distinct list, and an application's uuid is read only for a grant to a person (its identifier).
_EXPORT_COLUMNS = (
    "grant_identifier", "application__reference", "amount_awarded_text", "amount_requested_text",
    "amount_paid_text", "award_date_text", "starts_on_text", "ends_on_text", "decided_at_text",
    "application__project_title", "application__project_summary", "application__applicant_kind",
    "application__organisation_id", "application__postcode", "application__beneficiary_area_id",
    "application__programme_id", "application__dei_asked", "application__dei_reply", "dei_codes_text",
    "dei_may_publish_text", "individual_uuid",
)  # fmt: skip
# Positions in a row of ``_EXPORT_COLUMNS``, in the same order.
(
    _GRANT_IDENTIFIER, _REFERENCE, _AMOUNT_AWARDED, _AMOUNT_REQUESTED,
    _AMOUNT_PAID, _AWARD_DATE, _STARTS_ON, _ENDS_ON, _DECIDED_AT,
    _TITLE, _SUMMARY, _APPLICANT_KIND,
    _ORGANISATION, _POSTCODE, _AREA,
    _PROGRAMME, _DEI_ASKED, _DEI_REPLY, _DEI_CODES,
    _DEI_MAY_PUBLISH, _INDIVIDUAL_UUID,
) = range(len(_EXPORT_COLUMNS))  # fmt: skip
_PENNY = Decimal("0.01")
_TRUE = {"1", "true"}  # a boolean cast to text: SQLite's 1, PostgreSQL's true


class _IsoDate(Func):
    """A date as ISO 8601 text straight from the database, rather than converted to a date and back for each
    award. SQLite keeps dates as that text; PostgreSQL is told the format (its own depends on DateStyle)."""

    template = "CAST(%(expressions)s AS text)"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra_context)


class _UtcDateTime(Func):
    """A date and time in UTC as text straight from the database (``_iso_utc`` finishes it). SQLite keeps
    them as UTC text already; PostgreSQL is told the zone and the format."""

    template = "CAST(%(expressions)s AS text)"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _iso_utc(text: str) -> str:
    """What ``isoformat()`` gives for the same moment read by Django in UTC: microseconds only when there are
    some, and the zone as +00:00."""
    text = text.replace(" ", "T", 1)
    if text.endswith(".000000"):
        text = text[:-7]
    return text + "+00:00"


def _export_rows(queryset: QuerySet[GrantDecision]) -> QuerySet:
    paid = Subquery(_PAID, output_field=DecimalField(max_digits=12, decimal_places=2))
    return queryset.annotate(
        amount_awarded_text=Cast("amount_awarded", TextField()),
        amount_requested_text=Cast("application__amount_requested", TextField()),
        amount_paid_text=Cast(paid, TextField()),
        award_date_text=_IsoDate("award_date"),
        starts_on_text=_IsoDate("starts_on"),
        ends_on_text=_IsoDate("ends_on"),
        decided_at_text=_UtcDateTime("decided_at"),
        dei_codes_text=Cast("application__dei_codes", TextField()),
        dei_may_publish_text=Cast("application__dei_may_publish", TextField()),
        individual_uuid=Case(
            When(application__applicant_kind=ApplicantKind.INDIVIDUAL, then=Cast("application__uuid", TextField())),
            default=None,
            output_field=TextField(),
        ),
    ).values_list(*_EXPORT_COLUMNS)


class _GrantBuilder:
    """Builds ``grant_record``'s grants from ``_export_rows``. What many awards share (a programme and its
    funder, an organisation and its identifier, a ward, an area, an amount, a date) is read or formatted once
    per export and kept, so a grant costs a few dictionary look-ups.

    Grants handed to callers get nested records of their own, so changing one grant never changes another;
    with ``shared`` (the JSON writer, which encodes each grant at once and keeps none) grants with the same
    funder, recipient, dates, area or DEI answers share those records instead of building them again."""

    def __init__(self, *, shared: bool = False) -> None:
        self.shared = shared
        self.prefix = settings.GRANTS_360G_PREFIX
        self.programmes: dict[int, tuple[str, str, str, str, str]] = {}
        self.organisations: dict[int, tuple[str | None, str, str, str, str]] = {}
        self.wards: dict[str, tuple[str, str] | None] = {}
        self.areas: dict[int, tuple[str, str]] = {}
        self.numbers: dict[str, int | float] = {}
        self.durations: dict[tuple[str, str], int] = {}
        self.dei_codes: dict[str | None, list[str]] = {}
        self.records: dict[tuple, Any] = {}  # with ``shared``: nested records already built

    def load(self, rows: Iterable[tuple]) -> None:
        """Read what this chunk needs that earlier chunks did not: a few queries, none per award."""
        programme_ids = {row[_PROGRAMME] for row in rows} - self.programmes.keys()
        for programme in Programme.objects.filter(pk__in=programme_ids).values(
            "pk",
            "code",
            "title",
            "summary",
            "funder__name",
            "funder__uuid",
            "funder__charity_number",
            "funder__company_number",
            funder_identifier=F("funder__grant_identifier__identifier"),
        ):
            funder_id = (
                organisation_identifier(
                    identifier=programme["funder_identifier"],
                    charity_number=programme["funder__charity_number"] or "",
                    company_number=programme["funder__company_number"] or "",
                )
                or f"{self.prefix}-ORG-{programme['funder__uuid']}"
            )
            self.programmes[programme["pk"]] = (
                programme["code"],
                programme["title"],
                programme["summary"],
                funder_id,
                programme["funder__name"],
            )
        organisation_ids = {row[_ORGANISATION] for row in rows} - self.organisations.keys() - {None}
        for pk, identifier, name, charity_number, company_number, postcode in Organisation.objects.filter(
            pk__in=organisation_ids
        ).values_list("pk", "grant_identifier__identifier", "name", "charity_number", "company_number", "postcode"):
            self.organisations[pk] = (identifier, name, charity_number or "", company_number or "", postcode)
        postcodes = {place for row in rows if (place := self._recipient_postcode(row))} - self.wards.keys()
        self.wards.update(dict.fromkeys(postcodes))
        for postcode, code, name in Postcode.objects.filter(postcode__in=postcodes, ward__isnull=False).values_list(
            "postcode", "ward__code", "ward__name"
        ):
            self.wards[postcode] = (code, name)
        area_ids = {row[_AREA] for row in rows} - self.areas.keys() - {None}
        for pk, code, name in Area.objects.filter(pk__in=area_ids).values_list("pk", "code", "name"):
            self.areas[pk] = (code, name)

    def _recipient_postcode(self, row: tuple) -> str | None:
        """The organisation's postcode, else the one the application gave (as ``award_rows`` reads it)."""
        organisation = self.organisations.get(row[_ORGANISATION])
        return (organisation[4] if organisation else "") or row[_POSTCODE] or None

    def number(self, text: str) -> int | float:
        """An amount read as text, as ``_number`` gives it (kept to pence, as the field is)."""
        try:
            return self.numbers[text]
        except KeyError:
            number = _number(Decimal(text).quantize(_PENNY))
            assert number is not None
            self.numbers[text] = number
            return number

    def duration(self, starts_on: str, ends_on: str) -> int:
        try:
            return self.durations[starts_on, ends_on]
        except KeyError:
            start, end = datetime.date.fromisoformat(starts_on), datetime.date.fromisoformat(ends_on)
            months = self.durations[starts_on, ends_on] = _months_between(start, end)
            return months

    def _record(self, key: tuple, make: Any) -> Any:
        """``make()``, or with ``shared`` the record already made for this key."""
        if not self.shared:
            return make()
        try:
            return self.records[key]
        except KeyError:
            record = self.records[key] = make()
            return record

    def grant(self, row: tuple) -> dict[str, Any] | None:
        """One award as ``grant_record`` makes it; None when it must be held back."""
        programme_id = row[_PROGRAMME]
        code, programme_title, programme_summary, funder_id, funder_name = self.programmes[programme_id]
        is_individual = row[_APPLICANT_KIND] == ApplicantKind.INDIVIDUAL
        grant: dict[str, Any] = {
            "id": row[_GRANT_IDENTIFIER] or f"{self.prefix}-{row[_REFERENCE]}",
            "title": row[_TITLE] or programme_title,
            "description": row[_SUMMARY] or programme_summary,
            "currency": CURRENCY,
        }
        if row[_AMOUNT_REQUESTED] is not None:
            grant["amountAppliedFor"] = self.number(row[_AMOUNT_REQUESTED])
        grant["amountAwarded"] = self.number(row[_AMOUNT_AWARDED])
        paid = row[_AMOUNT_PAID]
        grant["amountDisbursed"] = self.number(paid) if paid is not None else 0
        grant["awardDate"] = row[_AWARD_DATE]
        starts_on, ends_on = row[_STARTS_ON], row[_ENDS_ON]
        if starts_on:
            planned = self._record(("dates", starts_on, ends_on), lambda: self.planned(starts_on, ends_on))
            grant["plannedDates"] = planned
        if is_individual:
            person = uuid.UUID(row[_INDIVIDUAL_UUID])  # SQLite keeps a uuid without its hyphens
            grant["recipientIndividual"] = {"id": f"{self.prefix}-IND-{person}", "name": INDIVIDUAL_NAME}
        else:
            organisation_id, postcode = row[_ORGANISATION], self._recipient_postcode(row)
            recipients = self._record(
                ("recipient", organisation_id, postcode), lambda: self.recipients(organisation_id, postcode)
            )
            if recipients is None:
                return None
            grant["recipientOrganization"] = recipients
        area_id = row[_AREA]
        if area_id is not None:
            area = self.areas.get(area_id)
            if area is not None and area[0]:
                grant["beneficiaryLocation"] = self._record(("area", area_id), lambda: [_location(*area)])
        grant["fundingOrganization"], grant["grantProgramme"] = self._record(
            ("programme", programme_id),
            lambda: ([{"id": funder_id, "name": funder_name}], [{"code": code, "title": programme_title}]),
        )
        grant["fromOpenCall"] = "Yes"
        grant["dateModified"] = _iso_utc(row[_DECIDED_AT])
        if not is_individual:
            key = ("dei", row[_DEI_ASKED], row[_DEI_REPLY], row[_DEI_CODES], row[_DEI_MAY_PUBLISH])
            grant["deiDetails"] = self._record(key, lambda: self.dei_details(row))
        return grant

    def planned(self, starts_on: str, ends_on: str | None) -> list[dict[str, Any]]:
        planned: dict[str, Any] = {"startDate": starts_on}
        if ends_on:
            planned["endDate"] = ends_on
            planned["duration"] = self.duration(starts_on, ends_on)
        return [planned]

    def recipients(self, organisation_id: int | None, postcode: str | None) -> list[dict[str, Any]] | None:
        """The recipient organisation as a grant names it; None when it has no identifier yet (held back)."""
        organisation = self.organisations.get(organisation_id) if organisation_id is not None else None
        if organisation is None:
            return None
        identifier, name, charity_number, company_number, _postcode = organisation
        identifier = organisation_identifier(
            identifier=identifier, charity_number=charity_number, company_number=company_number
        )
        if identifier is None:
            return None
        recipient: dict[str, Any] = {"id": identifier, "name": name}
        if charity_number:
            recipient["charityNumber"] = charity_number
        if company_number:
            recipient["companyNumber"] = company_number
        ward = self.wards.get(postcode) if postcode else None
        if ward is not None and ward[0]:
            recipient["location"] = [_location(*ward)]
        return [recipient]

    def dei_details(self, row: tuple) -> dict[str, Any]:
        """``_dei_details`` from the row's columns, the codes parsed once per distinct list."""
        text = row[_DEI_CODES]
        try:
            codes = self.dei_codes[text]
        except KeyError:
            codes = self.dei_codes[text] = list(json.loads(text) or []) if text else []
        return _dei_details(
            {
                "dei_asked": row[_DEI_ASKED],
                "dei_reply": row[_DEI_REPLY],
                "dei_codes": codes,
                "dei_may_publish": row[_DEI_MAY_PUBLISH] in _TRUE,
            }
        )


def _built_grants(queryset: QuerySet[GrantDecision], *, shared: bool) -> Iterator[dict[str, Any]]:
    builder = _GrantBuilder(shared=shared)
    rows = _export_rows(queryset).iterator(chunk_size=CHUNK)
    for chunk in itertools.batched(rows, CHUNK):
        builder.load(chunk)
        for row in chunk:
            grant = builder.grant(row)
            if grant is not None:
                yield grant


def iter_grants(queryset: QuerySet[GrantDecision]) -> Iterator[dict[str, Any]]:
    """Each publishable award of the queryset as a 360Giving grant, read in chunks: the same record as
    ``grant_record`` (a test holds them equal), built by ``_GrantBuilder`` from narrower rows."""
    return _built_grants(queryset, shared=False)


def package_metadata(*, programme: Programme | None = None) -> dict[str, Any]:
    """The package's own fields (all but its grants)."""
    now = timezone.now().replace(microsecond=0)
    title = "Small grants awarded" + (f": {programme.title}" if programme else "")
    return {
        "version": SCHEMA_VERSION,
        "extensions": [DEI_EXTENSION],
        "title": title,
        "description": "Grants awarded through Waymark, published to the 360Giving Data Standard.",
        "issued": now.isoformat(),
        "modified": now.isoformat(),
    }


def build_package(*, programme: Programme | None = None) -> dict[str, Any]:
    """The whole package in memory: for the API's tests, validation and small programmes."""
    return {**package_metadata(programme=programme), "grants": list(iter_grants(published_awards(programme=programme)))}


def iter_json(*, programme: Programme | None = None, grants: Iterable[dict] | None = None) -> Iterator[str]:
    """The package as JSON text in pieces of a few thousand grants, so a download or a file never holds it
    whole; one encoder encodes each piece as a list (what ``json.dumps`` of the package writes), which costs
    far less than a call per grant. ``grants`` may be given (the bench does) instead of reading the awards."""
    if grants is None:  # encoded at once and never handed on, so grants may share their nested records
        grants = _built_grants(published_awards(programme=programme), shared=True)
    metadata = json.dumps(package_metadata(programme=programme), ensure_ascii=False)
    yield metadata[:-1] + ', "grants": ['
    encode = json.JSONEncoder(ensure_ascii=False).encode
    separator = ""
    for chunk in itertools.batched(grants, ENCODE_BATCH):
        yield separator + encode(chunk)[1:-1]
        separator = ", "
    yield "]}"


def write_json(stream: IO[str], *, programme: Programme | None = None, grants: Iterable[dict] | None = None) -> int:
    """Write the package to ``stream``; returns the number of grants written."""
    written = 0

    def counted(source: Iterable[dict]) -> Iterator[dict]:
        nonlocal written
        for grant in source:
            written += 1
            yield grant

    source = grants if grants is not None else _built_grants(published_awards(programme=programme), shared=True)
    for piece in iter_json(programme=programme, grants=counted(source)):
        stream.write(piece)
    return written


# --- The spreadsheet: the standard's column titles, nested fields joined by ":" as 360Giving's templates do ---

COLUMNS: list[tuple[str, tuple[Any, ...]]] = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Applied For", ("amountAppliedFor",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Amount Disbursed", ("amountDisbursed",)),
    ("Award Date", ("awardDate",)),
    ("Planned Dates:Start Date", ("plannedDates", 0, "startDate")),
    ("Planned Dates:End Date", ("plannedDates", 0, "endDate")),
    ("Planned Dates:Duration (months)", ("plannedDates", 0, "duration")),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Recipient Org:Charity Number", ("recipientOrganization", 0, "charityNumber")),
    ("Recipient Org:Company Number", ("recipientOrganization", 0, "companyNumber")),
    ("Recipient Org:Location:0:Geographic Code", ("recipientOrganization", 0, "location", 0, "geoCode")),
    ("Recipient Org:Location:0:Geographic Code Type", ("recipientOrganization", 0, "location", 0, "geoCodeType")),
    ("Recipient Org:Location:0:Name", ("recipientOrganization", 0, "location", 0, "name")),
    ("Recipient Ind:Identifier", ("recipientIndividual", "id")),
    ("Recipient Ind:Name", ("recipientIndividual", "name")),
    ("Beneficiary Location:0:Geographic Code", ("beneficiaryLocation", 0, "geoCode")),
    ("Beneficiary Location:0:Geographic Code Type", ("beneficiaryLocation", 0, "geoCodeType")),
    ("Beneficiary Location:0:Name", ("beneficiaryLocation", 0, "name")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
    ("From An Open Call?", ("fromOpenCall",)),
    ("Last Modified", ("dateModified",)),
    ("DEI Details:Purposes", ("deiDetails", "purposes")),
    ("DEI Details:Leadership:Asked Status", ("deiDetails", "leadership", "askedStatus")),
    ("DEI Details:Mission:Asked Status", ("deiDetails", "mission", "askedStatus")),
    ("DEI Details:Project:Asked Status", ("deiDetails", "project", "askedStatus")),
    ("DEI Details:Project:Reply Status", ("deiDetails", "project", "replyStatus")),
    ("DEI Details:Project:Available Options", ("deiDetails", "project", "availableOptions")),
    ("DEI Details:Project:Response:Taxonomy Codes", ("deiDetails", "project", "response", "taxonomyCodes")),
]
COLUMN_TITLES = [title for title, _path in COLUMNS]


def _cell(grant: Mapping[str, Any], path: tuple[Any, ...]) -> Any:
    value: Any = grant
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return None
    if isinstance(value, list):  # a list of codes is one cell, as 360Giving's templates write it
        return ";".join(str(item) for item in value)
    return value


def spreadsheet_rows(grants: Iterable[Mapping[str, Any]]) -> Iterator[list[Any]]:
    for grant in grants:
        yield [_cell(grant, path) for _title, path in COLUMNS]


def xlsx_bytes(*, programme: Programme | None = None, grants: Iterable[dict] | None = None) -> bytes:
    """The package as a workbook: a "grants" sheet under the standard's column titles, and an About sheet."""
    from waymark.core.spreadsheets import write_xlsx

    if grants is None:
        grants = iter_grants(published_awards(programme=programme))
    metadata = package_metadata(programme=programme)
    return write_xlsx(
        "grants",
        COLUMN_TITLES,
        spreadsheet_rows(grants),
        about=[
            metadata["title"],
            metadata["description"],
            f"360Giving Data Standard {SCHEMA_VERSION}, with the DEI extension.",
            f"Issued {metadata['issued']}.",
        ],
    )


# --- Validation against the copied schemas ---


_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time (what JSON Schema's "date-time" means), checked without a further dependency."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


@cache
def _validators() -> tuple[Any, Any]:
    from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    grant_schema = json.loads((STANDARDS / "360giving" / "360-giving-schema.json").read_text())
    package_schema = json.loads((STANDARDS / "360giving" / "360-giving-package-schema.json").read_text())
    dei_schema = json.loads((STANDARDS / "360giving-dei" / "schema" / "360-giving-dei-schema.json").read_text())
    # The copies say "http://json-schema.org/draft/2020-12/schema" (no https), which referencing does not know
    # by that name: the resource is made as 2020-12 explicitly.
    grant_resource = DRAFT202012.create_resource(grant_schema)
    # The package schema points at the grant schema of 1.4.2; the copy is 1.4.3, which differs only in its $id.
    registry = Registry().with_resources(
        [
            (grant_schema["$id"], grant_resource),
            (grant_schema["$id"].replace("/1.4.3/", "/1.4.2/"), grant_resource),
        ]
    )
    # Formats are checked, as 360Giving's own validator does: without that a plain date would match both the
    # "date-time" and the "YYYY-MM-DD" branch of an award date's oneOf and fail it.
    formats = FormatChecker(formats=())
    formats.checks("date-time")(_is_date_time)
    formats.checks("uri")(lambda value: not isinstance(value, str) or bool(re.match(r"^[a-zA-Z][\w+.-]*:\S+$", value)))
    package = Draft202012Validator(package_schema, registry=registry, format_checker=formats)
    return package, Draft4Validator(dei_schema)


def validate_package(package: Mapping[str, Any]) -> list[str]:
    """Every way the package breaks the 360Giving schema (and the DEI extension's), as readable lines naming
    the grant and the field; empty when it validates."""
    package_validator, dei_validator = _validators()
    problems = []
    for error in package_validator.iter_errors(package):
        where = "/".join(str(step) for step in error.absolute_path) or "package"
        problems.append(f"{where}: {error.message[:300]}")
    for index, grant in enumerate(package.get("grants", [])):
        if "deiDetails" not in grant:
            continue
        for error in dei_validator.iter_errors({"deiDetails": grant["deiDetails"]}):
            where = "/".join(str(step) for step in error.absolute_path)
            problems.append(f"grants/{index}/{where}: {error.message[:300]}")
    return problems
