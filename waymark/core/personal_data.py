"""The personal-data registry: where each app says what personal data it holds, and how to
find, export, erase and expire it.

Each app registers a ``PersonalDataSource`` (from its AppConfig.ready). The subject-access
export, the erasure of a person and the daily retention job then cover every app without
knowing about any of them. Erasure blanks the personal fields in place rather than deleting
rows, so counts and aggregates stay true, and blanks the same fields in the audit history,
which would otherwise keep copies of what was erased.
"""

import io
import json
import logging
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from waymark.core.audit import acting_as
from waymark.core.spreadsheets import write_csv

logger = logging.getLogger(__name__)

ERASURE_REASON = "Personal data erased"
PHONE_PUNCTUATION = (" ", "-", "(", ")", ".")


@dataclass
class PersonIdentity:
    """Who a subject-access or erasure request is about. Empty values match nothing."""

    email: str = ""
    phone: str = ""
    user_id: int | None = None

    def __post_init__(self) -> None:
        self.email = self.email.strip()
        self.phone = self.phone.strip()

    @property
    def normalised_phone(self) -> str:
        return normalise_phone(self.phone)

    def is_empty(self) -> bool:
        return not (self.email or self.normalised_phone or self.user_id)

    def describe(self) -> str:
        parts = []
        if self.email:
            parts.append(f"e-mail address {self.email}")
        if self.phone:
            parts.append(f"phone number {self.phone}")
        if self.user_id:
            parts.append(f"user account number {self.user_id}")
        return ", ".join(parts)


def normalise_phone(phone: str) -> str:
    """Digits (and a leading +) only, so '0161 496 0000' matches '01614960000'."""
    return re.sub(r"[^\d+]", "", phone)


@dataclass
class PersonalDataSource:
    """One kind of record holding personal data.

    ``match`` returns the records about a person; ``export`` turns them into rows (default: the
    ``fields``); ``erase`` blanks them and returns how many (default: blank ``fields`` in place,
    saving each record so the history shows the erasure). With ``retention`` set, records whose
    ``retention_field`` is older than that are erased or deleted (``retention_action``) every day.
    """

    key: str
    label: str
    model: str | type[models.Model]
    fields: list[str]
    match: Callable[["PersonIdentity"], QuerySet]
    export: Callable[[QuerySet], list[dict[str, Any]]] | None = None
    erase: Callable[[QuerySet, Any], int] | None = None
    retention: timedelta | None = None
    retention_field: str | None = None
    retention_action: Literal["erase", "delete"] = "erase"

    def __post_init__(self) -> None:
        if self.retention is not None and not self.retention_field:
            raise ValueError(f"Personal data source {self.key!r} has a retention period but no retention_field.")
        if self.retention_action not in ("erase", "delete"):
            raise ValueError(f"Personal data source {self.key!r}: retention_action must be 'erase' or 'delete'.")

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model) if isinstance(self.model, str) else self.model

    def export_rows(self, queryset: QuerySet) -> list[dict[str, Any]]:
        return (self.export or export_values(*self.fields))(queryset)

    def erase_records(self, queryset: QuerySet, actor: Any) -> int:
        if self.erase is not None:
            return self.erase(queryset, actor)
        return erase_fields(queryset, fields=self.fields, actor=actor)

    def describe_retention(self) -> str:
        if self.retention is None or self.retention_field is None:
            return "Kept until the person’s data is erased."
        action = "erased" if self.retention_action == "erase" else "deleted"
        counted_from = model_field(self.model_class(), self.retention_field).verbose_name
        return f"Kept for {self.retention.days} days after its “{counted_from}” date, then {action}."


_sources: dict[str, PersonalDataSource] = {}


def register(source: PersonalDataSource) -> PersonalDataSource:
    if source.key in _sources:
        raise ValueError(f"A personal data source with key {source.key!r} is already registered.")
    _sources[source.key] = source
    return source


def sources() -> list[PersonalDataSource]:
    """Every registered source, the person's own account first (the others hang on it), then in the order
    the apps registered them."""
    user_model = get_user_model()
    return sorted(_sources.values(), key=lambda source: source.model_class() is not user_model)


# --- Building blocks for sources -----------------------------------------------------------


def match_by(
    model: str | type[models.Model],
    *,
    email_field: str | None = None,
    phone_field: str | None = None,
    user_field: str | None = None,
) -> Callable[[PersonIdentity], QuerySet]:
    """A ``match`` function: records whose e-mail (any case), phone (ignoring spaces and dashes)
    or user matches the identity. Only the parts of the identity that were given are used."""

    def match(identity: PersonIdentity) -> QuerySet:
        model_class = apps.get_model(model) if isinstance(model, str) else model
        queryset = model_class._default_manager.all()
        condition = Q()
        if email_field and identity.email:
            condition |= Q(**{f"{email_field}__iexact": identity.email})
        if phone_field and identity.normalised_phone:
            stripped: Any = F(phone_field)
            for character in PHONE_PUNCTUATION:
                stripped = Replace(stripped, Value(character), Value(""))
            queryset = queryset.alias(_phone_digits=stripped)
            condition |= Q(_phone_digits=identity.normalised_phone)
        if user_field and identity.user_id:
            condition |= Q(**{user_field: identity.user_id})
        if not condition:
            return queryset.none()
        return queryset.filter(condition)

    return match


def blank_value(field: models.Field) -> Any:
    """What an erased field holds: NULL where allowed, else the empty string or the field's default."""
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    if field.has_default():
        return field.get_default()
    raise ValueError(f"{field} cannot be blanked: give its personal data source its own erase function.")


def model_field(model: type[models.Model], name: str) -> models.Field:
    """The model's own field called ``name`` (not a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise ValueError(f"{model._meta.label}.{name} is a reverse relation, not a field that holds data.")
    return field


def blank_values(model: type[models.Model], fields: Iterable[str]) -> dict[str, Any]:
    return {model_field(model, name).attname: blank_value(model_field(model, name)) for name in fields}


def scrub_history(model: type[models.Model], pks: Iterable[Any], values: dict[str, Any]) -> int:
    """Overwrite personal fields in the audit history of these records, keeping the history rows."""
    try:
        history_model = get_history_model_for_model(model)
    except NotHistoricalModelError:
        return 0
    history_columns = {field.attname for field in history_model._meta.concrete_fields}
    kept = {name: value for name, value in values.items() if name in history_columns}
    if not kept:
        return 0
    # A queryset update on purpose: scrubbing history must not itself leave a history of the data.
    return history_model._default_manager.filter(**{f"{model._meta.pk.attname}__in": list(pks)}).update(**kept)


def erase_fields(
    queryset: QuerySet,
    *,
    fields: list[str],
    actor: Any,
    replacements: Callable[[models.Model], dict[str, Any]] | None = None,
) -> int:
    """The default erasure: blank ``fields`` on each record (saved, so the history records who erased
    it) and in the record's earlier history rows. ``replacements(record)`` gives values other than
    blank, for fields that must stay unique."""
    model = queryset.model
    blanks = blank_values(model, fields)
    count = 0
    with acting_as(actor):
        for record in queryset:
            values = {**blanks, **(replacements(record) if replacements else {})}
            for name, value in values.items():
                setattr(record, name, value)
            record._change_reason = ERASURE_REASON  # type: ignore[attr-defined]
            record.save(update_fields=list(values))
            scrub_history(model, [record.pk], values)
            count += 1
    return count


def export_values(*fields: str) -> Callable[[QuerySet], list[dict[str, Any]]]:
    """An ``export`` function: these fields of each record, with its id."""

    def export(queryset: QuerySet) -> list[dict[str, Any]]:
        return [{"record_id": row.pop("pk"), **row} for row in queryset.values("pk", *fields)]

    return export


def _holds_personal_values(model: type[models.Model], fields: list[str]) -> Q:
    """Records that still hold something in at least one of the fields (so are not yet erased)."""
    condition = Q()
    for name in fields:
        field = model_field(model, name)
        present = Q(**{f"{name}__isnull": False})
        if isinstance(field, models.CharField | models.TextField):
            present &= ~Q(**{name: ""})
        condition |= present
    return condition


# --- The services --------------------------------------------------------------------------


def _require_identity(identity: PersonIdentity) -> None:
    if identity.is_empty():
        raise ValueError("Give an e-mail address, a phone number or a user account to look for.")


def find_personal_data(identity: PersonIdentity) -> dict[str, QuerySet]:
    """Every registered source's records about the person (empty querysets included)."""
    _require_identity(identity)
    return {source.key: source.match(identity) for source in sources()}


def _csv_cell(value: Any) -> Any:
    """A record's value as one cell: lists and mappings as JSON, times in ISO 8601."""
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    columns = list(dict.fromkeys(column for row in rows for column in row))
    text = write_csv(columns, ([_csv_cell(row.get(column)) for column in columns] for row in rows))
    return text.encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _readme(identity: PersonIdentity, counts: dict[str, int], actor: Any, created: datetime) -> str:
    lines = [
        "Subject access export from Waymark",
        "",
        f"Created: {timezone.localtime(created):%d %B %Y at %H:%M}",
        f"Created by: {getattr(actor, 'get_username', lambda: 'the system')()}",
        f"Searched for: {identity.describe()}",
        "",
        "Each source with records has a .json file and a .csv file holding the same records.",
        "",
        "Sources with records about this person:",
    ]
    found = [source for source in sources() if counts[source.key]]
    for source in found:
        lines.append(f"- {source.label} ({source.key}.json, {source.key}.csv): {counts[source.key]} record(s).")
        model = source.model_class()
        field_names = ", ".join(str(model_field(model, name).verbose_name) for name in source.fields)
        lines.append(f"  Personal fields: {field_names}. {source.describe_retention()}")
    if not found:
        lines.append("- None.")
    lines += ["", "Sources searched with no records about this person:"]
    empty = [source for source in sources() if not counts[source.key]]
    lines += [f"- {source.label}. {source.describe_retention()}" for source in empty] or ["- None."]
    return "\n".join(lines) + "\n"


def export_personal_data(identity: PersonIdentity, *, actor: Any) -> bytes:
    """A ZIP of everything held about the person: one JSON and one CSV per source with records, and a README."""
    created = timezone.now()
    counts: dict[str, int] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, queryset in find_personal_data(identity).items():
            rows = _sources[key].export_rows(queryset)
            counts[key] = len(rows)
            if rows:
                archive.writestr(f"{key}.json", json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
                archive.writestr(f"{key}.csv", _csv_bytes(rows))
        archive.writestr("README.txt", _readme(identity, counts, actor, created))
    # The audit record names who exported and what, not whose data (the log is not a place for it).
    logger.info("Subject access export by user %s: %s", getattr(actor, "pk", None), counts)
    return buffer.getvalue()


def erase_personal_data(identity: PersonIdentity, *, actor: Any) -> dict[str, int]:
    """Erase the person's data from every source, all or nothing. Returns records erased per source."""
    with transaction.atomic(), acting_as(actor):
        # Resolve every match first: erasing one source (the account's e-mail) must not hide
        # records another source finds through it.
        matched = {
            key: list(queryset.values_list("pk", flat=True)) for key, queryset in find_personal_data(identity).items()
        }
        counts = {}
        for source in sources():
            pks = matched[source.key]
            queryset = source.model_class()._default_manager.filter(pk__in=pks)
            counts[source.key] = source.erase_records(queryset, actor) if pks else 0
    logger.info("Personal data erased by user %s: %s", getattr(actor, "pk", None), counts)
    return counts


def enforce_retention(now: datetime | None = None) -> dict[str, int]:
    """Erase or delete records kept longer than their source allows. Returns records affected per source."""
    now = now or timezone.now()
    counts = {}
    for source in sources():
        if source.retention is None or source.retention_field is None:
            continue
        model = source.model_class()
        cutoff: Any = now - source.retention
        if not isinstance(model_field(model, source.retention_field), models.DateTimeField):
            cutoff = timezone.localdate(cutoff)
        expired = model._default_manager.filter(**{f"{source.retention_field}__lt": cutoff})
        with transaction.atomic(), acting_as(None):
            if source.retention_action == "delete":
                pks = list(expired.values_list("pk", flat=True))
                scrub_history(model, pks, blank_values(model, source.fields))
                counts[source.key] = model._default_manager.filter(pk__in=pks).delete()[1].get(model._meta.label, 0)
            else:
                not_yet_erased = expired.filter(_holds_personal_values(model, source.fields))
                counts[source.key] = source.erase_records(not_yet_erased, None)
    if any(counts.values()):
        logger.info("Retention enforced: %s", counts)
    return counts


# --- The foundation's own sources ----------------------------------------------------------

EMAIL_DELIVERY_PERSONAL_FIELDS = ["to_address", "subject", "text_body", "html_body", "headers"]


def _erase_email_deliveries(queryset: QuerySet, actor: Any) -> int:
    """Blank the message and its address; the dedupe key holds the address too, and must stay unique."""
    return erase_fields(
        queryset,
        fields=EMAIL_DELIVERY_PERSONAL_FIELDS,
        actor=actor,
        replacements=lambda delivery: {"dedupe_key": f"erased:{delivery.uuid}"},  # type: ignore[attr-defined]
    )


register(
    PersonalDataSource(
        key="core.emaildelivery",
        label="E-mails sent",
        model="core.EmailDelivery",
        fields=EMAIL_DELIVERY_PERSONAL_FIELDS,
        match=match_by("core.EmailDelivery", email_field="to_address"),
        export=export_values(*EMAIL_DELIVERY_PERSONAL_FIELDS, "status", "created_at", "sent_at"),
        erase=_erase_email_deliveries,
        retention=timedelta(days=365),
        retention_field="created_at",
        retention_action="delete",
    )
)
