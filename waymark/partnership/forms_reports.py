"""The report form: what a consultation heard and what will be done, and what it produced and feeds. Each
picker offers only rows the person sees; ``partnership.services.reports`` keeps the links they do not."""

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import PlainErrorsMixin
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.models import Consultation
from waymark.plans.models import Action
from waymark.voice.models import FeedbackItem, Issue

# Feedback a consultation produced arrives while it runs and in the months after (write-ups, late returns).
ITEMS_AFTER_THE_END = datetime.timedelta(days=183)
NONE_TO_OFFER = _("None you can see to link.")


class FeedbackItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        words = obj.english_summary or obj.text
        words = words if len(words) <= 80 else words[:79] + "…"
        return f"{obj.reference} ({obj.received_on:%d %b %Y}): {words}"


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title} ({obj.objective.plan.title})"


class ConsultationReportForm(PlainErrorsMixin, forms.Form):
    report_summary = forms.CharField(
        label=_("What we heard and what will be done"),
        help_text=_("In words the public can read: what you asked, what people said, what will change. Name no one."),
        max_length=Consultation._meta.get_field("report_summary").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    report_url = forms.URLField(
        label=_("Link to the full report"),
        help_text=_("A web address starting https://, where the full report is published."),
        max_length=Consultation._meta.get_field("report_url").max_length,
        required=False,
        error_messages={"invalid": _("Enter the link to the full report as a web address, like https://…")},
    )
    produced_items = FeedbackItemChoiceField(
        label=_("Feedback it produced"),
        help_text=_(
            "Feedback recorded from this consultation: what you can see, received from its start to six months "
            "after it ended."
        ),
        queryset=FeedbackItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    produced_issues = forms.ModelMultipleChoiceField(
        label=_("Issues it produced"),
        help_text=_("Issues raised from what people said: those you can see, raised since it started."),
        queryset=Issue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    feeds_actions = ActionChoiceField(
        label=_("Plan actions it feeds"),
        help_text=_("The race equality plan actions you can see that answer what was heard."),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mark_reported = forms.BooleanField(
        label=_("Mark the consultation reported"),
        help_text=_("It is closed: once reported, its page and the public page show what was heard and done."),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        items = self.fields["produced_items"]
        issues = self.fields["produced_issues"]
        actions = self.fields["feeds_actions"]
        assert isinstance(items, forms.ModelMultipleChoiceField)
        assert isinstance(issues, forms.ModelMultipleChoiceField)
        assert isinstance(actions, forms.ModelMultipleChoiceField)
        in_window = Q(
            received_on__gte=consultation.starts_on, received_on__lte=consultation.ends_on + ITEMS_AFTER_THE_END
        )
        items.queryset = (
            FeedbackItem.objects.visible_to(user)
            .filter(in_window | Q(pk__in=consultation.produced_items.values("pk")))
            .only("pk", "reference", "received_on", "english_summary", "text")
            .order_by("-received_on", "-pk")
        )
        issues.queryset = (
            Issue.objects.visible_to(user)
            .filter(
                Q(created_at__date__gte=consultation.starts_on) | Q(pk__in=consultation.produced_issues.values("pk"))
            )
            .only("pk", "title")
            .order_by("title", "pk")
        )
        actions.queryset = (
            Action.objects.visible_to(user)
            .select_related("objective__plan")
            .order_by("objective__plan__title", "code", "pk")
        )
        for field in (items, issues, actions):
            offered = field.queryset
            if offered is not None and not offered.exists():  # say so, rather than show an empty list
                field.help_text = NONE_TO_OFFER
        if consultation.status != ConsultationStatus.CLOSED:
            del self.fields["mark_reported"]
        if not self.is_bound:
            self.initial.update(
                {
                    "report_summary": consultation.report_summary,
                    "report_url": consultation.report_url,
                    "produced_items": list(items.queryset.filter(consultations=consultation)),
                    "produced_issues": list(issues.queryset.filter(consultations=consultation)),
                    "feeds_actions": list(actions.queryset.filter(consultations=consultation)),
                }
            )

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "summary": data["report_summary"],
            "url": data["report_url"],
            "items": data["produced_items"],
            "issues": data["produced_issues"],
            "actions": data["feeds_actions"],
            "mark_reported": data.get("mark_reported", False),
        }
