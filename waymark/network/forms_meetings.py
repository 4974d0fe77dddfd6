"""Forms for meetings, agendas, attendance, minutes and actions. They validate; ``network.meetings``
and ``network.minutes`` write."""

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import DateField
from waymark.core.forms_dates import date_field
from waymark.network.ical import LONDON
from waymark.network.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AttendanceStatus,
    Contact,
    Meeting,
    MeetingSeries,
    Membership,
    Network,
)

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def current_members(network: Network) -> QuerySet[Contact]:
    """Contacts who are members of ``network`` today: the people who can present, attend or own an action."""
    return (
        Contact.objects.filter(memberships__in=Membership.objects.current().filter(network=network))
        .distinct()
        .order_by("name", "pk")
    )


class SeriesForm(forms.ModelForm):
    class Meta:
        model = MeetingSeries
        fields = ["title", "recurrence", "interval", "first_date", "start_time", "duration_minutes", "venue"]
        widgets = {
            "recurrence": forms.RadioSelect,
            "start_time": TIME_WIDGET,
            "interval": forms.NumberInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
            "duration_minutes": forms.NumberInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
        }
        field_classes = {"first_date": date_field(_("the date of the first meeting"))}


class SeriesChangeForm(forms.ModelForm):
    """What may change once a series is booked: the dates stay, the time, length and venue can move."""

    class Meta:
        model = MeetingSeries
        fields = ["title", "start_time", "duration_minutes", "venue"]
        widgets = {
            "start_time": TIME_WIDGET,
            "duration_minutes": forms.NumberInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
        }


class MeetingForm(forms.Form):
    """A meeting's date, start and end times in UK local time, turned into aware datetimes."""

    title = forms.CharField(label=_("Title"), max_length=200)
    date = DateField(label=_("Date"), subject=_("the date of the meeting"))
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_WIDGET, help_text=_("UK time, for example 14:00."))
    end_time = forms.TimeField(label=_("End time"), widget=TIME_WIDGET)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict[str, Any]:
        start, end = meeting.start.astimezone(LONDON), meeting.end.astimezone(LONDON)
        return {
            "title": meeting.title,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "venue": meeting.venue,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("The end time must be after the start time."))
            else:
                data["start"] = datetime.datetime.combine(day, start, tzinfo=LONDON)
                data["end"] = datetime.datetime.combine(day, end, tzinfo=LONDON)
        return data

    def meeting_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("title", "start", "end", "venue")}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "service_update", "minutes_allowed"]
        widgets = {
            "minutes_allowed": forms.NumberInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"})
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        presenter = self.fields["presenter"]
        presenter.queryset = current_members(network)  # type: ignore[attr-defined]
        presenter.empty_label = _("Nobody named")  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    """One question per current member: present, sent apologies, or absent."""

    def __init__(self, *args: Any, members: list[Contact], recorded: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        choices = [("", _("Not recorded")), *AttendanceStatus.choices]
        for contact in members:
            self.fields[f"contact_{contact.pk}"] = forms.ChoiceField(
                label=contact.name,
                choices=choices,
                required=False,
                initial=recorded.get(contact.pk, ""),
                widget=forms.RadioSelect,
            )

    def statuses(self) -> dict[Contact, str]:
        return {contact: self.cleaned_data[f"contact_{contact.pk}"] for contact in self.members}


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Markdown: start a line with ## for a heading, - for a list item."),
        error_messages={"required": _("Write the minutes before saving them.")},
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say which part of the minutes you mean, and what should change."),
        error_messages={"required": _("Enter your comment.")},
    )


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_date", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
        }
        field_classes = {"due_date": date_field(_("the date it is due by"))}

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        # Someone who has since left keeps the actions they own.
        owner.queryset = Contact.objects.filter(  # type: ignore[attr-defined]
            Q(pk__in=current_members(network).values("pk")) | Q(pk=self.instance.owner_id)
        ).order_by("name", "pk")
        if self.instance.pk is None:
            self.fields["status"].initial = ActionStatus.OPEN
