"""Staff forms for the directory: services with their contacts, opening times and holiday exceptions,
locations and funding sources. They check and tidy what people type; ``directory.services`` writes."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.forms.boundfield import BoundField
from django.forms.formsets import BaseFormSet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from waymark.accounts.models import RoleGrant, User
from waymark.core.forms import PHONE_NUMBER, DateField, PlainErrorsMixin
from waymark.core.forms_dates import date_field
from waymark.core.models import Community, Language, Organisation
from waymark.core.policy import has_role, organisation_ids
from waymark.core.postcodes import normalise_postcode
from waymark.core.roles import Role
from waymark.core.templatetags.nhsuk import error_target_id
from waymark.directory.choices import LocationVisibility, Weekday
from waymark.directory.models import FundingSource, Location, Service, TaxonomyTerm
from waymark.directory.public import example_postcode

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
EMAIL_WIDGET = forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"})
PHONE_WIDGET = forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})
EMAIL_INVALID = _("Enter an e-mail address in the correct format, like name@example.org")


def without_empty_choice(choices: Any) -> list[tuple[Any, Any]]:
    """A field's choices without Django's "---------" option, for radios and lists that word it themselves."""
    return [choice for choice in choices if choice[0] != ""]


def clean_phone_number(value: str) -> str:
    """A UK or international phone number, as people write it, with 7 to 15 digits."""
    value = value.strip()
    digits = sum(character.isdigit() for character in value)
    if value and (not PHONE_NUMBER.match(value) or not 7 <= digits <= 15):
        raise forms.ValidationError(_("Enter a phone number, like 020 7946 0000 or +44 20 7946 0000"))
    return value


def record_owner_choices(user: Any, organisation: Organisation, current_owner_id: int | None = None) -> QuerySet[User]:
    """Who may be named as a record's owner: people who keep records today (for a responder, only the people
    of that organisation), and whoever owns it now, so an unrelated edit never fails on a departed owner."""
    grants = RoleGrant.objects.current().filter(role__in=[Role.STAFF, Role.RESPONDER, Role.ADMIN])
    if not has_role(user, Role.STAFF, Role.ADMIN):
        grants = grants.filter(organisation=organisation)
    keepers = Q(pk__in=grants.values("user_id"), is_active=True)
    if current_owner_id is not None:
        keepers |= Q(pk=current_owner_id)
    return User.objects.filter(keepers).order_by("full_name", "username")


class OrganisationChoiceForm(forms.Form):
    """The first step of adding a service: whose service it is."""

    mark_optional_fields = False
    organisation = forms.ModelChoiceField(
        label=_("Which organisation runs the service?"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        empty_label=_("Select an organisation"),
        error_messages={
            "required": _("Select the organisation that runs the service"),
            "invalid_choice": _("Select the organisation that runs the service"),
        },
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations


def organisations_for_new_records(user: Any) -> QuerySet[Organisation]:
    """Organisations the user may add services and locations for: any for staff, their own for a responder."""
    organisations = Organisation.objects.visible_to(user).filter(active=True).order_by("name")
    if has_role(user, Role.STAFF, Role.ADMIN):
        return organisations
    return organisations.filter(pk__in=organisation_ids(user, Role.RESPONDER))


class GroupedTermsMixin:
    """Needs shown as checkboxes under their top-level term, so a long taxonomy stays readable."""

    @property
    def need_groups(self) -> list[tuple[str, list[Any]]]:
        field = cast(forms.ModelMultipleChoiceField, self.fields["categories"])  # type: ignore[attr-defined]
        terms = {str(term.pk): term for term in cast(QuerySet[TaxonomyTerm], field.queryset)}
        groups: dict[str, list[Any]] = {}
        for option in self["categories"]:  # type: ignore[index]
            term = terms.get(str(option.data["value"]))
            root = term
            while root is not None and root.parent_id is not None:
                root = terms.get(str(root.parent_id))
            groups.setdefault(root.name if root else "", []).append(option)
        return list(groups.items())


class ServiceForm(GroupedTermsMixin, PlainErrorsMixin, forms.ModelForm):
    """Every field of a service, in the groups the page shows them, plus the places it runs at."""

    FIELDSETS: list[tuple[Promise, list[str]]] = [
        (
            _("About the service"),
            ["name", "alternate_name", "description", "categories", "url", "email", "phone", "volunteer_reliance"],
        ),
        (
            _("Who it is for"),
            ["eligibility_description", "minimum_age", "maximum_age", "is_free", "fees_description"],
        ),
        (
            _("How to get in"),
            ["self_referral", "professional_referral", "gp_referral", "application_process"],
        ),
        (_("Languages and communities"), ["languages", "interpreter_available", "communities"]),
        (_("Accessibility"), ["accessibility_description"]),
        (_("Where it runs"), ["locations"]),
        (_("Status and publishing"), ["status", "published"]),
        (_("Staff only"), ["internal_notes", "owner"]),
    ]
    M2M_FIELDS = ("categories", "languages", "communities")

    locations = forms.ModelMultipleChoiceField(
        label=_("The organisation’s places where it runs"),
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. Leave empty for a service by phone or online only."),
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "alternate_name",
            "description",
            "categories",
            "url",
            "email",
            "phone",
            "volunteer_reliance",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "is_free",
            "fees_description",
            "self_referral",
            "professional_referral",
            "gp_referral",
            "application_process",
            "languages",
            "interpreter_available",
            "communities",
            "accessibility_description",
            "status",
            "published",
            "internal_notes",
            "owner",
        ]
        labels = {
            "name": _("Name of the service"),
            "alternate_name": _("Other name"),
            "description": _("What the service does"),
            "categories": _("Needs it meets"),
            "url": _("Website"),
            "email": _("E-mail address"),
            "phone": _("Phone number"),
            "volunteer_reliance": _("Who runs it"),
            "eligibility_description": _("Who can use it"),
            "minimum_age": _("Youngest age"),
            "maximum_age": _("Oldest age"),
            "is_free": _("It is free to use"),
            "fees_description": _("Costs"),
            "self_referral": _("People can refer themselves"),
            "professional_referral": _("Professionals can refer people"),
            "gp_referral": _("GPs can refer people"),
            "application_process": _("How to get in"),
            "languages": _("Languages spoken by the staff or volunteers"),
            "interpreter_available": _("An interpreter can be arranged"),
            "communities": _("Communities it serves"),
            "accessibility_description": _("Accessibility"),
            "status": _("Status"),
            "published": _("Show this service on the public directory"),
            "internal_notes": _("Internal notes"),
            "owner": _("Record owner"),
        }
        help_texts = {
            "alternate_name": _("A short name, or a name people also know it by."),
            "description": _("In plain words, what someone gets from it."),
            "categories": _("Select all that apply."),
            "url": _("Like https://www.example.org"),
            "eligibility_description": _("For example: women aged 18 and over living in the borough."),
            "minimum_age": _("Leave empty if there is no lower age limit."),
            "maximum_age": _("Leave empty if there is no upper age limit."),
            "fees_description": _("What it costs, and whether help with costs is available."),
            "application_process": _("What someone should do first: phone, drop in, ask their GP, fill in a form."),
            "languages": _("Select all that apply."),
            "communities": _("Select all that apply."),
            "accessibility_description": _(
                "Step-free access, hearing loops, quiet rooms, large print, what to expect on arrival."
            ),
            "published": _("It needs a phone number, e-mail address, website or a way to get in first."),
            "internal_notes": _("Only staff see these. Never write anything here about a person who uses it."),
            "owner": _("Who keeps this record up to date. They are reminded when it needs checking."),
        }
        error_messages = {
            "name": {"required": _("Enter the name of the service")},
            "description": {"required": _("Enter what the service does")},
            "url": {"invalid": _("Enter a website address in the correct format, like https://www.example.org")},
            "email": {"invalid": EMAIL_INVALID},
            "minimum_age": {"invalid": _("Enter the youngest age as a whole number, like 16")},
            "maximum_age": {"invalid": _("Enter the oldest age as a whole number, like 25")},
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "eligibility_description": forms.Textarea(attrs={"rows": 3}),
            "fees_description": forms.Textarea(attrs={"rows": 2}),
            "application_process": forms.Textarea(attrs={"rows": 3}),
            "accessibility_description": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
            "categories": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "communities": forms.CheckboxSelectMultiple,
            "volunteer_reliance": forms.RadioSelect,
            "status": forms.RadioSelect,
            "url": forms.URLInput(attrs={"spellcheck": "false"}),
            "email": EMAIL_WIDGET,
            "phone": PHONE_WIDGET,
            "minimum_age": forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
            "maximum_age": forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        }

    def __init__(self, *args: Any, organisation: Organisation, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.user = user
        categories = cast(forms.ModelMultipleChoiceField, self.fields["categories"])
        categories.queryset = TaxonomyTerm.objects.visible_to(user).order_by("taxonomy_id", "name")
        cast(forms.ModelMultipleChoiceField, self.fields["languages"]).queryset = Language.objects.order_by("name")
        cast(forms.ModelMultipleChoiceField, self.fields["communities"]).queryset = Community.objects.order_by("name")
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = record_owner_choices(user, organisation, self.instance.owner_id)
        owner.empty_label = _("Nobody yet")
        locations = cast(forms.ModelMultipleChoiceField, self.fields["locations"])
        locations.queryset = Location.objects.filter(organisation=organisation).order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["locations"] = list(self.instance.locations.values_list("pk", flat=True))
        for name in ("volunteer_reliance", "status"):
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = without_empty_choice(field.choices)

    @property
    def fieldsets(self) -> list[tuple[Promise, list[BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])

    def service_data(self) -> dict[str, Any]:
        """The cleaned values to hand to ``services.create_service`` / ``update_service``."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[union-attr]
        for name in self.M2M_FIELDS:
            data[name] = list(data[name])
        return data

    def chosen_locations(self) -> list[Location]:
        return list(self.cleaned_data["locations"])


class NewServiceForm(ServiceForm):
    """Adding a service: warns when it may already be listed, and asks before making a second record."""

    field_order = ["different_service"]  # shown above the other fields, so listed first in the error summary
    different_service = forms.BooleanField(
        label=_("This is a different service"),
        required=False,
        help_text=_("Tick this only if none of the services listed is the one you are adding."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.similar_services: list[Service] = []

    def clean(self) -> dict[str, Any]:
        from waymark.directory.services import find_similar_services

        super().clean()
        name = self.cleaned_data.get("name")
        if name:
            postcodes = [location.postcode for location in self.cleaned_data.get("locations") or []] or [""]
            similar: dict[int, Service] = {}
            for postcode in dict.fromkeys(postcodes):
                candidates = find_similar_services(name, postcode).values("pk")
                visible = Service.objects.visible_to(self.user).filter(pk__in=candidates)
                for service in visible.select_related("organisation"):
                    similar.setdefault(service.pk, service)
            self.similar_services = sorted(similar.values(), key=lambda service: (service.name, service.pk))
        if self.similar_services and not self.cleaned_data.get("different_service"):
            self.add_error(
                "different_service",
                _(
                    "Check whether the service is already listed. "
                    "If it is not one of those shown, tick ‘This is a different service’"
                ),
            )
        return self.cleaned_data


# --- The rows that belong to a service ---------------------------------------------------------


class RowForm(PlainErrorsMixin, forms.Form):
    """One row of a service's contacts, opening times or holiday exceptions.

    Messages are written to follow the row's name in the error summary ("Opening time 2: …"). The hidden
    ``uuid`` ties a row to the record it edits, so an edit keeps the record (and its HSDS id) rather than
    replacing it."""

    uuid = forms.CharField(widget=forms.HiddenInput, required=False)


class ContactForm(RowForm):
    title = forms.CharField(
        label=_("Role"),
        max_length=200,
        help_text=_("For example ‘Duty worker’ or ‘Intake team’."),
        error_messages={"required": _("Enter the role, like ‘Duty worker’")},
    )
    name = forms.CharField(
        label=_("Person’s name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty when a role is enough: names go out of date and are personal data."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=EMAIL_WIDGET,
        error_messages={"invalid": EMAIL_INVALID},
    )
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False, widget=PHONE_WIDGET)
    public = forms.BooleanField(label=_("Show to the public"), required=False, initial=True)

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])


class ScheduleForm(RowForm):
    weekday = forms.ChoiceField(
        label=_("Day"),
        choices=[("", _("Select a day")), *Weekday.choices],
        error_messages={"required": _("Select the day")},
    )
    opens_at = forms.TimeField(
        label=_("Opens"),
        widget=TIME_WIDGET,
        error_messages={"required": _("Enter the opening time"), "invalid": _("Enter the opening time, like 09:30")},
    )
    closes_at = forms.TimeField(
        label=_("Closes"),
        widget=TIME_WIDGET,
        error_messages={"required": _("Enter the closing time"), "invalid": _("Enter the closing time, like 17:00")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=255,
        required=False,
        help_text=_("For example ‘Women only’ or ‘Drop-in, no appointment needed’."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The closing time must be after the opening time"))
        return data


class HolidayExceptionForm(RowForm):
    starts_on = DateField(label=_("First day"), subject=_("the first day"))
    ends_on = DateField(label=_("Last day"), subject=_("the last day"))
    closed = forms.BooleanField(label=_("Closed all day"), required=False, initial=True)
    opens_at = forms.TimeField(
        label=_("Opens (if open)"),
        required=False,
        widget=TIME_WIDGET,
        error_messages={"invalid": _("Enter the opening time, like 10:00")},
    )
    closes_at = forms.TimeField(
        label=_("Closes (if open)"),
        required=False,
        widget=TIME_WIDGET,
        error_messages={"invalid": _("Enter the closing time, like 14:00")},
    )
    notes = forms.CharField(label=_("Notes"), max_length=255, required=False, help_text=_("For example ‘Christmas’."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day must be on or after the first day"))
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if not data.get("closed"):
            if not opens_at and "opens_at" not in self.errors:
                self.add_error("opens_at", _("Enter the opening time, or tick ‘Closed all day’"))
            if not closes_at and "closes_at" not in self.errors:
                self.add_error("closes_at", _("Enter the closing time, or tick ‘Closed all day’"))
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The closing time must be after the opening time"))
        if data.get("closed"):
            data["opens_at"] = data["closes_at"] = None
        return data


class RowFormSet(forms.BaseFormSet):
    """Saved rows get a "Remove" box; the empty rows at the end need none, as they are ignored when left empty."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")


def _row_formset(form: type[RowForm]) -> type[BaseFormSet]:
    return forms.formset_factory(form, formset=RowFormSet, extra=1, can_delete=True, can_delete_extra=False)


ContactFormSet = _row_formset(ContactForm)
ScheduleFormSet = _row_formset(ScheduleForm)
HolidayExceptionFormSet = _row_formset(HolidayExceptionForm)


class ServiceRows:
    """The three lists of rows edited with a service, each a formset with a name people read in errors."""

    # (prefix, formset class, what one row is called, the fields a row holds)
    KINDS: Sequence[tuple[str, type[BaseFormSet], Promise, tuple[str, ...]]] = (
        ("contacts", ContactFormSet, _("Contact"), ("uuid", "title", "name", "email", "phone", "public")),
        ("schedules", ScheduleFormSet, _("Opening time"), ("uuid", "weekday", "opens_at", "closes_at", "notes")),
        (
            "exceptions",
            HolidayExceptionFormSet,
            _("Holiday"),
            ("uuid", "starts_on", "ends_on", "closed", "opens_at", "closes_at", "notes"),
        ),
    )

    def __init__(self, data: Any = None, *, service: Service | None = None) -> None:
        self.formsets: dict[str, BaseFormSet] = {}
        self.nouns: dict[str, Promise] = {}
        for prefix, formset_class, noun, fields in self.KINDS:
            initial = self._initial(service, prefix, fields) if service is not None else []
            self.formsets[prefix] = formset_class(data, prefix=prefix, initial=initial)
            self.nouns[prefix] = noun

    @staticmethod
    def _initial(service: Service, prefix: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
        related = {
            "contacts": service.contacts,
            "schedules": service.schedules,
            "exceptions": service.holiday_exceptions,
        }
        rows = list(related[prefix].values(*fields))  # type: ignore[attr-defined]
        for row in rows:
            row["uuid"] = str(row["uuid"])
        return rows

    def __getitem__(self, prefix: str) -> BaseFormSet:
        return self.formsets[prefix]

    @property
    def sections(self) -> list[tuple[str, BaseFormSet, Promise]]:
        """(prefix, formset, what one row is called), in page order, for the template."""
        return [(prefix, formset, self.nouns[prefix]) for prefix, formset in self.formsets.items()]

    def is_valid(self) -> bool:
        checked = [formset.is_valid() for formset in self.formsets.values()]  # every one, so every error shows
        return all(checked)

    def rows(self, prefix: str) -> list[Mapping[str, Any]]:
        """The cleaned rows to save: filled-in rows not marked for removal. A row keeps its ``uuid`` only if
        it is one of this service's own rows, so an altered page cannot reach another service's records."""
        formset = self.formsets[prefix]
        own = {row["uuid"] for row in formset.initial or []}
        kept: list[Mapping[str, Any]] = []
        for form in formset.forms:
            if form.empty_permitted and not form.has_changed():
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            row = {name: value for name, value in form.cleaned_data.items() if name not in {"DELETE", "uuid"}}
            if form.cleaned_data.get("uuid") in own:
                row["uuid"] = form.cleaned_data["uuid"]
            kept.append(row)
        return kept

    def add_row(self, prefix: str, data: Any) -> None:
        """Show one more empty row of ``prefix`` without checking what has been typed so far."""
        formset = self.formsets[prefix]
        data = data.copy()
        total = f"{formset.prefix}-TOTAL_FORMS"
        data[total] = str(int(data.get(total) or 0) + 1)
        for name, existing in self.formsets.items():
            self.formsets[name] = type(existing)(data, prefix=existing.prefix, initial=existing.initial)

    def error_items(self) -> list[dict[str, str]]:
        """Every row error, named by its row: "Opening time 2: the closing time must be after the opening time"."""
        items = []
        for prefix, formset in self.formsets.items():
            noun = self.nouns[prefix]
            for error in formset.non_form_errors():
                items.append({"text": f"{noun}: {error}", "href": ""})
            for number, form in enumerate(formset.forms, start=1):
                for error in form.non_field_errors():
                    items.append({"text": f"{noun} {number}: {_lower_first(str(error))}", "href": ""})
                for bound_field in form:
                    for error in bound_field.errors:
                        target = error_target_id(bound_field)
                        items.append(
                            {
                                "text": f"{noun} {number}: {_lower_first(str(error))}",
                                "href": f"#{target}" if target else "",
                            }
                        )
        return items


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def skip_validation(*forms_to_show: forms.BaseForm) -> None:
    """Show bound forms as typed without checking them, for the "Add another" buttons.

    A form validates itself the first time its errors are read; marking it as already
    checked, with no errors, lets the page redraw what was typed without an error summary.
    """
    from django.forms.utils import ErrorDict

    for form in forms_to_show:
        form._errors = ErrorDict()  # type: ignore[attr-defined]
        form.cleaned_data = {}


# --- Locations ----------------------------------------------------------------------------------

VISIBILITY_HINTS = {
    LocationVisibility.FULL: _("For public venues such as community centres, clinics and offices."),
    LocationVisibility.DISTRICT: _(
        "For places people should not turn up at unannounced. The public sees only the first half of the "
        "postcode (like ZX1), and the map shows the district, not the building."
    ),
    LocationVisibility.HIDDEN: _(
        "For refuges and groups that meet in someone’s home. The public sees ‘Contact to arrange’ "
        "and the map does not show it."
    ),
}


class LocationForm(PlainErrorsMixin, forms.ModelForm):
    """A place where services run, and how much of it the public may see."""

    class Meta:
        model = Location
        fields = ["name", "description", "address_1", "address_2", "city", "postcode", "step_free_access", "visibility"]
        labels = {
            "name": _("Name of the place"),
            "description": _("Description"),
            "address_1": _("Address line 1"),
            "address_2": _("Address line 2"),
            "city": _("Town or city"),
            "postcode": _("Postcode"),
            "step_free_access": _("There is step-free access"),
            "visibility": _("What the public sees"),
        }
        help_texts = {
            "name": _("For example ‘Canal Road Community Centre’."),
            "description": _("How to find the way in, parking, the nearest bus stop."),
            "postcode": _("Needed unless the place is hidden: it places the location on the map and in its ward."),
        }
        error_messages = {"name": {"required": _("Enter the name of the place")}}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
            "postcode": forms.TextInput(attrs={"spellcheck": "false", "class": "nhsuk-input--width-10"}),
        }

    def __init__(self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visibility = cast(forms.ChoiceField, self.fields["visibility"])
        visibility.choices = without_empty_choice(visibility.choices)
        if organisations is not None:
            self.fields = {
                "organisation": forms.ModelChoiceField(
                    label=_("Which organisation uses this place?"),
                    queryset=organisations,
                    to_field_name="uuid",
                    empty_label=_("Select an organisation"),
                    error_messages={
                        "required": _("Select the organisation that uses this place"),
                        "invalid_choice": _("Select the organisation that uses this place"),
                    },
                ),
                **self.fields,
            }

    @property
    def visibility_options(self) -> list[tuple[Any, Promise]]:
        """Each visibility radio with its plain-words explanation."""
        return [(option, VISIBILITY_HINTS[option.data["value"]]) for option in self["visibility"]]

    @property
    def other_fields(self) -> list[BoundField]:
        return [self[name] for name in self.fields if name != "visibility"]

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"]
        if not value:
            return ""
        try:
            return normalise_postcode(value)
        except ValueError:
            example = example_postcode() or "SW1A 1AA"  # one in the borough's data, when postcodes are loaded
            raise forms.ValidationError(
                _("Enter a full UK postcode, like %(postcode)s") % {"postcode": example}
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needs_postcode = data.get("visibility") != LocationVisibility.HIDDEN
        if needs_postcode and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", _("Enter the postcode, or choose ‘Hidden’ for a place with no address"))
        return data

    def location_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[union-attr]


# --- Funding ------------------------------------------------------------------------------------


class FundingSourceForm(PlainErrorsMixin, forms.ModelForm):
    """Money an organisation or one of its services lives on; staff-only."""

    class Meta:
        model = FundingSource
        fields = ["funder", "funding_type", "service", "amount", "starts_on", "ends_on"]
        labels = {
            "funder": _("Funder"),
            "funding_type": _("Type of funding"),
            "service": _("What it pays for"),
            "amount": _("Amount in pounds"),
            "starts_on": _("Start date"),
            "ends_on": _("End date"),
        }
        help_texts = {
            "funder": _("For example ‘City Council’ or ‘National Lottery Community Fund’."),
            "amount": _("The total for the whole period. Only staff see amounts."),
            "ends_on": _("Leave empty for funding with no end date. The fragility radar watches end dates."),
        }
        error_messages = {
            "funder": {"required": _("Enter the funder")},
            "funding_type": {"required": _("Select the type of funding")},
            "amount": {"invalid": _("Enter the amount in pounds, like 12000 or 12000.50")},
        }
        widgets = {
            "funding_type": forms.RadioSelect,
            "amount": forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
        }
        field_classes = {
            "starts_on": date_field(_("the date the funding starts")),
            "ends_on": date_field(_("the date the funding ends")),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation  # the model's own checks compare the service's organisation
        funding_type = cast(forms.ChoiceField, self.fields["funding_type"])
        funding_type.choices = without_empty_choice(funding_type.choices)
        service = cast(forms.ModelChoiceField, self.fields["service"])
        service.queryset = Service.objects.filter(organisation=organisation).order_by("name")
        service.empty_label = _("The whole organisation")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on: date | None = data.get("starts_on")
        ends_on: date | None = data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must be on or after the start date"))
        return data

    def funding_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[union-attr]
