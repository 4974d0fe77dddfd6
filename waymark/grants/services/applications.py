"""The applicant's side of an application: start a draft, save it at every step, send it, withdraw it; and the
staff's entry of an application taken by phone, video or on paper.

A draft is saved as it is typed, step by step, and nothing typed is ever dropped: a refusal (an answer over its
word limit, an amount outside the programme's range, dates out of order) changes nothing and names the field and
the limit, and the page shows the refusal beside everything the person typed. Sending checks the whole
application is there, sets the automatic eligibility flags, links the group to its one Organisation and e-mails
a receipt; the e-mails go in the application's language, after the transaction commits.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waymark.core.audit import acting_as
from waymark.core.dates import add_months
from waymark.core.email import send_email
from waymark.core.models import Area, Community
from waymark.core.uploads import check_upload, upload_limits
from waymark.grants.choices import ApplicantKind, ApplicationStatus, Channel, DeiReply
from waymark.grants.drafts import draft_url
from waymark.grants.eligibility import eligibility_flags
from waymark.grants.models import Application, Attachment, Programme
from waymark.grants.services.recipients import match_or_create_organisation, tidy_registered_number
from waymark.grants.words import count_words
from waymark.grants.workflow import check_move

# The kinds of file an application may carry: documents, spreadsheets and photos.
ATTACHMENT_KINDS = ("pdf", "docx", "odt", "doc", "xlsx", "png", "jpg")

# What a draft may change, by name; everything else (status, reference, flags, screening) is not the applicant's.
DRAFT_FIELDS = frozenset(
    {
        "language",
        "applicant_kind",
        "contact_name",
        "contact_email",
        "contact_phone",
        "organisation_name",
        "organisation_type",
        "charity_number",
        "company_number",
        "mutual_number",
        "postcode",
        "project_title",
        "project_summary",
        "amount_requested",
        "starts_on",
        "ends_on",
        "beneficiary_area",
        "communities",
        "answers",
        "dei_reply",
        "dei_codes",
        "dei_may_publish",
    }
)
REGISTERED_NUMBERS = ("charity_number", "company_number", "mutual_number")
# How far ahead a project may start: beyond this a date is a typing slip (2207 for 2027).
LATEST_START_YEARS = 3
LONGEST_PROJECT_YEARS = 5


def answer_field(key: str) -> str:
    """The form field (and refusal key) an answer to the question ``key`` is shown in."""
    return f"answer_{key}"


def _next_reference(programme: Programme) -> str:
    """The programme's code and a number one higher than its last application's: read under the programme's
    row lock, so two people starting at once get different numbers."""
    prefix = programme.code.upper()[:24]
    last = (
        Application.objects.filter(programme=programme, reference__startswith=f"{prefix}-")
        .order_by("-pk")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    reference = f"{prefix}-{number:04d}"
    while Application.objects.filter(reference=reference).exists():
        number += 1
        reference = f"{prefix}-{number:04d}"
    return reference


def _check_language(programme: Programme, language: str) -> None:
    if language not in programme.offered_languages:
        raise ValidationError({"language": _("This programme's form is not offered in that language.")})


def _check_open(programme: Programme, *, field: str = "programme") -> None:
    today = timezone.localdate()
    if not programme.published or not programme.opens_on <= today <= programme.closes_on:
        raise ValidationError(
            {
                field: _("This programme takes applications from %(opens)s to %(closes)s.")
                % {
                    "opens": date_format(programme.opens_on, "j E Y"),
                    "closes": date_format(programme.closes_on, "j E Y"),
                }
            }
        )


def _send_draft_link(application: Application, *, why: str, actor: Any) -> None:
    with translation.override(application.language):
        send_email(
            to=application.contact_email,
            template="grants_draft_link",
            context={
                "contact_name": application.contact_name,
                "programme_title": application.programme.title,
                "reference": application.reference,
                "closes_on": application.programme.closes_on,
                "draft_url": draft_url(application),
                "asked_again": why != "start",
            },
            dedupe_key=f"grants-draft-link:{application.uuid}:{why}",
            actor=actor,
        )


def start_application(
    *,
    programme: Programme,
    language: str,
    contact_name: str,
    contact_email: str,
    actor: Any = None,
    channel: str = Channel.ONLINE,
) -> Application:
    """A new draft with its reference. Online, the applicant is e-mailed the link back to it at once, so closing
    the browser never loses the application."""
    _check_language(programme, language)
    with transaction.atomic(), acting_as(actor):
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if channel == Channel.ONLINE:
            _check_open(locked)
        application = Application(
            programme=locked,
            reference=_next_reference(locked),
            language=language,
            channel=channel,
            contact_name=(contact_name or "").strip(),
            contact_email=(contact_email or "").strip(),
            entered_by=actor if channel != Channel.ONLINE and getattr(actor, "is_authenticated", False) else None,
        )
        try:
            application.full_clean(exclude=["organisation", "beneficiary_area"])
        except ValidationError as error:
            raise ValidationError(error.message_dict) from None
        application.save()
        if channel == Channel.ONLINE:
            _send_draft_link(application, why="start", actor=actor)
    return application


def _check_answers(programme: Programme, answers: Mapping[str, str]) -> dict[str, str]:
    """The answers tidied (line endings), or a refusal naming each answer over its word limit or unknown."""
    questions = {question.key: question for question in programme.questions.all()}
    errors: dict[str, str] = {}
    tidied: dict[str, str] = {}
    for key, text in answers.items():
        question = questions.get(key)
        if question is None:
            errors[answer_field(key)] = _("This programme asks no question called %(key)s.") % {"key": key}
            continue
        text = str(text or "").replace("\r\n", "\n").replace("\x00", "")
        words = count_words(text)
        if words > question.word_limit:
            errors[answer_field(key)] = ngettext(
                "Your answer has %(count)s words; this question takes at most %(limit)s. Shorten it and save again.",
                "Your answer has %(count)s words; this question takes at most %(limit)s. Shorten it and save again.",
                words,
            ) % {"count": words, "limit": question.word_limit}
        tidied[key] = text
    if errors:
        raise ValidationError(errors)
    return tidied


def _check_amount_and_dates(application: Application) -> None:
    programme = application.programme
    errors: dict[str, str] = {}
    amount = application.amount_requested
    if amount is not None and not programme.minimum_award <= amount <= programme.maximum_award:
        errors["amount_requested"] = _("Ask for between %(low)s and %(high)s.") % {
            "low": f"£{programme.minimum_award:,.0f}",
            "high": f"£{programme.maximum_award:,.0f}",
        }
    today = timezone.localdate()
    if application.starts_on and application.starts_on > add_months(today, 12 * LATEST_START_YEARS):
        errors["starts_on"] = _("The start date must be within %(years)s years from today.") % {
            "years": LATEST_START_YEARS
        }
    if application.starts_on and application.ends_on:
        if application.ends_on < application.starts_on:
            errors["ends_on"] = _("The end date must be the same as or after the start date (%(start)s).") % {
                "start": date_format(application.starts_on, "j E Y")
            }
        elif application.ends_on > add_months(application.starts_on, 12 * LONGEST_PROJECT_YEARS):
            errors["ends_on"] = _("A project here lasts at most %(years)s years from its start.") % {
                "years": LONGEST_PROJECT_YEARS
            }
    if errors:
        raise ValidationError(errors)


def save_draft(application: Application, *, actor: Any = None, **fields: Any) -> Application:
    """Save what the applicant typed on one step. Answers merge by question key, so one step never blanks
    another's; a refusal saves nothing and names the field and its limit."""
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise TypeError(f"save_draft() cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic(), acting_as(actor):
        locked = Application.objects.select_for_update().select_related("programme").get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            raise ValidationError(
                _("This application was sent on %(date)s and can no longer be changed.")
                % {
                    "date": date_format(timezone.localtime(locked.submitted_at), "j E Y")
                    if locked.submitted_at
                    else "–"
                }
            )
        if "language" in fields:
            _check_language(locked.programme, fields["language"])
        communities: Iterable[Community] | None = fields.pop("communities", None)
        answers = fields.pop("answers", None)
        for name in REGISTERED_NUMBERS:
            if name in fields:
                fields[name] = tidy_registered_number(name, fields[name] or "")
        for name in (
            "contact_name",
            "contact_email",
            "contact_phone",
            "organisation_name",
            "postcode",
            "project_title",
        ):
            if name in fields and isinstance(fields[name], str):
                fields[name] = fields[name].strip()
        if "postcode" in fields:
            fields["postcode"] = fields["postcode"].upper()
        if "amount_requested" in fields and fields["amount_requested"] not in (None, ""):
            fields["amount_requested"] = Decimal(str(fields["amount_requested"]))
        if "beneficiary_area" in fields and isinstance(fields["beneficiary_area"], int):
            fields["beneficiary_area"] = Area.objects.get(pk=fields["beneficiary_area"])
        for name, value in fields.items():
            setattr(locked, name, value)
        if answers is not None:
            locked.answers = {**locked.answers, **_check_answers(locked.programme, answers)}
        try:
            locked.clean_fields(exclude=["organisation", "programme", "entered_by", "screened_by"])
        except ValidationError as error:
            raise ValidationError(error.message_dict) from None
        _check_amount_and_dates(locked)
        locked.save()
        if communities is not None:
            locked.communities.set(communities)
    return locked


def missing_for_submission(application: Application) -> dict[str, str]:
    """What must still be filled in before the application can be sent, by field: the check-answers page lists
    it and ``submit_application`` refuses with it."""
    missing: dict[str, str] = {}
    required = {
        "contact_name": _("Enter your name."),
        "contact_email": _("Enter your e-mail address."),
        "project_title": _("Give your project a title."),
        "project_summary": _("Say what you will do."),
        "amount_requested": _("Say how much you are asking for."),
        "starts_on": _("Say when the project starts."),
        "ends_on": _("Say when the project ends."),
    }
    if application.applicant_kind == ApplicantKind.ORGANISATION:
        required["organisation_name"] = _("Enter the name of your group.")
        required["organisation_type"] = _("Say what kind of group it is.")
    for name, message in required.items():
        if getattr(application, name) in (None, ""):
            missing[name] = message
    for question in application.programme.questions.all():
        if question.required and not str(application.answers.get(question.key, "")).strip():
            missing[answer_field(question.key)] = _("Answer “%(question)s”.") % {"question": question.text}
    return missing


def submit_application(application: Application, *, actor: Any = None) -> Application:
    """Send the draft: complete, within its limits, and before the programme closes (online). Sets the
    eligibility flags, links the group to its Organisation and e-mails a receipt. Sending twice (a double click,
    a refreshed page) changes nothing the second time."""
    with transaction.atomic(), acting_as(actor):
        locked = Application.objects.select_for_update().select_related("programme").get(pk=application.pk)
        if locked.status == ApplicationStatus.SUBMITTED:
            return locked
        check_move(locked.status, ApplicationStatus.SUBMITTED)
        if locked.channel == Channel.ONLINE:
            _check_open(locked.programme)
        missing = missing_for_submission(locked)
        if missing:
            raise ValidationError(missing)
        _check_answers(locked.programme, locked.answers)
        _check_amount_and_dates(locked)
        if locked.dei_codes and not locked.dei_reply:
            locked.dei_reply = DeiReply.REPLY if locked.dei_may_publish else DeiReply.NO_PERMISSION
        elif not locked.dei_reply:
            locked.dei_reply = DeiReply.NO_REPLY
        locked.eligibility_flags = eligibility_flags(locked)
        locked.status = ApplicationStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save()
        match_or_create_organisation(locked, actor=actor)
        with translation.override(locked.language):
            send_email(
                to=locked.contact_email,
                template="grants_application_received",
                context={
                    "contact_name": locked.contact_name,
                    "programme_title": locked.programme.title,
                    "reference": locked.reference,
                    "project_title": locked.project_title,
                    "decision_by": locked.programme.decision_by,
                    "channel_online": locked.channel == Channel.ONLINE,
                },
                dedupe_key=f"grants-received:{locked.uuid}",
                actor=actor,
            )
    return locked


def enter_application(*, programme: Programme, actor: Any, channel: str, **fields: Any) -> Application:
    """A member of staff enters an application taken by phone, video or on paper for the group: saved, marked
    with how it came and who entered it, and sent at once (also after the closing date, when the group had
    asked in time). No draft link is e-mailed: the receipt is."""
    if channel == Channel.ONLINE:
        raise ValidationError(
            {"channel": _("Say how the application was taken: by phone, video, on paper or in person.")}
        )
    with transaction.atomic():
        application = start_application(
            programme=programme,
            language=fields.pop("language", settings.LANGUAGE_CODE),
            contact_name=fields.pop("contact_name", ""),
            contact_email=fields.pop("contact_email", ""),
            actor=actor,
            channel=channel,
        )
        if fields:
            application = save_draft(application, actor=actor, **fields)
        return submit_application(application, actor=actor)


def withdraw_application(application: Application, *, actor: Any = None) -> Application:
    """The applicant (or staff on their behalf) takes the application out of the round, before a decision."""
    with transaction.atomic(), acting_as(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status == ApplicationStatus.WITHDRAWN:
            return locked
        try:
            check_move(locked.status, ApplicationStatus.WITHDRAWN)
        except ValidationError as error:
            raise ValidationError({"status": error.messages}) from None
        locked.status = ApplicationStatus.WITHDRAWN
        locked.save(update_fields=["status", "last_saved_at"])
    return locked


def send_draft_links(*, email: str, actor: Any = None) -> int:
    """The "lost your link?" form: e-mail a fresh link to each draft started with this address. Nothing is sent
    for an address with no draft, and the page says the same either way, so nobody learns who has applied.
    At most one e-mail per draft a minute. Returns how many were sent."""
    drafts = list(
        Application.objects.filter(contact_email__iexact=email.strip(), status=ApplicationStatus.DRAFT)
        .exclude(contact_email="")
        .select_related("programme")
    )
    with transaction.atomic():
        for application in drafts:
            _send_draft_link(application, why=f"again-{timezone.now():%Y%m%d%H%M}", actor=actor)
    return len(drafts)


MAX_ATTACHMENTS = 10


def add_attachment(application: Application, *, title: str, file: Any, actor: Any = None) -> Attachment:
    """Keep a file with the draft, once ``core.uploads`` has checked its type (by its content) and size."""
    try:
        check_upload(file, kinds=ATTACHMENT_KINDS, limits=upload_limits("grant_attachments"))
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    with transaction.atomic(), acting_as(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT and locked.channel == Channel.ONLINE:
            raise ValidationError({"file": _("This application was sent and can no longer be changed.")})
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(
                {"file": _("An application can have at most %(limit)s files.") % {"limit": MAX_ATTACHMENTS}}
            )
        attachment = Attachment(application=locked, title=(title or "").strip())
        try:
            attachment.full_clean(exclude=["file", "application"])
        except ValidationError as error:
            raise ValidationError(error.message_dict) from None
        attachment.file.save(file.name, file, save=False)
        attachment.save()
    return attachment


def remove_attachment(attachment: Attachment, *, actor: Any = None) -> None:
    """Take a file off a draft before it is sent."""
    with transaction.atomic(), acting_as(actor):
        locked = Application.objects.select_for_update().get(pk=attachment.application_id)
        if locked.status != ApplicationStatus.DRAFT:
            raise ValidationError({"file": _("This application was sent and can no longer be changed.")})
        stored = attachment.file.name
        attachment.delete()
        if stored:
            transaction.on_commit(lambda: attachment.file.storage.delete(stored))
