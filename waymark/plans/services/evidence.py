"""Evidence items of an action: a link or an uploaded file that shows what was done, added by staff or the
action's lead. Files pass the same type and size checks as every upload (``core.uploads``) and are served
only through a view that asks who is looking, never from a public media URL."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.uploads import check_upload, upload_limits
from waymark.plans.models import Action, ActionEvidence
from waymark.plans.services.plans import _only, _validate

EVIDENCE_FIELDS = ("title", "url")
# What an evidence file may be: documents, spreadsheets and photos of what was done.
EVIDENCE_KINDS = ("pdf", "docx", "odt", "doc", "xlsx", "csv", "txt", "png", "jpg")
EVIDENCE_LIMITS = "documents"


def add_evidence(*, actor: Any, action: Action, data: Mapping[str, Any], file: Any = None) -> ActionEvidence:
    """A link or a file (one, not both) with a title people can read."""
    item = ActionEvidence(action=action, added_by=actor, **_only(data, EVIDENCE_FIELDS))
    if not item.url and not file:
        raise ValidationError({"url": _("Give a link, or choose a file to upload.")})
    if item.url and file:
        raise ValidationError({"file": _("Give a link or a file, not both: add the other as a second item.")})
    if file:
        try:
            check_upload(file, kinds=EVIDENCE_KINDS, limits=upload_limits(EVIDENCE_LIMITS))
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        item.file = file
    _validate(item)
    with transaction.atomic(), acting_as(actor):
        item.save()
    return item
