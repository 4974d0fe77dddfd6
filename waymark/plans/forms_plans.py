"""Forms for starting and changing a plan, its objectives and the meetings that reviewed it. They check
what people type and never save: ``plans.services.plans`` does the writing."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.choices import OrganisationType
from waymark.core.forms import PlainErrorsMixin
from waymark.core.forms_dates import date_field
from waymark.core.models import Organisation
from waymark.plans.models import Objective, Plan, PlanTemplate
from waymark.plans.services.plans import PLAN_FIELDS

# The kinds of organisation a plan is co-produced with: the voluntary and community sector, and Healthwatch.
COMMUNITY_TYPES = (
    OrganisationType.CHARITY,
    OrganisationType.SOCIAL_ENTERPRISE,
    OrganisationType.FAITH_GROUP,
    OrganisationType.COMMUNITY_GROUP,
    OrganisationType.HEALTHWATCH,
)
MOVE_NOTE_LENGTH = 100  # simple-history's change reason


def _organisations(user: Any, *, keep: Any = (), only: Q | None = None) -> QuerySet[Organisation]:
    """Active organisations the user sees (narrowed by ``only``), and ``keep``: those the plan already
    names, so an edit loses none."""
    seen = Organisation.objects.visible_to(user).filter(active=True)
    if only is not None:
        seen = seen.filter(only)
    return Organisation.objects.filter(Q(pk__in=seen.values("pk")) | Q(pk__in=keep)).order_by("name")


class PlanForm(PlainErrorsMixin, forms.ModelForm):
    """A plan's particulars; its status moves on the plan's page, not here."""

    class Meta:
        model = Plan
        fields = [
            "title",
            "plan_type",
            "owner",
            "partners",
            "co_produced_with",
            "period_start",
            "period_end",
            "review_cycle_months",
            "update_interval_days",
            "board_lead_name",
            "board_lead_role",
            "summary",
        ]
        field_classes = {
            "period_start": date_field(_("the date the plan's period starts")),
            "period_end": date_field(_("the date the plan's period ends")),
        }
        widgets = {
            "co_produced_with": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "partners": _("The organisations that run the plan with the owner. Select all that apply."),
            "board_lead_name": _("The named person at board level who answers for the plan."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.instance
        owner = self.fields["owner"]
        partners = self.fields["partners"]
        co_producers = self.fields["co_produced_with"]
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        assert isinstance(co_producers, forms.ModelMultipleChoiceField)
        saved = plan.pk is not None
        owner.queryset = _organisations(user, keep=[plan.owner_id] if plan.owner_id else [])
        partners.queryset = _organisations(user, keep=plan.partners.values("pk") if saved else [])
        co_producers.queryset = _organisations(
            user, keep=plan.co_produced_with.values("pk") if saved else [], only=Q(org_type__in=COMMUNITY_TYPES)
        )
        co_producers.help_text = _(
            "The community organisations that shaped the plan; they are told when linked actions change."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after the day it starts."))
        return cleaned

    def plan_data(self) -> dict[str, Any]:
        """The particulars the service takes as ``data``."""
        return {name: self.cleaned_data[name] for name in PLAN_FIELDS}

    def relations(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("partners", "co_produced_with")}


class PlanStartForm(PlanForm):
    """Start a plan: a template (PCREF, EDS 2022) gives it its objectives and, unless chosen, its type."""

    template = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=PlanTemplate.objects.order_by("name"),
        required=False,
        empty_label=_("No template: I will write the objectives"),
        blank=True,
        widget=forms.RadioSelect,
        help_text=_("A plan from a template starts with the framework's components or outcomes as its objectives."),
    )

    field_order = ["template"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_type"].required = False
        self.fields["plan_type"].help_text = _("Leave empty to take the template's type.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        template = cleaned.get("template")
        if not cleaned.get("plan_type") and "plan_type" not in self.errors:
            if template is not None:
                cleaned["plan_type"] = template.plan_type
            else:
                self.add_error("plan_type", _("Choose the type of plan, or start from a template."))
        return cleaned


class ObjectiveForm(PlainErrorsMixin, forms.ModelForm):
    """An objective's number, words and place in the plan; where it came from is recorded with its sources."""

    class Meta:
        model = Objective
        fields = ["code", "title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"order": _("Objectives are listed by this number, then by their own number.")}

    def objective_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReviewMeetingsForm(forms.Form):
    """The network meetings that reviewed the plan, from those the user sees and that have taken place."""

    meetings = forms.ModelMultipleChoiceField(
        label=_("Meetings that reviewed it"),
        queryset=Plan._meta.get_field("reviewed_at_meetings").related_model._default_manager.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Meetings that have taken place, newest first. Their minutes go in the evidence pack."),
    )

    def __init__(self, *args: Any, user: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting_model = Plan._meta.get_field("reviewed_at_meetings").related_model
        field = self.fields["meetings"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        seen = meeting_model._default_manager.visible_to(user)  # type: ignore[attr-defined]
        field.queryset = (
            meeting_model._default_manager.filter(
                Q(pk__in=seen.filter(start__lte=timezone.now())) | Q(pk__in=plan.reviewed_at_meetings.values("pk"))
            )
            .select_related("network")
            .order_by("-start", "pk")
        )
        field.label_from_instance = lambda meeting: f"{meeting.network.name}: {meeting}"  # type: ignore[method-assign,assignment]
        if not self.is_bound:
            self.initial["meetings"] = list(plan.reviewed_at_meetings.values_list("pk", flat=True))
