"""The API documentation: the OpenAPI schema drawn as an ordinary, accessible page of this site.

Third-party viewers (Swagger UI, Redoc) fail WCAG 2.2 AA checks and load fonts from other hosts;
this page is plain server-rendered HTML built from the same schema that /api/v1/schema/ serves.
"""

import functools
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

from waymark.core.rest.pagination import WaymarkPagination
from waymark.core.text import render_markdown

Schema = dict[str, Any]

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
METHOD_COLOURS = {"get": "blue", "post": "green", "put": "orange", "patch": "orange", "delete": "red"}
REFERENCE_PREFIX = "#/components/schemas/"
# Error bodies are described once, in the page's "Errors" section, not as a record.
ERROR_SCHEMA = "Error"
ERRORS_ANCHOR = "errors"


@dataclass(frozen=True)
class Field:
    """A parameter, request body field or record field, ready for a table row."""

    name: str
    location: str
    required: bool
    type: SafeString
    description: SafeString


@dataclass(frozen=True)
class ResponseDoc:
    """One status code an operation can answer with."""

    status: str
    meaning: str
    body: SafeString


@dataclass(frozen=True)
class Operation:
    """One method on one path."""

    anchor: str
    method: str
    method_colour: str
    path: str
    summary: str
    description: SafeString
    token_needed: bool
    parameters: list[Field]
    body_fields: list[Field]
    partial_update: bool
    responses: list[ResponseDoc]


@dataclass(frozen=True)
class Section:
    """The operations under one OpenAPI tag."""

    anchor: str
    title: str
    description: SafeString
    operations: list[Operation]


@dataclass(frozen=True)
class Record:
    """An object the API returns, with its fields."""

    anchor: str
    name: str
    description: SafeString
    fields: list[Field]


@dataclass(frozen=True)
class ApiReference:
    """Everything the page shows from the schema: operations grouped by tag, then the records."""

    sections: list[Section]
    records: list[Record]


@functools.cache
def openapi_schema(language: str) -> Schema:
    """The OpenAPI document, built once per process and language: it changes only with the code."""
    with translation.override(language):
        return SchemaGenerator(patterns=None).get_schema(request=None, public=True)


@functools.cache
def api_reference(language: str) -> ApiReference:
    """The schema arranged for the documentation page, built once per process and language."""
    with translation.override(language):
        return _ReferenceBuilder(openapi_schema(language)).build()


def _reference_name(reference: str) -> str:
    return reference.removeprefix(REFERENCE_PREFIX)


def _record_anchor(name: str) -> str:
    return f"record-{name.lower()}"


def _section_title(tag: str) -> str:
    return capfirst(tag.replace("-", " ").replace("_", " "))


class _ReferenceBuilder:
    """Turns an OpenAPI document into sections of operations and the records they return."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.components: dict[str, Schema] = schema.get("components", {}).get("schemas", {})
        self.record_names = self._records_returned()

    def build(self) -> ApiReference:
        return ApiReference(sections=self._sections(), records=[self._record(name) for name in self.record_names])

    # --- Sections and operations -------------------------------------------

    def _sections(self) -> list[Section]:
        grouped: dict[str, list[tuple[str, str, Schema]]] = {}
        for path, methods in self.schema.get("paths", {}).items():
            for method in HTTP_METHODS:
                if method in methods:
                    operation = methods[method]
                    tag = (operation.get("tags") or [""])[0]
                    grouped.setdefault(tag, []).append((path, method, operation))
        tag_descriptions = {tag["name"]: tag.get("description", "") for tag in self.schema.get("tags", [])}
        sections = []
        for tag, operations in grouped.items():
            # A viewset's docstring describes every one of its operations: say it once, under the heading.
            descriptions = {entry[2].get("description", "") for entry in operations}
            shared = descriptions.pop() if len(descriptions) == 1 else ""
            sections.append(
                Section(
                    anchor=tag or "api-root",
                    title=_section_title(tag) if tag else _("API root"),
                    description=render_markdown(tag_descriptions.get(tag) or shared),
                    operations=[
                        self._operation(path, method, operation, shared_description=shared)
                        for path, method, operation in operations
                    ],
                )
            )
        return sections

    def _operation(self, path: str, method: str, operation: Schema, *, shared_description: str) -> Operation:
        security = operation.get("security", [])
        description = operation.get("description", "")
        return Operation(
            anchor=operation["operationId"].replace("_", "-"),
            method=method.upper(),
            method_colour=METHOD_COLOURS[method],
            path=path,
            summary=operation.get("summary") or f"{method.upper()} {path}",
            description=render_markdown(description if description != shared_description else ""),
            # An empty requirement ({}) means no credentials are needed: see PolicyAutoSchema.
            token_needed=bool(security) and {} not in security,
            parameters=[self._parameter(parameter) for parameter in operation.get("parameters", [])],
            body_fields=self._body_fields(operation.get("requestBody")),
            partial_update=method == "patch",
            responses=[self._response(status, response) for status, response in operation["responses"].items()],
        )

    def _parameter(self, parameter: Schema) -> Field:
        schema = parameter.get("schema", {})
        locations = {"path": _("Path"), "query": _("Query"), "header": _("Header"), "cookie": _("Cookie")}
        location: str = parameter["in"]
        return Field(
            name=parameter["name"],
            location=locations.get(location, location),
            required=bool(parameter.get("required")),
            type=self._type(schema),
            description=render_markdown(self._with_values(parameter.get("description", ""), schema)),
        )

    def _body_fields(self, request_body: Schema | None) -> list[Field]:
        if not request_body:
            return []
        content = request_body.get("content", {})
        media: Schema = content.get("application/json") or next(iter(content.values()), {})
        schema = self._resolve(media.get("schema", {}))
        return self._fields(schema, include_read_only=False)

    def _response(self, status: str, response: Schema) -> ResponseDoc:
        try:
            meaning = response.get("description") or HTTPStatus(int(status)).phrase
        except ValueError:  # "default" or a range such as "4XX"
            meaning = response.get("description", "")
        content = response.get("content", {})
        media = content.get("application/json") or next(iter(content.values()), None)
        body = self._response_body(media["schema"]) if media and "schema" in media else mark_safe("")
        return ResponseDoc(status=status, meaning=meaning, body=body)

    def _response_body(self, schema: Schema) -> SafeString:
        name = _reference_name(schema.get("$ref", ""))
        if name == ERROR_SCHEMA:
            return format_html('<a href="#{}">{}</a>', ERRORS_ANCHOR, _("Error"))
        items = self._page_items(name)
        if items:
            return format_html(_("A page of {records} records"), records=self._type(items))
        return self._type(schema)

    def _page_items(self, name: str) -> Schema | None:
        """The item schema of a paginated list, which is documented once as the page envelope."""
        properties = self.components.get(name, {}).get("properties", {})
        if name.startswith("Paginated") and properties.get("results", {}).get("type") == "array":
            return properties["results"]["items"]
        return None

    # --- Records -------------------------------------------------------------

    def _records_returned(self) -> list[str]:
        """Every object schema a response can contain, following nested references."""
        found: set[str] = set()
        pending: list[Schema] = [
            media["schema"]
            for methods in self.schema.get("paths", {}).values()
            for method, operation in methods.items()
            if method in HTTP_METHODS
            for response in operation["responses"].values()
            for media in response.get("content", {}).values()
            if "schema" in media
        ]
        while pending:
            schema = pending.pop()
            name = _reference_name(schema.get("$ref", ""))
            if name:
                items = self._page_items(name)
                if items is not None:
                    pending.append(items)
                    continue
                target = self.components.get(name, {})
                if name in found or name == ERROR_SCHEMA or "properties" not in target:
                    continue
                found.add(name)
                schema = target
            pending.extend(schema.get("properties", {}).values())
            pending.extend(schema.get("allOf", []) + schema.get("oneOf", []) + schema.get("anyOf", []))
            if "items" in schema:
                pending.append(schema["items"])
        return sorted(found)

    def _record(self, name: str) -> Record:
        schema = self.components[name]
        return Record(
            anchor=_record_anchor(name),
            name=name,
            description=render_markdown(schema.get("description", "")),
            fields=self._fields(schema, include_read_only=True),
        )

    def _fields(self, schema: Schema, *, include_read_only: bool) -> list[Field]:
        required = set(schema.get("required", []))
        return [
            Field(
                name=name,
                location="",
                required=name in required,
                type=self._type(field),
                description=render_markdown(self._field_description(field)),
            )
            for name, field in schema.get("properties", {}).items()
            if include_read_only or not field.get("readOnly")
        ]

    def _field_description(self, field: Schema) -> str:
        return self._with_values(field.get("description") or field.get("title") or "", field)

    # --- Types ---------------------------------------------------------------

    def _resolve(self, schema: Schema) -> Schema:
        """The schema with a reference, or a single allOf reference, replaced by what it points to."""
        if "$ref" in schema:
            return {**self.components.get(_reference_name(schema["$ref"]), {}), **schema}
        if len(schema.get("allOf", [])) == 1:
            rest = {key: value for key, value in schema.items() if key != "allOf"}
            return {**self._resolve(schema["allOf"][0]), **rest}
        return schema

    def _with_values(self, description: str, schema: Schema) -> str:
        """The description, with the allowed values listed when it does not list them already."""
        values = self._resolve(schema).get("enum")
        if not values or f"`{values[0]}`" in description:
            return description
        listing = self._values_listing(schema)
        return f"{description}\n\n{listing}" if description else listing

    def _values_listing(self, schema: Schema) -> str:
        """An enum's own description (drf-spectacular lists each value with its label there), or the bare values."""
        if "$ref" in schema:
            target = self.components.get(_reference_name(schema["$ref"]), {})
            return target.get("description") or self._values_listing({"enum": target.get("enum", [])})
        if len(schema.get("allOf", [])) == 1:
            return self._values_listing(schema["allOf"][0])
        return "\n".join(f"* `{value}`" for value in schema.get("enum", []))

    def _type(self, schema: Schema) -> SafeString:
        """A short, readable type: 'string (uri)', 'array of string', a link to a record."""
        resolved = self._resolve(schema)
        referenced = (schema.get("allOf") or [schema])[0].get("$ref", "")
        name = _reference_name(referenced)
        choices = schema.get("oneOf") or schema.get("anyOf")
        if name in self.record_names:
            text = format_html('<a href="#{}">{}</a>', _record_anchor(name), name)
        elif choices:
            text = format_html_join(format_html(" {} ", _("or")), "{}", ((self._type(part),) for part in choices))
        elif name and resolved.get("type") == "object":
            text = format_html("object ({})", name)
        else:
            text = self._plain_type(resolved)
        if resolved.get("nullable"):
            text = format_html("{} {}", text, _("or null"))
        return text

    def _plain_type(self, schema: Schema) -> SafeString:
        kind = schema.get("type", "")
        if kind == "array":
            return format_html("{} {}", _("array of"), self._type(schema.get("items", {})))
        if kind == "string" and schema.get("maxLength") == 0:
            return format_html("{}", _("empty string"))
        if not kind:
            return format_html("{}", _("any value"))
        details = []
        if schema.get("format"):
            details.append(schema["format"])
        if schema.get("maxLength"):
            details.append(_("up to %(count)d characters") % {"count": schema["maxLength"]})
        if details:
            return format_html("{} ({})", kind, ", ".join(details))
        return format_html("{}", kind)


def _rate_in_words(rate: str) -> str:
    """'120/minute' → '120 requests a minute' (DRF reads only the first letter of the period)."""
    count, _slash, period = rate.partition("/")
    periods = {"s": _("a second"), "m": _("a minute"), "h": _("an hour"), "d": _("a day")}
    return _("%(count)s requests %(period)s") % {"count": count, "period": periods.get(period[:1], period)}


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API documentation page: public, so people can judge the API before they have an account."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    api_settings: dict[str, Any] = settings.REST_FRAMEWORK
    rates: dict[str, str] = api_settings.get("DEFAULT_THROTTLE_RATES", {})
    context = {
        "reference": api_reference(language),
        "base_url": request.build_absolute_uri(reverse("api:root")),
        "example_url": request.build_absolute_uri(reverse("api:organisation-list")),
        "page_size": api_settings.get("PAGE_SIZE"),
        "max_page_size": WaymarkPagination.max_page_size,
        "anonymous_rate": _rate_in_words(rates["anon"]) if "anon" in rates else "",
        "signed_in_rate": _rate_in_words(rates["user"]) if "user" in rates else "",
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "api/docs.html", context)
