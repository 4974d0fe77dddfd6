"""Forms for events: the public registration form and the staff forms that set an event up."""

from collections import Counter
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.core.models import Organisation
from waymark.network.models import Event, Stall, TicketType, Workshop
from waymark.network.registrations import PlaceCount, ticket_counts, workshop_counts


def _places_label(name: str, count: PlaceCount | None) -> str:
    if count is None:
        return name
    if count.free:
        return str(_("%(name)s (%(free)d of %(capacity)d places left)")) % {
            "name": name,
            "free": count.free,
            "capacity": count.capacity,
        }
    return str(_("%(name)s (full: you will join the waiting list)")) % {"name": name}


class RegistrationForm(forms.Form):
    """What a person gives to register. Needs are asked for plainly and kept only until after the event."""

    ticket_type = forms.ModelChoiceField(
        label=_("Which place are you registering for?"),
        queryset=TicketType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose which place you are registering for.")},
    )
    name = forms.CharField(
        label=_("Full name"), max_length=200, error_messages={"required": _("Enter your full name.")}
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send your confirmation here."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.org."),
        },
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    workshops = forms.ModelMultipleChoiceField(
        label=_("Workshops you would like to join"),
        queryset=Workshop.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose at most one workshop in each time slot."),
    )
    access_needs = forms.CharField(
        label=_("Access needs"),
        help_text=_("For example step-free access, a hearing loop or an interpreter. We delete this after the event."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        help_text=_("We delete this after the event."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        tickets = ticket_counts(event)
        workshops = workshop_counts(event)
        ticket_field = self.fields["ticket_type"]
        ticket_field.queryset = event.ticket_types.all()  # type: ignore[attr-defined]
        ticket_field.label_from_instance = lambda ticket: _places_label(ticket.name, tickets.get(ticket.pk))  # type: ignore[attr-defined]
        workshop_field = self.fields["workshops"]
        workshop_field.queryset = event.workshops.all()  # type: ignore[attr-defined]
        workshop_field.label_from_instance = lambda workshop: _places_label(  # type: ignore[attr-defined]
            f"{workshop.title}, {workshop.slot}", workshops.get(workshop.pk)
        )
        if not workshop_field.queryset.exists():  # type: ignore[attr-defined]
            del self.fields["workshops"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        slots = Counter(workshop.slot for workshop in cleaned.get("workshops") or [])
        clashing = sorted(slot for slot, count in slots.items() if count > 1)
        if clashing:
            self.add_error(
                "workshops",
                _("You chose more than one workshop in the same time slot (%(slots)s). Choose one.")
                % {"slots": ", ".join(clashing)},
            )
        return cleaned


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "description", "venue", "starts_at", "ends_at", "network", "status", "registration_open"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput(), "description": forms.Textarea}
        help_texts = {"starts_at": _("Date and time, UK time."), "ends_at": _("Date and time, UK time.")}


class TicketTypeForm(forms.ModelForm):
    class Meta:
        model = TicketType
        fields = ["name", "description", "capacity", "order"]


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["title", "description", "slot", "capacity"]


class StallForm(forms.ModelForm):
    class Meta:
        model = Stall
        fields = ["organisation", "table", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]


class CheckInSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a person by name, e-mail or organisation"), required=False, max_length=200)
