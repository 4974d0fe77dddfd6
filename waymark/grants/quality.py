"""The 360Giving Data Quality Tool's further checks, run offline on a package before it is published.

The schema says what shape a grant must have; these say what a well-formed grant may still get wrong, the
checks 360Giving's own tool makes (https://dataquality.threesixtygiving.org): an amount of zero, an organisation
identifier with a prefix org-id.guide does not list, charity and company numbers of the wrong shape, a start after
the end, dates impossibly far ahead or behind, an award dated in the future, a postcode where a geographic code
belongs, and e-mail addresses in the published text. Each finding names the grant, the field and what is wrong,
so whoever publishes can fix the record before the file leaves.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Prefixes from org-id.guide a UK grant-maker's recipients and funders use, and 360Giving's own "360G-" for
# organisations with no registered number.
KNOWN_PREFIXES = frozenset(
    {
        "GB-CHC",  # Charity Commission for England and Wales
        "GB-SC",  # Scottish Charity Regulator
        "GB-NIC",  # Charity Commission for Northern Ireland
        "GB-COH",  # Companies House
        "GB-MPR",  # Mutuals Public Register (FCA)
        "GB-EDU",  # Department for Education establishments
        "GB-UKPRN",  # UK Register of Learning Providers
        "GB-LAE",  # local authorities in England
        "GB-LAS",  # local authorities in Scotland
        "GB-LANI",  # local authorities in Northern Ireland
        "GB-UKLAWA",  # local authorities in Wales
        "GB-PLA",  # principal local authorities
        "GB-GOR",  # government organisations
        "GB-NHS",  # NHS organisations
        "GB-SHPE",  # social housing providers (England)
        "XI-GRID",
        "XI-ROR",
    }
)
CHARITY_NUMBER = re.compile(r"^(\d{6,7}(-\d{1,2})?|SC\d{6}|NIC?\d{5,6})$")
COMPANY_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
UK_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Dates before this are older than any grant Waymark could hold; dates after today plus this many years are a
# slip of the keyboard (2207 for 2027).
EARLIEST = datetime.date(1990, 1, 1)
YEARS_AHEAD = 25
TEXT_FIELDS = ("title", "description")


@dataclass(frozen=True)
class Finding:
    check: str
    grant_id: str
    field: str
    message: str


@dataclass(frozen=True)
class Check:
    code: str
    title: Any  # lazy translation
    run: Callable[[Mapping[str, Any], datetime.date], Iterator[tuple[str, str]]]


def _organisations(grant: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for key in ("recipientOrganization", "fundingOrganization"):
        for index, organisation in enumerate(grant.get(key) or []):
            yield f"{key}/{index}", organisation


def _parse_date(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _dates(grant: Mapping[str, Any]) -> Iterator[tuple[str, datetime.date]]:
    award = _parse_date(grant.get("awardDate"))
    if award:
        yield "awardDate", award
    for index, event in enumerate(grant.get("plannedDates") or []):
        for key in ("startDate", "endDate"):
            parsed = _parse_date(event.get(key))
            if parsed:
                yield f"plannedDates/{index}/{key}", parsed


def zero_amounts(grant: Mapping[str, Any], today: datetime.date) -> Iterator[tuple[str, str]]:
    amount = grant.get("amountAwarded")
    if isinstance(amount, int | float) and amount <= 0:
        yield "amountAwarded", f"The amount awarded is {amount}: a grant of nothing is not a grant."


def identifier_prefixes(grant: Mapping[str, Any], today: datetime.date) -> Iterator[tuple[str, str]]:
    for where, organisation in _organisations(grant):
        identifier = str(organisation.get("id", ""))
        if identifier.startswith("360G-") or identifier.startswith(settings.GRANTS_360G_PREFIX + "-"):
            continue
        if not any(identifier.startswith(prefix + "-") for prefix in KNOWN_PREFIXES):
            yield f"{where}/id", f"'{identifier}' does not start with a prefix org-id.guide lists (GB-CHC-, GB-COH-…)."


def charity_numbers(grant: Mapping[str, Any], today: datetime.date) -> Iterator[tuple[str, str]]:
    for where, organisation in _organisations(grant):
        numbers = [("charityNumber", organisation.get("charityNumber"))]
        identifier = str(organisation.get("id", ""))
        if identifier.startswith("GB-CHC-"):
            numbers.append(("id", identifier.removeprefix("GB-CHC-")))
        for field, number in numbers:
            if number and not CHARITY_NUMBER.match(str(number)):
                yield f"{where}/{field}", f"'{number}' is not shaped like a charity number (6 or 7 digits, SC or NIC)."


def company_numbers(grant: Mapping[str, Any], today: datetime.date) -> Iterator[tuple[str, str]]:
    for where, organisation in _organisations(grant):
        numbers = [("companyNumber", organisation.get("companyNumber"))]
        identifier = str(organisation.get("id", ""))
        if identifier.startswith("GB-COH-"):
            numbers.append(("id", identifier.removeprefix("GB-COH-")))
        for field, number in numbers:
            if number and not COMPANY_NUMBER.match(str(number)):
                yield f"{where}/{field}", f"'{number}' is not shaped like a company number (8 characters)."


def start_after_end(grant: Mapping[str, Any], today: datetime.date) -> Iterator[tuple[str, str]]:
    for index, event in enumerate(grant.get("plannedDates") or []):
        start, end = _parse_date(event.get("startDate")), _parse_date(event.get("endDate"))
        if start and end and start > end:
            yield f"plannedDates/{index}/startDate", f"The grant starts on {start}, after it ends on {end}."


def far_dates(grant: Mapping[str, Any], today: datetime.date) -> Iterator[tuple[str, str]]:
    latest = today.replace(year=today.year + YEARS_AHEAD) if (today.month, today.day) != (2, 29) else today
    for field, value in _dates(grant):
        if value < EARLIEST:
            yield field, f"{value} is before {EARLIEST}: too far back to be right."
        elif value > latest:
            yield field, f"{value} is more than {YEARS_AHEAD} years ahead: too far to be right."


def future_award_dates(grant: Mapping[str, Any], today: datetime.date) -> Iterator[tuple[str, str]]:
    award = _parse_date(grant.get("awardDate"))
    if award and award > today:
        yield "awardDate", f"The award is dated {award}, in the future: an award is published once it is made."


def postcodes_as_codes(grant: Mapping[str, Any], today: datetime.date) -> Iterator[tuple[str, str]]:
    locations = [(f"beneficiaryLocation/{i}", loc) for i, loc in enumerate(grant.get("beneficiaryLocation") or [])]
    for where, organisation in _organisations(grant):
        locations += [(f"{where}/location/{i}", loc) for i, loc in enumerate(organisation.get("location") or [])]
    for where, location in locations:
        code = str(location.get("geoCode") or "")
        if UK_POSTCODE.match(code.strip()):
            yield f"{where}/geoCode", f"'{code}' is a postcode: a geographic code (an ONS code) belongs here."


def emails_in_text(grant: Mapping[str, Any], today: datetime.date) -> Iterator[tuple[str, str]]:
    for field in TEXT_FIELDS:
        if EMAIL.search(str(grant.get(field) or "")):
            yield field, "The text holds an e-mail address: published data must not carry one."


CHECKS = [
    Check("zero_amount", _("Awards of zero"), zero_amounts),
    Check("identifier_prefix", _("Organisation identifiers with an unrecognised prefix"), identifier_prefixes),
    Check("charity_number", _("Charity numbers of the wrong shape"), charity_numbers),
    Check("company_number", _("Company numbers of the wrong shape"), company_numbers),
    Check("start_after_end", _("Grants that start after they end"), start_after_end),
    Check("far_date", _("Dates impossibly far ahead or behind"), far_dates),
    Check("future_award_date", _("Awards dated in the future"), future_award_dates),
    Check("postcode_as_code", _("Postcodes where a geographic code belongs"), postcodes_as_codes),
    Check("email_in_text", _("E-mail addresses in the text"), emails_in_text),
]


def check_grants(grants: Iterable[Mapping[str, Any]], *, today: datetime.date | None = None) -> list[Finding]:
    """Every finding of every check on every grant, in the grants' order."""
    today = today or timezone.localdate()
    findings: list[Finding] = []
    for grant in grants:
        grant_id = str(grant.get("id", ""))
        for check in CHECKS:
            findings.extend(Finding(check.code, grant_id, field, message) for field, message in check.run(grant, today))
    return findings
