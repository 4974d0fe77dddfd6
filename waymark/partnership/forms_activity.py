"""The quick activity form a worker fills in on a phone: what, when, how long, which functions it served.
Links to feedback, issues, plan actions, services and events wait under "More details", each picker
offering only rows the worker sees, and only recent ones, so the page stays light. It never saves."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import PlainErrorsMixin
from waymark.core.forms_dates import date_field
from waymark.core.models import Community, Organisation
from waymark.directory.models import Service
from waymark.network.models import Event
from waymark.partnership.choices import CDW_FUNCTION_HELP, CdwFunction
from waymark.partnership.models import Activity
from waymark.partnership.services.activity import ACTIVITY_FIELDS, hours_problem
from waymark.plans.models import Action
from waymark.voice.models import FeedbackItem, Issue

# How many of the latest rows each "More details" picker offers (with any the entry already links).
RECENT_CHOICES = 50
# Events up to this many days ahead count as recent: a worker may log preparing for one.
EVENTS_AHEAD_DAYS = 30
LINK_FIELDS = ("feedback_items", "issues", "plan_actions", "services", "events")


def _recent(visible: QuerySet, order: str, kept: list[int]) -> QuerySet:
    """The latest rows the user sees, and those of ``kept`` (the entry's links) they see, in one query."""
    latest = visible.order_by(order).values("pk")[:RECENT_CHOICES]
    return visible.filter(Q(pk__in=latest) | Q(pk__in=kept))


class LinkChoiceField(forms.ModelMultipleChoiceField):
    """A picker of linked records, each labelled by a function of the record."""

    def __init__(self, *args: Any, label_of: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj: Model) -> str:
        return self.label_of(obj)


class ActivityForm(PlainErrorsMixin, forms.ModelForm):
    """One activity: the quick part first, the links under "More details"."""

    hours = forms.DecimalField(
        label=_("Hours"),
        help_text=_("In quarters of an hour, from 0.25 to 24. For example, 1.5 for an hour and a half."),
        widget=forms.NumberInput(
            attrs={"step": "0.25", "min": "0.25", "max": "24", "inputmode": "decimal", "class": "nhsuk-input--width-4"}
        ),
        error_messages={
            "required": _("Enter the hours the activity took, such as 1.5."),
            "invalid": _("Hours must be a number, such as 1.5."),
        },
    )
    functions = forms.MultipleChoiceField(
        label=_("Which functions did it serve?"),
        help_text=_("Choose every function the activity served. Its hours are shared equally among them."),
        choices=CdwFunction.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one of the four functions the activity served.")},
    )

    class Meta:
        model = Activity
        fields = [
            "date",
            "hours",
            "activity_type",
            "functions",
            "communities",
            "organisations",
            "venue",
            "outcome",
            *LINK_FIELDS,
        ]
        field_classes = {"date": date_field(_("the date of the activity"))}
        widgets = {
            "communities": forms.CheckboxSelectMultiple,
            "organisations": forms.SelectMultiple(attrs={"size": 5}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"activity_type": _("Type of activity")}
        help_texts = {
            "communities": _("The communities the activity was with or for. Those you have worked with come first."),
            "organisations": _("Groups, services or bodies involved. Hold Ctrl (or Cmd) to choose more than one."),
            "venue": _("Where it took place, such as a community centre or a ward."),
            "outcome": _("What came of it, in a sentence or two."),
        }
        error_messages = {
            "date": {"required": _("Enter the date of the activity."), "invalid": _("Enter the date as a real date.")},
            "activity_type": {"required": _("Choose the type of activity.")},
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        instance = self.instance
        if instance.pk is None:
            self.initial.setdefault("date", timezone.localdate())
        else:
            self.initial["functions"] = [function.value for function in instance.functions]
        # The communities the worker has logged activity with come first: on a phone, the few they work with
        # are then at hand rather than scattered through the whole list.
        worked_with = Activity.communities.through.objects.filter(
            activity__worker_id=getattr(user, "pk", None), community_id=OuterRef("pk")
        )
        self.fields["communities"].queryset = (  # type: ignore[attr-defined]
            Community.objects.visible_to(user)
            .only("pk", "name")
            .annotate(worked_with=Exists(worked_with))
            .order_by("-worked_with", "name")
        )
        kept_organisations = list(instance.organisations.values_list("pk", flat=True)) if instance.pk else []
        self.fields["organisations"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.visible_to(user)
            .filter(Q(active=True) | Q(pk__in=kept_organisations))
            .only("pk", "name")
            .order_by("name")
        )
        self._links_kept = {name: self._kept(name) for name in LINK_FIELDS}
        soon = timezone.now() + datetime.timedelta(days=EVENTS_AHEAD_DAYS)
        pickers: dict[str, tuple[QuerySet, str, Any, Any]] = {
            "feedback_items": (
                FeedbackItem.objects.visible_to(user).only("pk", "reference", "received_on"),
                "-received_on",
                _("Feedback items"),
                lambda item: f"{item.reference} ({item.received_on:%d %b %Y})",
            ),
            "issues": (Issue.objects.visible_to(user).only("pk", "title"), "-created_at", _("Issues"), str),
            "plan_actions": (
                Action.objects.visible_to(user).select_related("objective__plan"),
                "-updated_at",
                _("Plan actions"),
                lambda action: f"{action.objective.plan.title}: {action.code} {action.title}",
            ),
            "services": (
                Service.objects.visible_to(user).select_related("organisation"),
                "-updated_at",
                _("Directory services"),
                lambda service: f"{service.name} ({service.organisation.name})",
            ),
            "events": (
                Event.objects.visible_to(user).filter(starts_at__lte=soon).only("pk", "title", "starts_at"),
                "-starts_at",
                _("Network events"),
                lambda event: f"{event.title} ({timezone.localtime(event.starts_at):%d %b %Y})",
            ),
        }
        for name, (visible, order, label, label_of) in pickers.items():
            self.fields[name] = LinkChoiceField(
                queryset=_recent(visible, order, self._links_kept[name]),
                label=label,
                label_of=label_of,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 5}),
                help_text=_("The latest you can see. Hold Ctrl (or Cmd) to choose more than one."),
            )

    def _kept(self, name: str) -> list[int]:
        if self.instance.pk is None:
            return []
        return list(getattr(self.instance, name).values_list("pk", flat=True))

    @property
    def function_options(self) -> list[dict[str, Any]]:
        """The four functions as checkboxes, each with its help, for the template to lay out."""
        chosen = {str(value) for value in (self["functions"].value() or [])}
        return [
            {
                "value": function.value,
                "label": function.label,
                "help": CDW_FUNCTION_HELP[function],
                "checked": function.value in chosen,
                "id": f"id_functions_{index}",
            }
            for index, function in enumerate(CdwFunction)
        ]

    def clean_hours(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        problem = hours_problem(hours)
        if problem:
            raise forms.ValidationError(problem)
        return hours

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date of the activity cannot be in the future."))
        return date

    def activity_data(self) -> dict[str, Any]:
        """The values the service writes on the entry itself: the functions become its four yes/no columns."""
        chosen = set(self.cleaned_data["functions"])
        data = {name: self.cleaned_data[name] for name in ACTIVITY_FIELDS if name in self.cleaned_data}
        data.update({function.value: function.value in chosen for function in CdwFunction})
        return data

    def links(self) -> dict[str, list[Model]]:
        """The records the entry links: those chosen, and any it linked before that the worker no longer sees
        (which the pickers cannot offer, and which must not be lost by saving)."""
        links: dict[str, list[Model]] = {
            "communities": list(self.cleaned_data["communities"]),
            "organisations": list(self.cleaned_data["organisations"]),
        }
        for name in LINK_FIELDS:
            chosen = list(self.cleaned_data[name])
            if self._links_kept[name]:
                field = self.fields[name]
                assert isinstance(field, forms.ModelMultipleChoiceField) and field.queryset is not None
                offered = set(field.queryset.values_list("pk", flat=True))
                unseen = [pk for pk in self._links_kept[name] if pk not in offered]
                chosen += list(field.queryset.model.objects.filter(pk__in=unseen))
            links[name] = chosen
        return links
