"""Languages of feedback and of staff: detection after an item is saved, staff correcting the language or
writing the English summary, and the languages each member of staff reads (so items in them skip the
"needs interpreting" queue), and staff asking for an item to be interpreted."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.models import Language
from waymark.core.text import refuse_nul_characters
from waymark.voice import language as language_detection
from waymark.voice.models import FeedbackItem, StaffLanguage


def detect_language(item_id: int) -> FeedbackItem | None:
    """Run language detection on an item (the background task calls this). Safe to run twice; a language a
    person set is never overwritten. Returns None when the item no longer exists."""
    item = FeedbackItem.objects.filter(pk=item_id).first()
    if item is None:
        return None
    detection = language_detection.detect(item.text)
    with transaction.atomic(), acting_as(None):
        item = FeedbackItem.objects.select_for_update().get(pk=item_id)
        item.detected_language_code = detection.detector_code
        item.language_confidence = detection.confidence
        item.language_detected_at = timezone.now()
        if not item.language_corrected:
            item.original_language = Language.objects.filter(code=detection.iso639_3).first()
        item._change_reason = "Language detected"  # type: ignore[attr-defined]
        item.save()
    return item


@transaction.atomic
def correct_language(
    *,
    item: FeedbackItem,
    language: Language,
    actor: Any,
    english_summary: str | None = None,
    interpreter_needed: bool | None = None,
) -> FeedbackItem:
    """A member of staff sets (or confirms) the item's language, and may add the English summary."""
    item.original_language = language
    item.language_corrected = True
    if english_summary is not None:
        item.english_summary = english_summary
    if interpreter_needed is not None:
        item.interpreter_needed = interpreter_needed
    refuse_nul_characters(item)
    with acting_as(actor):
        item._change_reason = "Language corrected"  # type: ignore[attr-defined]
        item.save()
    return item


@transaction.atomic
def set_staff_languages(*, user: Any, languages: Iterable[Language], actor: Any) -> list[StaffLanguage]:
    """Replace the list of languages ``user`` reads."""
    wanted = {language.pk: language for language in languages}
    with acting_as(actor):
        for row in StaffLanguage.objects.filter(user=user).exclude(language_id__in=wanted):
            row.delete()
        held = set(StaffLanguage.objects.filter(user=user).values_list("language_id", flat=True))
        for language_id, language in wanted.items():
            if language_id not in held:
                StaffLanguage.objects.create(user=user, language=language)
    return list(StaffLanguage.objects.filter(user=user).select_related("language"))


@transaction.atomic
def request_interpreting(*, item: FeedbackItem, needed_by: date | None, actor: Any) -> FeedbackItem:
    """Staff ask for an item to be interpreted: it joins the interpreting queue with who asked and by when,
    for a person who reads the language (never an online translation service, which would send the words away).
    Asking again updates the deadline and who asked."""
    if item.english_summary.strip():
        raise ValidationError(
            {"needed_by": _("This item already has an English summary, so it needs no interpreting.")}
        )
    if needed_by is not None and needed_by < timezone.localdate():
        raise ValidationError({"needed_by": _("The date it is needed by must be today or later.")})
    item = FeedbackItem.objects.select_for_update().get(pk=item.pk)
    item.interpreting_requested_by = actor
    item.interpreting_requested_at = timezone.now()
    item.interpreting_needed_by = needed_by
    item.interpreter_needed = True
    with acting_as(actor):
        item._change_reason = "Interpreting requested"  # type: ignore[attr-defined]
        item.save()
    return item
