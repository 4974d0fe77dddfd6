"""Surveys: build a questionnaire, send personal links, take answers, and report the results.

Each recipient gets an invitation with a signed link; answering through it marks the invitation as
answered (under a row lock, so a double click cannot answer twice). For an anonymous survey the response
keeps no link to the invitation and only the day it arrived. Results shown to staff are exact; anything
public goes through core's disclosure control (``core.disclosure.protect_counts``).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import signed_links
from waymark.core.audit import acting_as
from waymark.core.disclosure import PublishedCount, protect_counts
from waymark.core.email import send_email
from waymark.core.spreadsheets import write_csv, write_xlsx
from waymark.network import mailing
from waymark.network.models import (
    Answer,
    DistributionList,
    Event,
    Question,
    QuestionKind,
    QuestionOption,
    Registration,
    RegistrationStatus,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyStatus,
)
from waymark.network.services.bulletins import skip_reason
from waymark.network.services.people import recipients

INVITATION_PURPOSE = "survey-invitation"


class SurveyRefused(Exception):
    """A broken rule, worded for the person: closed, already answered, nothing to send to."""


# --- Building ---------------------------------------------------------------------------------------


def save_survey(*, actor: Any, survey: Survey) -> Survey:
    with transaction.atomic(), acting_as(actor):
        survey.full_clean()
        survey.save()
    return survey


def save_question(*, actor: Any, question: Question, options: Iterable[str] = ()) -> Question:
    """Create or change a question. For choice questions ``options`` (in order) replace the old ones,
    keeping any option whose wording is unchanged so answers already given stay attached to it."""
    labels = [label.strip() for label in options if label.strip()]
    with transaction.atomic(), acting_as(actor):
        if question.pk is None:
            question.order = (question.survey.questions.count() + 1) * 10
        question.full_clean()
        question.save()
        if question.has_options:
            existing = {option.label: option for option in question.options.all()}
            for order, label in enumerate(labels):
                option = existing.pop(label, None) or QuestionOption(question=question, label=label)
                option.order = order
                option.save()
            QuestionOption.objects.filter(pk__in=[option.pk for option in existing.values()]).delete()
        else:
            question.options.all().delete()
    return question


def delete_question(*, actor: Any, question: Question) -> None:
    with transaction.atomic(), acting_as(actor):
        question.delete()


# --- Sending ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    contact: Any = None
    registration: Registration | None = None


@dataclass
class SendSummary:
    sent: int = 0
    already_invited: int = 0
    skipped: Counter = field(default_factory=Counter)


def list_recipients(distribution_list: DistributionList, summary: SendSummary) -> list[Recipient]:
    """The list's people who may be e-mailed; the others are counted in ``summary.skipped`` by reason."""
    chosen = []
    for contact in recipients(distribution_list):
        reason = skip_reason(contact)
        if reason:
            summary.skipped[reason] += 1
        else:
            chosen.append(Recipient(email=contact.email, name=contact.name, contact=contact))
    return chosen


def event_recipients(event: Event, *, came_only: bool) -> list[Recipient]:
    """People with a confirmed place at the event (only those checked in, with ``came_only``)."""
    rows = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).order_by("name", "pk")
    if came_only:
        rows = rows.filter(checked_in_at__isnull=False)
    return [Recipient(email=row.email, name=row.name, registration=row) for row in rows if row.email]


def send_survey(
    *,
    survey: Survey,
    actor: Any,
    distribution_list: DistributionList | None = None,
    event: Event | None = None,
    came_only: bool = False,
) -> SendSummary:
    """Invite a list's people or an event's attendees. Sending again only invites people not yet invited."""
    if survey.status != SurveyStatus.OPEN:
        raise SurveyRefused(_("Open the survey before sending it."))
    summary = SendSummary()
    if distribution_list is not None:
        chosen = list_recipients(distribution_list, summary)
    elif event is not None:
        chosen = event_recipients(event, came_only=came_only)
    else:
        raise SurveyRefused(_("Choose a distribution list or an event to send the survey to."))
    with transaction.atomic(), acting_as(actor):
        already = {email.lower() for email in survey.invitations.values_list("email", flat=True)}
        for person in chosen:
            if person.email.lower() in already:
                summary.already_invited += 1
                continue
            already.add(person.email.lower())
            invitation = SurveyInvitation.objects.create(
                survey=survey,
                email=person.email,
                name=person.name,
                contact=person.contact,
                registration=person.registration,
            )
            _send_invitation(invitation, distribution_list)
            summary.sent += 1
    return summary


def _send_invitation(invitation: SurveyInvitation, distribution_list: DistributionList | None) -> None:
    survey = invitation.survey
    context: dict[str, Any] = {
        "survey": survey,
        "name": invitation.name,
        "respond_url": f"{settings.SITE_URL}{reverse('network:survey_respond', args=[invitation_token(invitation)])}",
        "question_count": survey.questions.count(),
    }
    headers: dict[str, str] = {}
    if invitation.contact is not None:
        # Sent to a network contact: the same one-click unsubscribe and manage links as a bulletin.
        context |= mailing.email_context(invitation.contact, distribution_list)
        headers = mailing.bulletin_headers(invitation.contact, distribution_list)
    send_email(
        to=invitation.email,
        template="network_survey_invitation",
        context=context,
        dedupe_key=f"network-survey:{survey.uuid}:{invitation.pk}",
        headers=headers,
    )


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


# --- Answering ----------------------------------------------------------------------------------------


def submit_response(*, invitation: SurveyInvitation, answers: Mapping[int, Any]) -> SurveyResponse:
    """Record one person's answers, once. ``answers`` maps question id to an option id, a list of option
    ids, a scale value or text, as cleaned by the survey form."""
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
        survey = locked.survey
        if survey.status != SurveyStatus.OPEN:
            raise SurveyRefused(_("This survey is closed."))
        if locked.responded_at is not None:
            raise SurveyRefused(_("You have already answered this survey. Thank you."))
        now = timezone.now()
        response = SurveyResponse.objects.create(
            survey=survey,
            invitation=None if survey.anonymous else locked,
            submitted_on=timezone.localdate(now),
        )
        rows = []
        for question in survey.questions.all():
            value = answers.get(question.pk)
            if value in (None, "", []):
                continue
            if question.kind == QuestionKind.MULTIPLE:
                rows += [Answer(response=response, question=question, option_id=option) for option in value]
            elif question.kind == QuestionKind.SINGLE:
                rows.append(Answer(response=response, question=question, option_id=value))
            elif question.kind == QuestionKind.SCALE:
                rows.append(Answer(response=response, question=question, scale_value=value))
            else:
                rows.append(Answer(response=response, question=question, text=value))
        Answer.objects.bulk_create(rows)
        locked.responded_at = now
        locked.save(update_fields=["responded_at"])
    return response


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


def export_csv(survey: Survey) -> bytes:
    header, rows = export_rows(survey)
    text = write_csv(header, rows)
    return text.encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def export_xlsx(survey: Survey) -> bytes:
    header, rows = export_rows(survey)
    return write_xlsx(_("Responses"), header, rows)
