"""Surveys: build a questionnaire, send personal links and take answers (the results: ``network.survey_results``).

Each recipient gets an invitation with a signed link; answering through it marks the invitation as
answered (under a row lock, so a double click cannot answer twice). For an anonymous survey the response
keeps no link to the invitation and only the day it arrived.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.email import send_email
from waymark.network import mailing
from waymark.network.bulletin_mail import skip_reason
from waymark.network.membership import recipients
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
from waymark.network.survey_results import invitation_token


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
