"""Forms for grant reports: record one (its questions' answers, the story, whether it was a conversation) and
skip one with a reason. They check and tidy what people type; ``services.reports`` writes."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import DateField, PlainErrorsMixin
from waymark.grants.models import GrantReport
from waymark.grants.services.reports import ANSWER_LIMIT, SKIP_REASON_LIMIT, STORY_LIMIT


class RecordReportForm(PlainErrorsMixin, forms.Form):
    """One answer field per question the report asks (``answer_1`` for the first), then the story. Nothing is
    required here: the service refuses a report with nothing in it, on the story, whichever way it arrives."""

    story = forms.CharField(
        label=_("The group's story"),
        help_text=_("What happened, in the group's words: what went well, what did not, what changed."),
        required=False,
        max_length=STORY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    by_conversation = forms.BooleanField(
        label=_("Staff took this report down in a conversation with the group"),
        help_text=_("A call, a video call or a visit counts as the report."),
        required=False,
    )
    received_on = DateField(label=_("Received on"), subject=_("the date the report was received"))

    def __init__(self, *args: Any, report: GrantReport, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        answers = {
            f"answer_{number}": forms.CharField(
                label=question,
                required=False,
                max_length=ANSWER_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _("Answer %(number)d must be %(limit)d characters or fewer")
                    % {"number": number, "limit": ANSWER_LIMIT}
                },
            )
            for number, question in enumerate(report.questions, start=1)
        }
        self.fields = {**answers, **self.fields}

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("answer_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }


class SkipReportForm(PlainErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why this report is not needed"),
        help_text=_("For example: we visited and saw the work; the group has closed. The reason is kept."),
        max_length=SKIP_REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
