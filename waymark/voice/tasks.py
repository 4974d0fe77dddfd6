"""Background work for intake: language detection, queued when a new item's transaction commits."""

from django.tasks import task

from waymark.voice.services import languages


@task
def detect_item_language(item_id: int) -> dict[str, object]:
    """Detect the language of one item; a thin wrapper so the page that saved it answers at once."""
    item = languages.detect_language(item_id)
    if item is None:
        return {"item": item_id, "found": False}
    return {
        "item": item_id,
        "found": True,
        "language": item.detected_language_code,
        "confidence": item.language_confidence,
    }
