"""Closing the loop on a consultation: what was heard and what will be done ("we asked, you said, we did"),
with the feedback and issues it produced and the plan actions it feeds.

The links are chosen among the rows the person sees. Links to rows they cannot see were made by someone who
could, so they are kept as they are: a partner saving the report never drops another's links unseen."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.text import refuse_nul_characters
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.models import Consultation
from waymark.plans.models import Action
from waymark.voice.models import FeedbackItem, Issue

# The links a report makes: the consultation's field, and the model whose visibility limits the choice.
REPORT_LINKS: dict[str, type[models.Model]] = {
    "produced_items": FeedbackItem,
    "produced_issues": Issue,
    "feeds_actions": Action,
}


def _seen(model: type[models.Model], actor: Any) -> models.QuerySet:
    """The rows the actor sees; all of them for the system (an import or the demo, with no actor)."""
    rows = model._default_manager.all()
    return rows if actor is None else rows.visible_to(actor)  # type: ignore[attr-defined]


def _links(consultation: Consultation, actor: Any, chosen: dict[str, list[models.Model]]) -> dict[str, list[Any]]:
    """Each link's new rows: those chosen (all of which the actor must see) and those already linked that the
    actor does not see."""
    errors: dict[str, str] = {}
    links: dict[str, list[Any]] = {}
    for name, model in REPORT_LINKS.items():
        seen = _seen(model, actor)
        wanted = {row.pk for row in chosen[name]}
        if wanted - set(seen.filter(pk__in=wanted).values_list("pk", flat=True)):
            errors[name] = _("Choose only from the list offered: one of these is not yours to link.")
            continue
        already = set()
        if consultation.pk is not None:
            already = set(getattr(consultation, name).values_list("pk", flat=True))
        unseen = already - set(seen.filter(pk__in=already).values_list("pk", flat=True))
        links[name] = sorted(wanted | unseen)
    if errors:
        raise ValidationError(errors)
    return links


def record_report(
    *,
    actor: Any,
    consultation: Consultation,
    summary: str,
    url: str = "",
    items: Iterable[FeedbackItem] = (),
    issues: Iterable[Issue] = (),
    actions: Iterable[Action] = (),
    mark_reported: bool = False,
) -> Consultation:
    """Write the consultation's report and its links, all or nothing; with ``mark_reported``, a closed
    consultation is marked reported in the same change. A reported consultation keeps a summary: it is what
    the public page shows."""
    if actor is not None and not policy.can(actor, "consultation.record", consultation):
        raise PermissionDenied(_("Only the lead body's staff can report on this consultation."))
    if consultation.status == ConsultationStatus.CANCELLED:
        raise ValidationError(_("A cancelled consultation has nothing to report. Plan it again first."))
    becomes_reported = consultation.status == ConsultationStatus.REPORTED or mark_reported
    errors: dict[str, str] = {}
    if mark_reported and consultation.status not in (ConsultationStatus.CLOSED, ConsultationStatus.REPORTED):
        errors["mark_reported"] = _("Only a closed consultation can be marked reported: close it first.")
    if becomes_reported and not summary.strip():
        errors["report_summary"] = _(
            "Write what you heard and what will be done: a reported consultation shows it to everyone."
        )
    if errors:
        raise ValidationError(errors)
    links = _links(
        consultation,
        actor,
        {"produced_items": list(items), "produced_issues": list(issues), "feeds_actions": list(actions)},
    )
    consultation.report_summary = summary.strip()
    consultation.report_url = url.strip()
    refuse_nul_characters(consultation)
    consultation.full_clean(exclude=["themes", "communities", "areas", *REPORT_LINKS])
    with transaction.atomic(), acting_as(actor):
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if mark_reported and locked.status == ConsultationStatus.CLOSED:
            consultation.status = ConsultationStatus.REPORTED
            consultation.reported_on = timezone.localdate()
        else:  # the status moves on its own page; keep what is stored, whatever this copy says
            consultation.status, consultation.reported_on = locked.status, locked.reported_on
        save_with_one_history_row(consultation, links)
    return consultation
