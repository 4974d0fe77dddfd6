"""Reads of surveys: results (exact for staff; for anything public, through core's disclosure control,
``core.disclosure.protect_counts``), the exports of responses, and the personal link that opens a survey.

The writes (building, sending, answering) are ``services.surveys``.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from waymark.core import signed_links
from waymark.core.disclosure import PublishedCount, protect_counts
from waymark.core.file_headers import FileHeader, records_header
from waymark.core.spreadsheets import write_csv, write_xlsx
from waymark.network.models import Answer, Question, QuestionKind, Survey, SurveyInvitation

INVITATION_PURPOSE = "survey-invitation"


# --- Results ------------------------------------------------------------------------------------------


@dataclass
class ResultRow:
    label: str
    count: int
    published: PublishedCount | None = None


@dataclass
class QuestionResult:
    question: Question
    rows: list[ResultRow]
    answered: int
    texts: list[str] = field(default_factory=list)
    answered_published: PublishedCount | None = None

    @property
    def largest(self) -> int:
        return max((row.count for row in self.rows), default=0)


def survey_results(survey: Survey, *, public: bool = False) -> tuple[int, list[QuestionResult]]:
    """Counts per answer for every question, in a fixed number of queries.

    With ``public`` every count (and the number of responses) passes through disclosure control and
    free-text answers are left out: they may name people.
    """
    questions = list(survey.questions.prefetch_related("options"))
    option_counts = dict(
        Answer.objects.filter(question__survey=survey, option__isnull=False)
        .values_list("option_id")
        .annotate(n=Count("pk"))
        .values_list("option_id", "n")
    )
    scale_counts: dict[tuple[int, int | None], int] = {
        (question_id, value): n
        for question_id, value, n in Answer.objects.filter(question__survey=survey, scale_value__isnull=False)
        .values_list("question_id", "scale_value")
        .annotate(n=Count("pk"))
        .values_list("question_id", "scale_value", "n")
    }
    answered = dict(
        Answer.objects.filter(question__survey=survey)
        .values_list("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    texts: dict[int, list[str]] = {}
    if not public:
        for question_id, text in (
            Answer.objects.filter(question__survey=survey).exclude(text="").values_list("question_id", "text")
        ):
            texts.setdefault(question_id, []).append(text)
    total = survey.responses.count()
    results = []
    for question in questions:
        if question.has_options:
            rows = [ResultRow(option.label, option_counts.get(option.pk, 0)) for option in question.options.all()]
        elif question.kind == QuestionKind.SCALE:
            rows = [
                ResultRow(_scale_label(question, value), scale_counts.get((question.pk, value), 0))
                for value in question.scale_values()
            ]
        else:
            rows = []
        result = QuestionResult(question, rows, answered.get(question.pk, 0), texts.get(question.pk, []))
        if public:
            _protect(result)
        results.append(result)
    return total, results


def published_total(total: int) -> PublishedCount:
    """The number of responses as it may be published."""
    _cells, protected = protect_counts({"responses": total})
    return protected


def _protect(result: QuestionResult) -> None:
    if result.rows:
        cells, _total = protect_counts({index: row.count for index, row in enumerate(result.rows)})
        for index, row in enumerate(result.rows):
            row.published = cells[index]
    result.answered_published = published_total(result.answered)


def _scale_label(question: Question, value: int) -> str:
    if value == question.scale_min and question.scale_min_label:
        return f"{value} ({question.scale_min_label})"
    if value == question.scale_max and question.scale_max_label:
        return f"{value} ({question.scale_max_label})"
    return str(value)


# --- Export -------------------------------------------------------------------------------------------


def export_rows(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """One row per response, one column per question (multiple answers joined by "; ")."""
    questions = list(survey.questions.all())
    header = [_("Response"), _("Submitted"), *[question.text for question in questions]]
    if not survey.anonymous:
        header.insert(2, _("E-mail"))
    responses = survey.responses.select_related("invitation").prefetch_related("answers__option")
    rows = []
    for number, response in enumerate(responses, start=1):
        by_question: dict[int, list[str]] = {}
        for answer in response.answers.all():
            if answer.option is not None:
                text = answer.option.label
            elif answer.scale_value is not None:
                text = str(answer.scale_value)
            else:
                text = answer.text
            by_question.setdefault(answer.question_id, []).append(text)
        row: list[Any] = [number, response.submitted_on.isoformat()]
        if not survey.anonymous:
            row.append(response.invitation.email if response.invitation else "")
        row += ["; ".join(by_question.get(question.pk, [])) for question in questions]
        rows.append(row)
    return header, rows


def file_header(survey: Survey) -> FileHeader:
    """Every response as given, exact: never for publication."""
    return records_header(
        _("Responses to %(survey)s") % {"survey": survey.title},
        scope=survey.title,
        grouping=_("One row per response"),
        unsuppressed=True,
    )


def export_csv(survey: Survey) -> bytes:
    header, rows = export_rows(survey)
    text = write_csv(header, rows, header=file_header(survey))
    return text.encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def export_xlsx(survey: Survey) -> bytes:
    header, rows = export_rows(survey)
    return write_xlsx(_("Responses"), header, rows, header=file_header(survey))


# --- Links ------------------------------------------------------------------------------------------


def invitation_token(invitation: SurveyInvitation) -> str:
    """A personal survey link; it works for ``SIGNED_LINK_MAX_AGE_DAYS["survey-invitation"]`` days."""
    return signed_links.make_token(purpose=INVITATION_PURPOSE, subject=f"survey-invitation:{invitation.pk}")


def invitation_from_token(token: str) -> SurveyInvitation:
    """The invitation a token opens; signed_links.LinkRefused when it cannot be used."""
    subject, _data = signed_links.read_token(token, purpose=INVITATION_PURPOSE)
    prefix, _colon, pk = subject.partition(":")
    valid = prefix == "survey-invitation" and pk.isdigit()
    invitation = SurveyInvitation.objects.select_related("survey").filter(pk=pk).first() if valid else None
    if invitation is None:
        raise signed_links.BadLink
    return invitation
