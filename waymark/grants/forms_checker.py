"""The public eligibility checker: a programme's few yes-or-no questions, asked before the application form so
that nobody spends an evening on a form they cannot win. An answer that rules you out says why, in the words
the programme's staff wrote. Nothing is saved: the checker only reads what was ticked."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.grants.models import EligibilityQuestion

YES = "yes"
NO = "no"


def field_name(question: EligibilityQuestion) -> str:
    return f"q{question.pk}"


class EligibilityCheckForm(forms.Form):
    """One yes/no radio group per question, in the programme's order. Sent by GET: checking is not a change,
    so a refreshed or shared page gives the same answer and nothing needs a token."""

    def __init__(self, questions: list[EligibilityQuestion], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[field_name(question)] = forms.ChoiceField(
                label=question.text,
                choices=[(YES, _("Yes")), (NO, _("No"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer yes or no")},
            )

    def ruled_out(self) -> list[EligibilityQuestion]:
        """The questions whose answer means the group cannot apply (call after ``is_valid``)."""
        ruled = []
        for question in self.questions:
            answer = self.cleaned_data.get(field_name(question))
            if answer and (answer == YES) != question.required_answer:
                ruled.append(question)
        return ruled
