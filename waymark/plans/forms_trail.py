"""Forms of the trail: link an issue to an action, raise a meeting action into a plan action, and say where
an objective came from. They offer only what the user may see; the services write."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import DateField, PlainErrorsMixin
from waymark.core.models import Organisation
from waymark.network.models import Survey
from waymark.plans.choices import PlanStatus
from waymark.plans.models import Action, ActionIssueLink, Objective
from waymark.voice.models import Issue


class IssueLinkForm(PlainErrorsMixin, forms.Form):
    issue = forms.ModelChoiceField(
        label=_("Issue raised by communities"),
        queryset=Issue.objects.none(),
        empty_label=_("Choose an issue"),
        error_messages={"required": _("Choose the issue this action answers")},
    )
    note = forms.CharField(
        label=_("How the action answers it"),
        help_text=_("Shown on the issue's public page. Name no one."),
        max_length=ActionIssueLink._meta.get_field("note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        issue = self.fields["issue"]
        assert isinstance(issue, forms.ModelChoiceField)
        issue.queryset = (
            Issue.objects.visible_to(user).exclude(plan_action_links__action=action).order_by("-created_at", "-pk")
        )


class ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.plan.title}: {obj.code} {obj.title}"


class RaiseMeetingActionForm(PlainErrorsMixin, forms.Form):
    """The plan action a meeting action becomes: under which objective, its number, words, lead and date."""

    objective = ObjectiveChoiceField(
        label=_("Plan and objective"),
        queryset=Objective.objects.none(),
        empty_label=_("Choose an objective"),
        error_messages={"required": _("Choose the objective the action belongs to")},
    )
    code = forms.CharField(
        label=_("Number"),
        max_length=12,
        help_text=_("For example 2.3; unique within the plan."),
        error_messages={"required": _("Give the action a number, for example 2.3")},
    )
    title = forms.CharField(label=_("Action"), max_length=300, error_messages={"required": _("Say what the action is")})
    description = forms.CharField(
        label=_("Description"), max_length=5_000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={"required": _("Choose the organisation that leads the action")},
    )
    due_date = DateField(
        label=_("Due by"),
        subject=_("the date it is due by"),
        error_messages={"required": _("Give the date it is due by")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objective = self.fields["objective"]
        lead_organisation = self.fields["lead_organisation"]
        assert isinstance(objective, forms.ModelChoiceField)
        assert isinstance(lead_organisation, forms.ModelChoiceField)
        objective.queryset = (
            Objective.objects.visible_to(user)
            .exclude(plan__status=PlanStatus.CLOSED)
            .select_related("plan")
            .order_by("plan__title", "order", "code")
        )
        lead_organisation.queryset = Organisation.objects.visible_to(user).filter(active=True).order_by("name")

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in ("code", "title", "description", "lead_organisation", "due_date")
        }


class ObjectiveSourcesForm(PlainErrorsMixin, forms.Form):
    """Where the objective came from, in words the public can read, and the issues and consultations behind it."""

    source_issues = forms.ModelMultipleChoiceField(
        label=_("Issues raised by communities"), queryset=Issue.objects.none(), required=False
    )
    source_surveys = forms.ModelMultipleChoiceField(
        label=_("Consultations (surveys)"), queryset=Survey.objects.none(), required=False
    )
    source_note = forms.CharField(
        label=_("Where it came from"),
        help_text=_("The consultation or feedback that asked for it, in words the public can read. Name no one."),
        max_length=Objective._meta.get_field("source_note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: Any, objective: Objective, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        issues = self.fields["source_issues"]
        surveys = self.fields["source_surveys"]
        assert isinstance(issues, forms.ModelMultipleChoiceField)
        assert isinstance(surveys, forms.ModelMultipleChoiceField)
        # What is already cited stays on offer, so saving never drops what the user cannot see.
        issues.queryset = Issue.objects.filter(
            Q(pk__in=Issue.objects.visible_to(user).values("pk")) | Q(pk__in=objective.source_issues.values("pk"))
        ).order_by("title")
        surveys.queryset = Survey.objects.filter(
            Q(pk__in=Survey.objects.visible_to(user).values("pk")) | Q(pk__in=objective.source_surveys.values("pk"))
        ).order_by("title")
        if not self.is_bound:
            self.initial.update(
                {
                    "source_issues": list(objective.source_issues.all()),
                    "source_surveys": list(objective.source_surveys.all()),
                    "source_note": objective.source_note,
                }
            )
