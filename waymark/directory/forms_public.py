"""Forms of the public signposting pages: the search box with its filters (shared by search and the map), and the
notes a worker writes on a shortlist. Bad values in an address bar get a clear message, never a server error."""

import functools
import re
import threading
from typing import Any

from django import forms
from django.db import connection
from django.db.models import Model, QuerySet, Subquery
from django.utils.choices import normalize_choices
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waymark.core.choices import AreaType
from waymark.core.models import Area, Community, Language, Postcode
from waymark.core.postcodes import normalise_postcode
from waymark.directory.models import Location, TaxonomyTerm
from waymark.directory.public import example_postcode
from waymark.directory.search_filters import SearchFilters
from waymark.directory.shortlist import MAX_NOTES_LENGTH

_DISTRICT_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")

REFERRAL_CHOICES = [
    ("", _("Any way in")),
    ("self", _("I can refer myself")),
    ("gp", _("My GP can refer me")),
    ("professional", _("A professional can refer me")),
]


class NeedChoiceField(forms.ChoiceField):
    """The needs taxonomy as a select grouped by its top-level terms; the value is the term's uuid."""

    default_error_messages = {"invalid_choice": _("Choose a need from the list.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=(), **kwargs)

    def choices_for(self, terms: QuerySet[TaxonomyTerm]) -> list[Any]:
        rows = list(terms.values_list("id", "uuid", "name", "parent_id"))
        children: dict[int | None, list[tuple[int, str, str]]] = {}
        for term_id, uuid, name, parent_id in rows:
            children.setdefault(parent_id, []).append((term_id, str(uuid), name))
        choices: list[Any] = [("", _("Any need"))]
        for term_id, term_uuid, name in sorted(children.get(None, []), key=lambda row: row[2].casefold()):
            below = self._descendants(term_id, children, depth=0)
            if below:
                everything = _("%(need)s (all)") % {"need": name}
                choices.append((name, [(term_uuid, everything), *below]))
            else:
                choices.append((term_uuid, name))
        return choices

    def _descendants(
        self, term_id: int, children: dict[int | None, list[tuple[int, str, str]]], depth: int
    ) -> list[tuple[str, str]]:
        """Children and their children, indented with a dash so the hierarchy reads in a flat list."""
        rows: list[tuple[str, str]] = []
        for child_id, child_uuid, child_name in sorted(children.get(term_id, []), key=lambda row: row[2].casefold()):
            rows.append((child_uuid, f"{'– ' * depth}{child_name}"))
            rows.extend(self._descendants(child_id, children, depth + 1))
        return rows


class WardChoiceField(forms.ModelChoiceField):
    """Wards by ONS code in the address bar, by name in the list."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


# --- The filters' lists, kept while the reference data is unchanged ----------------------------------------------

# The lists of needs, languages, communities and wards are the same on every search until one of those records
# changes, and building them was a good part of a search page's time. Every change to them (saved, deleted, or
# created in bulk with its history) adds a history row, so the newest history ids say whether a kept list is still
# current: one cheap query a request, and no list is ever shown stale, in any process. Signals clear this process's
# lists as well (see ``directory.signals``), for changes rolled back and redone under the same ids. The postcode the
# search box's hint names is kept with them: it follows from the postcodes and the places (never a private one's).
_REFERENCE_MODELS: tuple[type[Model], ...] = (TaxonomyTerm, Language, Community, Area, Location)
_kept_lists: dict[tuple[Any, ...], dict[str, Any]] = {}
# Each filter's drawn form group, by the lists' key, the filter and its values in the address bar.
_kept_groups: dict[tuple[Any, ...], SafeString] = {}
_KEPT_GROUPS_MAX = 2000  # a few hundred in practice: one per option of each list
FILTER_FIELDS = ("need", "language", "community", "ward", "referral", "open_now", "free")
_kept_lock = threading.Lock()


def forget_filter_lists(**kwargs: Any) -> None:
    """Drop this process's kept filter lists (a receiver for saves and deletes of reference data)."""
    with _kept_lock:
        _kept_lists.clear()
        _kept_groups.clear()


@functools.cache
def _reference_version_sql(vendor: str) -> str:
    """The query for ``_reference_version`` (built once: reaching a model's history manager is not cheap)."""
    tables = [model.history.model._meta.db_table for model in _REFERENCE_MODELS]  # type: ignore[attr-defined]
    # Constant SQL: the table names come from the models, never from a request.
    newest = [("history_id", table) for table in tables]
    # Postcodes keep no history; they are loaded, never renamed, so the newest id says whether any were added.
    newest.append(("id", Postcode._meta.db_table))
    columns = ", ".join(f"(SELECT MAX({column}) FROM {connection.ops.quote_name(table)})" for column, table in newest)  # noqa: S608
    return f"SELECT {columns}"


def _reference_version() -> tuple[Any, ...]:
    """The newest history id of each kind of reference data the filters list, and of the places and postcodes the
    postcode hint is chosen from."""
    with connection.cursor() as cursor:
        cursor.execute(_reference_version_sql(connection.vendor))
        return tuple(cursor.fetchone())


class ServiceSearchForm(forms.Form):
    """One search box, a postcode, and the filters. Every field is optional: an empty form lists everything."""

    mark_optional_fields = False

    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Search for 200 characters or fewer.")},
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        help_text=_("Shows the nearest first"),
        error_messages={"max_length": _("Enter a postcode, like SW1A 1AA.")},
    )
    need = NeedChoiceField(label=_("Need"), required=False)
    language = forms.ModelChoiceField(
        label=_("Language spoken"),
        queryset=Language.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Any language"),
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    community = forms.ModelChoiceField(
        label=_("Community served"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("Any community"),
        error_messages={"invalid_choice": _("Choose a community from the list.")},
    )
    ward = WardChoiceField(
        label=_("Ward"),
        queryset=Area.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Any ward"),
        error_messages={"invalid_choice": _("Choose a ward from the list.")},
    )
    referral = forms.ChoiceField(
        label=_("How to get in"),
        choices=REFERRAL_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Choose a way in from the list.")},
    )
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    free = forms.BooleanField(label=_("Free to use"), required=False)

    # The filters sit beside the results, not inside the search form's element (the results hold forms of their
    # own, and forms cannot nest), so every control names its form.
    html_id = "search-form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            form_field.widget.attrs["form"] = self.html_id
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.fields["postcode"].widget.attrs.update(
            {"autocomplete": "postal-code", "spellcheck": "false", "class": "nhsuk-input--width-10"}
        )
        self._set_queryset("language", Language.objects.order_by("name"))
        self._set_queryset("community", Community.objects.order_by("name"))
        # Wards of the latest boundary year only, so a ward code names one ward.
        latest = Area.objects.filter(area_type=AreaType.WARD).order_by("-vintage").values("vintage")[:1]
        self._set_queryset("ward", Area.objects.filter(area_type=AreaType.WARD, vintage=Subquery(latest)))
        # The lists shown come from what is kept; a chosen value is still checked against the database.
        kept = self._filter_lists()
        self._set_postcode_example(kept["postcode_example"])
        for name in ("need", "language", "community", "ward"):
            # Kept already normalised: set as Django's choices setter would, without walking the lists again.
            field = self.fields[name]
            field._choices = field.widget._choices = kept[name]  # type: ignore[attr-defined]

    def _filter_lists(self) -> dict[str, Any]:
        """The options of the needs, languages, communities and wards lists, and the postcode the hint names, built
        once per change of the reference data or the places (and per language of the page, as the lists hold
        translated words)."""
        key = self.lists_key = (get_language(), *_reference_version())
        with _kept_lock:
            kept = _kept_lists.get(key)
        if kept is not None:
            return kept
        need_field = self.fields["need"]
        assert isinstance(need_field, NeedChoiceField)
        built: dict[str, Any] = {
            "need": normalize_choices(need_field.choices_for(TaxonomyTerm.objects.all())),
            "postcode_example": example_postcode(),
        }
        for name in ("language", "community", "ward"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            # The same values and labels the field's own iterator gives, as plain strings.
            built[name] = normalize_choices([(str(value), label) for value, label in field.iterator(field)])
        with _kept_lock:
            _kept_lists.clear()  # only the current version is worth keeping
            _kept_groups.clear()
            _kept_lists[key] = built
        return built

    @cached_property
    def filter_groups(self) -> dict[str, SafeString]:
        """Each filter's form group (label, hint, error and control) as HTML, for the filters' template."""
        return {name: self._filter_group(name) for name in FILTER_FIELDS}

    def _filter_group(self, name: str) -> SafeString:
        """A filter's markup follows only from the lists, the page's language and its values in the address bar,
        so it is drawn once for each and kept; a filter in error is always drawn afresh."""
        bound = self[name]
        values = getattr(self.data, "getlist", None)
        if not self.is_bound or values is None or bound.errors:
            return bound.as_field_group()
        key = (type(self), self.lists_key, name, tuple(values(name)))
        with _kept_lock:
            kept = _kept_groups.get(key)
        if kept is None:
            kept = bound.as_field_group()
            with _kept_lock:
                if len(_kept_groups) >= _KEPT_GROUPS_MAX:
                    _kept_groups.clear()
                _kept_groups[key] = kept
        return kept

    def _set_postcode_example(self, example: str) -> None:
        """Hint and errors name a postcode that is in the loaded data (so trying it finds something nearby);
        with no postcodes loaded, a well-known one."""
        self.invalid_postcode_message: Any = _("Enter a postcode, like SW1A 1AA, or the first half of one, like SW1A.")
        if not example:
            return
        names = {"postcode": example, "district": example.split(" ")[0]}
        field = self.fields["postcode"]
        field.help_text = _("Shows the nearest first. For example, %(postcode)s") % names
        field.error_messages["max_length"] = _("Enter a postcode, like %(postcode)s.") % names
        self.invalid_postcode_message = (
            _("Enter a postcode, like %(postcode)s, or the first half of one, like %(district)s.") % names
        )

    def _set_queryset(self, name: str, queryset: QuerySet) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def clean_q(self) -> str:
        return " ".join(str(self.cleaned_data["q"]).replace("\x00", "").split())

    def clean_postcode(self) -> str:
        """A full postcode, normalised ("zx11aa" → "ZX1 1AA"), or just its first half ("ZX1")."""
        raw = str(self.cleaned_data["postcode"]).strip()
        if not raw:
            return ""
        compact = re.sub(r"\s+", "", raw).upper()
        if _DISTRICT_SHAPE.match(compact):
            return compact
        try:
            return normalise_postcode(raw)
        except ValueError:
            raise forms.ValidationError(self.invalid_postcode_message, code="invalid") from None

    def clean_need(self) -> TaxonomyTerm | None:
        value = self.cleaned_data["need"]
        return TaxonomyTerm.objects.filter(uuid=value).first() if value else None

    @property
    def search_text(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""

    @property
    def search_postcode(self) -> str:
        return self.cleaned_data.get("postcode", "") if self.is_valid() else ""

    def filters(self) -> SearchFilters:
        """The chosen filters for ``search.search_services``; call after ``is_valid()``."""
        data = self.cleaned_data
        return SearchFilters(
            need=data.get("need"),
            language=data.get("language"),
            community=data.get("community"),
            ward=data.get("ward"),
            referral=data.get("referral", ""),
            open_now=bool(data.get("open_now")),
            free=bool(data.get("free")),
        )

    @property
    def filters_in_use(self) -> bool:
        """Whether any filter beside the search box narrows the list (the filters then start unfolded)."""
        if not self.is_valid():
            return False
        return any(self.cleaned_data.get(name) for name in self.fields if name not in {"q", "postcode"})


class ShortlistNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes for the person"),
        required=False,
        max_length=MAX_NOTES_LENGTH,
        help_text=_("Printed above the services, for example what to try first. Do not write their name here."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    mark_optional_fields = False

    def clean_notes(self) -> str:
        return str(self.cleaned_data["notes"]).replace("\x00", "").strip()
