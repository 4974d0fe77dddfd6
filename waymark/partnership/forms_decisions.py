"""The decision form: what was decided, when, where, why and by whom, the evidence and the actions that
follow. Every picker offers only rows the person may see; ``partnership.services.decisions`` writes."""

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import PlainErrorsMixin
from waymark.core.forms_dates import date_field
from waymark.monitoring.models import PublishedSnapshot
from waymark.network.models import Meeting
from waymark.partnership.models import Consultation, Decision, Partnership
from waymark.partnership.services.decisions import DECISION_FIELDS, LINK_FIELDS, partnership_meetings
from waymark.plans.models import Action
from waymark.voice.models import Issue

MANY_HELP = _("Hold Ctrl (or Cmd) to choose more than one.")
# Consultations offered as evidence: the partnership's own, and others from the last few years.
CONSULTATION_YEARS = 3


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}, {timezone.localtime(obj.start):%d/%m/%Y}"


class SnapshotChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} (published {obj.published_on:%d/%m/%Y})"


class ConsultationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.lead_organisation.name}, {obj.starts_on:%m/%Y})"


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.objective.plan.title}: {obj.code} {obj.title}"


def _many(field_class: type[forms.ModelMultipleChoiceField], label: Any, help_text: Any = MANY_HELP) -> Any:
    return field_class(
        label=label,
        queryset=Issue.objects.none(),
        required=False,
        help_text=help_text,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class DecisionForm(PlainErrorsMixin, forms.ModelForm):
    meeting = MeetingChoiceField(
        label=_("Meeting it was taken at"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Not at a meeting"),
        help_text=_("Meetings of the partnership's series, or of the network it meets as."),
    )
    evidence_issues = _many(forms.ModelMultipleChoiceField, _("Issues raised by communities"))
    evidence_snapshots = _many(SnapshotChoiceField, _("Published monitoring figures"))
    evidence_consultations = _many(ConsultationChoiceField, _("Consultations"))
    evidence_actions = _many(ActionChoiceField, _("Plan actions it rests on"))
    following_actions = _many(
        ActionChoiceField,
        _("Plan actions that follow"),
        _("The actions that carry the decision out. Hold Ctrl (or Cmd) to choose more than one."),
    )

    class Meta:
        model = Decision
        fields = [*DECISION_FIELDS, *LINK_FIELDS]
        labels = {
            "decision": _("Decision"),
            "decided_on": _("Date of the decision"),
            "rationale": _("Why"),
            "decided_by": _("Who decided"),
        }
        help_texts = {
            "decision": _("What was decided, in a sentence."),
            "rationale": _("The reasons, and what the evidence showed."),
        }
        widgets = {"rationale": forms.Textarea(attrs={"rows": 5})}
        field_classes = {"decided_on": date_field(_("the date of the decision"))}
        error_messages = {
            "decision": {"required": _("Say what was decided")},
            "decided_on": {
                "required": _("Give the date of the decision"),
                "invalid": _("Give the date of the decision as a real date, for example 27 3 2026"),
            },
            "decided_by": {"required": _("Say who decided: for example the partnership board, by consensus")},
        }

    def __init__(self, *args: Any, user: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        current_meeting = [instance.meeting_id] if instance.meeting_id else []
        self._set_queryset(
            "meeting",
            Meeting.objects.visible_to(user)
            .filter(
                Q(pk__in=partnership_meetings(partnership).filter(start__date__lte=timezone.localdate()).values("pk"))
                | Q(pk__in=current_meeting)
            )
            .order_by("-start"),
        )
        self._set_queryset("evidence_issues", Issue.objects.visible_to(user).order_by("-created_at", "-pk"))
        self._set_queryset("evidence_snapshots", PublishedSnapshot.objects.visible_to(user))
        since = timezone.localdate() - datetime.timedelta(days=365 * CONSULTATION_YEARS)
        linked = instance.evidence_consultations.values("pk") if instance.pk else Consultation.objects.none()
        self._set_queryset(
            "evidence_consultations",
            Consultation.objects.visible_to(user)
            .filter(Q(partnership=partnership) | Q(ends_on__gte=since) | Q(pk__in=linked))
            .select_related("lead_organisation")
            .order_by("-starts_on", "title"),
        )
        actions = Action.objects.visible_to(user).select_related("objective__plan")
        self._set_queryset("evidence_actions", actions.order_by("objective__plan__title", "code"))
        self._set_queryset("following_actions", actions.order_by("objective__plan__title", "code"))
        if not self.is_bound and not instance.pk:
            self.initial.setdefault("decided_on", timezone.localdate())

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def particulars(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DECISION_FIELDS}

    def links(self) -> dict[str, Any]:
        return {name: list(self.cleaned_data[name]) for name in LINK_FIELDS}
