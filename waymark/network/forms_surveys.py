"""Forms for surveys: the builder (survey and question), sending, and the questionnaire people answer."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.network.models import DistributionList, Event, Question, QuestionKind, Survey


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "introduction", "network", "event", "anonymous", "results_public", "status"]


class QuestionForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Answers to choose from"),
        help_text=_("For ‘choose one’ and ‘choose any’ questions: one answer on each line."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    field_order = ["text", "hint", "kind", "options", "required"]

    class Meta:
        model = Question
        fields = ["text", "hint", "kind", "required", "scale_min", "scale_max", "scale_min_label", "scale_max_label"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = QuestionKind.choices  # type: ignore[attr-defined]  # no empty radio button
        if self.instance.pk and not self.is_bound:
            self.initial["options"] = "\n".join(option.label for option in self.instance.options.all())

    def option_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        labels = self.option_labels()
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(labels) < 2:
            self.add_error("options", _("Give at least two answers to choose from, one on each line."))
        if len(labels) != len({label.lower() for label in labels}):
            self.add_error("options", _("Each answer must be different."))
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if kind == QuestionKind.SCALE and low is not None and high is not None and not low < high <= low + 10:
            self.add_error("scale_max", _("The highest score must be above the lowest, and at most 10 more."))
        return cleaned


class SendSurveyForm(forms.Form):
    AUDIENCES = [
        ("list", _("A distribution list")),
        ("event_confirmed", _("Everyone with a confirmed place at an event")),
        ("event_came", _("Only the people who came to an event (checked in)")),
    ]
    audience = forms.ChoiceField(label=_("Who should get it?"), choices=AUDIENCES, widget=forms.RadioSelect)
    distribution_list = forms.ModelChoiceField(
        label=_("Distribution list"), queryset=DistributionList.objects.none(), required=False
    )
    event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.none(), required=False)

    def __init__(self, *args: Any, lists: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["distribution_list"].queryset = lists  # type: ignore[attr-defined]
        self.fields["event"].queryset = events  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        audience = cleaned.get("audience")
        if audience == "list" and not cleaned.get("distribution_list"):
            self.add_error("distribution_list", _("Choose the distribution list to send it to."))
        if audience in ("event_confirmed", "event_came") and not cleaned.get("event"):
            self.add_error("event", _("Choose the event whose attendees should get it."))
        return cleaned


class ResponseForm(forms.Form):
    """The questionnaire itself: one field per question, named ``q<id>``."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.prefetch_related("options"))
        for question in self.questions:
            self.fields[f"q{question.pk}"] = self._field(question)

    @staticmethod
    def _field(question: Question) -> forms.Field:
        common: dict[str, Any] = {
            "label": question.text,
            "help_text": question.hint,
            "required": question.required,
            "error_messages": {"required": _("Answer ‘%(question)s’.") % {"question": question.text}},
        }
        options = [(str(option.pk), option.label) for option in question.options.all()]
        if question.kind == QuestionKind.SINGLE:
            return forms.TypedChoiceField(choices=options, coerce=int, widget=forms.RadioSelect, **common)
        if question.kind == QuestionKind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=options, coerce=int, widget=forms.CheckboxSelectMultiple, **common
            )
        if question.kind == QuestionKind.SCALE:
            choices = []
            for value in question.scale_values():
                label = str(value)
                if value == question.scale_min and question.scale_min_label:
                    label = f"{value}: {question.scale_min_label}"
                elif value == question.scale_max and question.scale_max_label:
                    label = f"{value}: {question.scale_max_label}"
                choices.append((str(value), label))
            return forms.TypedChoiceField(choices=choices, coerce=int, widget=forms.RadioSelect, **common)
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common)

    def answers(self) -> dict[int, Any]:
        return {question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions}
