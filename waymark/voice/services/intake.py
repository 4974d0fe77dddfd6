"""Taking feedback in: from the public form and from staff who gathered it at events and outreach (language
detection is queued for after the save), and staff writing the words that may be quoted publicly.

Pages, tasks, the API and the demo all take feedback in through these functions.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.models import Language
from waymark.core.text import refuse_nul_characters
from waymark.voice.choices_items import HowGathered, SourceType
from waymark.voice.models import FeedbackItem, ItemDemographics, new_reference

DEMOGRAPHIC_FIELDS = ("ethnic_group", "age_band", "gender", "disability", "faith")
REFERENCE_ATTEMPTS = 5


def _save_new_item(item: FeedbackItem, relations: dict[str, Iterable[Any]], demographics: dict[str, Any]) -> None:
    """Insert the item (with a fresh reference should a random one ever collide), its relations and demographics,
    and queue language detection (unless a person gave the language) for when the transaction has committed,
    so the page answers at once."""
    refuse_nul_characters(item)
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                save_with_one_history_row(item, relations)
            break
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1 or FeedbackItem.objects.filter(reference=item.reference).count() == 0:
                raise
            item.pk = None
            item._state.adding = True
            item.reference = new_reference()
    answers = {name: demographics.get(name) or ("" if name != "ethnic_group" else None) for name in DEMOGRAPHIC_FIELDS}
    if any(answers.values()):
        ItemDemographics.objects.create(item=item, **answers)
    if not item.language_corrected:  # a language a person gave needs no detector (nor its task, in bulk entry)
        item_id = item.pk
        transaction.on_commit(lambda: _queue_detection(item_id))


def _refuse_updates_without_email(item: FeedbackItem) -> None:
    """Updates go by e-mail (when an action answering the issue changes), so asking for them needs an address."""
    if item.wants_updates and not item.contact_email.strip():
        raise ValidationError({"contact_email": _("Give an e-mail address to be told what happens, or untick the box")})


def _queue_detection(item_id: int) -> None:
    from waymark.voice.tasks import detect_item_language

    detect_item_language.enqueue(item_id)


@transaction.atomic
def submit_public_feedback(
    *,
    text: str,
    consent_to_share: bool,
    consent_to_publish: bool,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    wants_updates: bool = False,
    organisations: Iterable[Any] = (),
    services: Iterable[Any] = (),
    demographics: dict[str, Any] | None = None,
) -> FeedbackItem:
    """Feedback a member of the public sent through the form: anonymous unless they gave contact details."""
    item = FeedbackItem(
        text=text,
        received_on=timezone.localdate(),
        how_gathered=HowGathered.ONLINE_FORM,
        source_type=SourceType.INDIVIDUAL,
        consent_to_share=consent_to_share or consent_to_publish,
        consent_to_publish=consent_to_publish,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        wants_updates=wants_updates,
    )
    _refuse_updates_without_email(item)
    with acting_as(None):
        _save_new_item(item, {"organisations": organisations, "services": services}, demographics or {})
    return item


@transaction.atomic
def record_item(
    *,
    actor: Any,
    text: str,
    received_on: date,
    how_gathered: str,
    source_type: str,
    venue: str = "",
    english_summary: str = "",
    sentiment: str = "",
    original_language: Language | None = None,
    interpreter_needed: bool = False,
    consent_to_share: bool = False,
    consent_to_publish: bool = False,
    safeguarding: bool = False,
    recorded_for: Any = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    wants_updates: bool = False,
    organisations: Iterable[Any] = (),
    services: Iterable[Any] = (),
    themes: Iterable[Any] = (),
    communities: Iterable[Any] = (),
    demographics: dict[str, Any] | None = None,
) -> FeedbackItem:
    """An item a member of staff gathered (at an event, outreach, a drop-in, by phone or from a partner).

    When they say which language it was in, that is taken as checked by a person and not detected again.
    """
    item = FeedbackItem(
        text=text,
        english_summary=english_summary,
        received_on=received_on,
        how_gathered=how_gathered,
        source_type=source_type,
        venue=venue.strip(),
        sentiment=sentiment,
        original_language=original_language,
        language_corrected=original_language is not None,
        interpreter_needed=interpreter_needed,
        consent_to_share=consent_to_share or consent_to_publish,
        consent_to_publish=consent_to_publish,
        safeguarding=safeguarding,
        submitted_by=actor,
        recorded_for=recorded_for,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        wants_updates=wants_updates,
    )
    _refuse_updates_without_email(item)
    relations = {"organisations": organisations, "services": services, "themes": themes, "communities": communities}
    with acting_as(actor):
        _save_new_item(item, relations, demographics or {})
    return item


@transaction.atomic
def record_session(
    *, actor: Any, received_on: date, how_gathered: str, venue: str, conversations: Iterable[dict[str, Any]]
) -> list[FeedbackItem]:
    """Quick mode: several conversations from one outreach session or event, each its own item sharing the
    date, route and venue; all are saved or none. Conversations with no words are skipped."""
    items = []
    for conversation in conversations:
        text = (conversation.get("text") or "").strip()
        if not text:
            continue
        items.append(
            record_item(
                actor=actor,
                text=text,
                received_on=received_on,
                how_gathered=how_gathered,
                source_type=SourceType.INDIVIDUAL,
                venue=venue,
                original_language=conversation.get("original_language"),
                consent_to_share=bool(conversation.get("consent_to_share")),
                safeguarding=bool(conversation.get("safeguarding")),
            )
        )
    if not items:
        raise ValidationError(_("Enter what was said in at least one conversation."))
    return items


@transaction.atomic
def set_public_quote(*, item: FeedbackItem, public_quote: str, actor: Any) -> FeedbackItem:
    """Staff write the words that may be quoted publicly, edited to remove anything that could identify anyone.
    Only for an item whose author consented to publication; empty means nothing is quoted."""
    public_quote = public_quote.strip()
    if public_quote and not item.consent_to_publish:
        raise ValidationError(
            {"public_quote": _("The person did not agree to be quoted, so their words cannot be quoted.")}
        )
    item.public_quote = public_quote
    refuse_nul_characters(item)
    with acting_as(actor):
        item._change_reason = "Quote edited"  # type: ignore[attr-defined]
        item.save()
    return item
