"""Turning text people type into HTML that is safe to show."""

import re
from typing import Any

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

_ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}

# Only links survive with attributes; everything else is plain structure styled by NHS.UK classes.
_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    attributes={"a": {"href", "title"}, "th": {"scope"}},
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel="noopener noreferrer",
    set_tag_attribute_values={
        "table": {"class": "nhsuk-table"},
        "thead": {"class": "nhsuk-table__head"},
        "tbody": {"class": "nhsuk-table__body"},
        "tr": {"class": "nhsuk-table__row"},
        "th": {"class": "nhsuk-table__header"},
        "td": {"class": "nhsuk-table__cell"},
        "ul": {"class": "nhsuk-list nhsuk-list--bullet"},
        "ol": {"class": "nhsuk-list nhsuk-list--number"},
    },
)

# The page title is a page's only <h1>, so a "# Heading" in the text becomes a second-level heading.
_LEVEL_ONE_HEADING = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML with scripts, styles, event handlers and unknown tags removed.

    Headings, paragraphs, lists, links, emphasis, quotes, code and tables are kept;
    links get rel="noopener noreferrer".
    """
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _LEVEL_ONE_HEADING.sub(r"<\1h2", html)
    return mark_safe(_CLEANER.clean(html))  # noqa: S308 - sanitised by nh3 on the line itself


def refuse_nul_characters(instance: models.Model) -> None:
    """PostgreSQL cannot store NUL in text and SQLite can: refuse it on both, so behaviour matches."""
    text_fields = [
        field for field in instance._meta.concrete_fields if isinstance(field, models.CharField | models.TextField)
    ]
    errors = {
        field.name: _("%(field)s must not contain a NUL character.") % {"field": capfirst(field.verbose_name)}
        for field in text_fields
        if "\x00" in (getattr(instance, field.attname) or "")
    }
    if errors:
        raise ValidationError(errors)


def contains_nul(value: Any) -> bool:
    """Whether any text in ``value`` (nested lists and dicts, keys too) holds a NUL character, which
    PostgreSQL cannot store: importers refuse such files at the edge."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False
