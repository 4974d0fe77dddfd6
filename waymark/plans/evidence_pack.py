"""The PCREF evidence pack: what a CQC inspector or Mental Health Act reviewer asks of a trust's PCREF plan,
assembled from live data at the moment of download (never a stored copy).

Five parts, as PCREF sets them out: governance (board lead, the plan and its versions, the meetings that
reviewed it), the competencies self-assessment, the patient and carer feedback mechanism (voice: feedback
received, issues raised, escalations answered on time, "You said, we did"), data (ethnicity completeness
against 95%, disproportionality ratios from published snapshots only) and action progress.

No personal data of the public goes in: feedback is counted (through disclosure control), never quoted or
named; issues and answers appear as staff worded them for publication; no contact details anywhere.
Each part is a list of ``Table``s, written to CSV and XLSX through ``core.spreadsheets`` and summarised in
the PDF.
"""

import datetime
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waymark.core.disclosure import protect_counts
from waymark.core.file_headers import FileHeader
from waymark.core.spreadsheets import write_csv, write_xlsx
from waymark.monitoring import dashboards
from waymark.monitoring.models import PublishedSnapshot
from waymark.plans import gradings, progress
from waymark.plans.choices import RAG_DEFINITIONS, Freshness, Rag
from waymark.plans.models import Action, ActionIssueLink, Plan
from waymark.voice import published
from waymark.voice.models import Escalation, EscalationStatus, FeedbackItem, Issue, Response

COMPLETENESS_TARGET = dashboards.COMPLETENESS_TARGET


@dataclass
class Table:
    """One file of the pack (``name``.csv and ``name``.xlsx) and one table of the PDF."""

    name: str
    title: str
    headings: list[str]
    rows: list[list[Any]]
    about: str = ""


@dataclass
class Pack:
    plan: Plan
    made_at: datetime.datetime
    tables: list[Table] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(len(table.rows) for table in self.tables)

    def file_header(self, title: str) -> FileHeader:
        """The header of each file in the pack: the feedback counts in it are disclosure-controlled."""
        return FileHeader(
            title=title,
            scope=self.plan.owner.name,
            period=_("%(start)s to %(end)s")
            % {"start": self.plan.period_start.isoformat(), "end": self.plan.period_end.isoformat()},
            grouping=_("One file for each part of the evidence"),
            made_at=self.made_at,
        )

    @property
    def by_name(self) -> dict[str, Table]:
        """The tables by file name, for the PDF template (``pack.by_name.5-action-progress`` won't parse, so
        names are looked up with underscores: ``pack.by_name.actions``)."""
        return {table.name.split("-", 1)[1].replace("-", "_"): table for table in self.tables}


def _day(value: datetime.datetime | datetime.date | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def _percent(value: float | None) -> float | None:
    return round(value * 100, 1) if value is not None else None


def _ratio(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


# --- 1. Governance ------------------------------------------------------------------------------------


def _governance(pack: Pack) -> None:
    plan = pack.plan
    particulars: list[list[Any]] = [
        [_("Plan"), plan.title],
        [_("Type of plan"), plan.get_plan_type_display()],
        [_("Owning organisation"), plan.owner.name],
        [_("Status"), plan.get_status_display()],
        [_("Period starts"), plan.period_start],
        [_("Period ends"), plan.period_end],
        [_("Review cycle (months)"), plan.review_cycle_months],
        [_("Executive or board lead"), plan.board_lead_name],
        [_("Their role"), plan.board_lead_role],
        [_("Approved"), _day(plan.approved_at)],
        [_("Published"), _day(plan.published_at)],
        [_("Partner organisations"), "; ".join(o.name for o in plan.partners.order_by("name"))],
        [_("Co-produced with"), "; ".join(o.name for o in plan.co_produced_with.order_by("name"))],
        [_("Template"), f"{plan.template} (version {plan.template_version})" if plan.template else ""],
    ]
    pack.tables.append(
        Table("1-governance-plan", _("The plan and its board lead"), [_("Particular"), _("Value")], particulars)
    )
    versions = [
        [
            _day(row.history_date),
            {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}.get(row.history_type, row.history_type),
            row.title,
            row.get_status_display(),
            row.period_start,
            row.period_end,
            row.board_lead_name,
            row.board_lead_role,
        ]
        for row in plan.history.order_by("history_date", "history_id")
    ]
    pack.tables.append(
        Table(
            "1-governance-versions",
            _("Versions of the plan"),
            [
                _("Date"),
                _("Change"),
                _("Title"),
                _("Status"),
                _("Period starts"),
                _("Period ends"),
                _("Board lead"),
                _("Their role"),
            ],
            versions,
            _("Every saved change to the plan's particulars, oldest first, from its audit history."),
        )
    )
    meetings = plan.reviewed_at_meetings.select_related("network", "minutes").order_by("start")
    rows = []
    for meeting in meetings:
        minutes = getattr(meeting, "minutes", None)
        rows.append(
            [
                _day(meeting.start),
                meeting.title,
                meeting.network.name,
                minutes.get_status_display() if minutes else _("No minutes"),
                _day(minutes.circulated_at) if minutes else None,
                _day(minutes.published_at) if minutes else None,
            ]
        )
    pack.tables.append(
        Table(
            "1-governance-meetings",
            _("Meetings that reviewed the plan"),
            [_("Date"), _("Meeting"), _("Held by"), _("Minutes"), _("Minutes circulated"), _("Minutes published")],
            rows,
        )
    )
    pack.summary["meetings"] = len(rows)


# --- 2. Competencies ----------------------------------------------------------------------------------


def _competencies(pack: Pack) -> None:
    rows = []
    latest = []
    for history in gradings.competency_self_assessment(pack.plan):
        entries = [history.latest, *history.earlier] if history.latest else []
        for number, assessment in enumerate(entries):
            rows.append(
                [
                    history.competency.code,
                    history.competency.title,
                    assessment.assessed_on,
                    assessment.get_level_display(),
                    _("Latest") if number == 0 else _("Earlier"),
                    assessment.evidence,
                ]
            )
        if not entries:
            rows.append([history.competency.code, history.competency.title, None, _("Not assessed"), "", ""])
        latest.append(history)
    pack.tables.append(
        Table(
            "2-competencies",
            _("Self-assessment against the six organisational competencies"),
            [_("Code"), _("Competency"), _("Assessed on"), _("Level"), _("Latest or earlier"), _("Evidence")],
            rows,
        )
    )
    pack.summary["competencies"] = latest


# --- 3. Feedback mechanism ----------------------------------------------------------------------------


def _answered_on(escalation: Escalation) -> datetime.date | None:
    response = getattr(escalation, "response", None)
    return timezone.localdate(response.created_at) if response else None


def _timeliness(escalation: Escalation, today: datetime.date) -> str:
    answered = _answered_on(escalation)
    if answered is not None:
        return _("Answered by the due date") if answered <= escalation.due_on else _("Answered late")
    if escalation.status == EscalationStatus.AWAITING:
        return _("Awaiting, overdue") if escalation.due_on < today else _("Awaiting, not yet due")
    return _("Closed without an answer")


def _feedback(pack: Pack) -> None:
    plan, today = pack.plan, timezone.localdate()
    owner = plan.owner
    items = FeedbackItem.objects.filter(
        Q(organisations=owner) | Q(services__organisation=owner),
        received_on__gte=plan.period_start,
        received_on__lte=plan.period_end,
    ).distinct()
    item_ids = list(items.values_list("pk", flat=True))
    _cells, received = protect_counts({"items": len(item_ids)})
    by_theme = published.items_by_theme(FeedbackItem.objects.filter(pk__in=item_ids))
    summary_rows: list[list[Any]] = [
        [_("Feedback received about the organisation in the plan period"), _count(received)]
    ]
    summary_rows += [[_("About %(theme)s") % {"theme": theme.name}, _count(count)] for theme, count in by_theme]

    escalations = list(
        Escalation.objects.filter(
            responder=owner,
            sent_at__date__gte=plan.period_start,
            sent_at__date__lte=plan.period_end,
        )
        .select_related("issue", "response")
        .order_by("sent_at", "pk")
    )
    tally = Counter(_timeliness(escalation, today) for escalation in escalations)
    on_time, late = tally[_("Answered by the due date")], tally[_("Answered late")]
    summary_rows += [
        [_("Escalations sent to the organisation"), len(escalations)],
        [_("Answered by the due date"), on_time],
        [_("Answered late"), late],
        [_("Awaiting, not yet due"), tally[_("Awaiting, not yet due")]],
        [_("Awaiting, overdue"), tally[_("Awaiting, overdue")]],
    ]
    pack.tables.append(
        Table(
            "3-feedback-summary",
            _("Patient and carer feedback mechanism: the figures"),
            [_("Figure"), _("Count")],
            summary_rows,
            _("Counts of feedback pass through disclosure control: small numbers are hidden and the rest rounded."),
        )
    )
    pack.summary["feedback"] = {"received": received, "escalations": len(escalations), "on_time": on_time, "late": late}

    issues = (
        Issue.objects.filter(
            Q(items__pk__in=item_ids) | Q(escalations__in=[escalation.pk for escalation in escalations])
        )
        .distinct()
        .annotate(raised_on=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .prefetch_related("themes", Prefetch("escalations", queryset=Escalation.objects.filter(responder=owner)))
        .order_by("created_at", "pk")
    )
    pack.tables.append(
        Table(
            "3-feedback-issues",
            _("Issues raised by communities about the organisation"),
            [_("Raised on"), _("Issue"), _("Themes"), _("Status"), _("Escalated to the organisation")],
            [
                [
                    issue.raised_on,
                    issue.title,
                    "; ".join(theme.name for theme in issue.themes.all()),
                    issue.get_status_display(),
                    _("Yes") if issue.escalations.all() else _("No"),
                ]
                for issue in issues
            ],
        )
    )
    pack.tables.append(
        Table(
            "3-feedback-escalations",
            _("Escalations to the organisation and when they were answered"),
            [_("Issue"), _("Sent on"), _("Answer due"), _("Answered on"), _("Answered on time?"), _("Status")],
            [
                [
                    escalation.issue.title,
                    _day(escalation.sent_at),
                    escalation.due_on,
                    _answered_on(escalation),
                    _timeliness(escalation, today),
                    escalation.get_status_display(),
                ]
                for escalation in escalations
            ],
        )
    )
    responses = (
        Response.objects.filter(published=True, escalation__responder=owner)
        .select_related("escalation__issue")
        .order_by("published_at", "pk")
    )
    linked: dict[int, list[str]] = {}
    for link in ActionIssueLink.objects.filter(action__objective__plan=plan).select_related("action"):
        linked.setdefault(link.issue_id, []).append(f"{link.action.code} {link.action.title}")
    said = [
        [
            _day(response.published_at),
            response.escalation.issue.title,
            response.get_outcome_display(),
            response.what_changed,
            "; ".join(linked.get(response.escalation.issue_id, [])),
        ]
        for response in responses
    ]
    pack.tables.append(
        Table(
            "3-you-said-we-did",
            _('"You said, we did": published answers'),
            [_("Published on"), _("You said (the issue)"), _("Outcome"), _("We did (what changed)"), _("Plan actions")],
            said,
            _("Only answers the organisation has published appear, as published."),
        )
    )
    pack.summary["you_said_we_did"] = len(said)


def _count(count: Any) -> Any:
    return count.value if count.value is not None else _("Fewer than can be shown")


# --- 4. Data ------------------------------------------------------------------------------------------


def _data(pack: Pack) -> None:
    plan = pack.plan
    quality = [row for row in dashboards.data_quality(plan.owner) if row.period_start <= plan.period_end]
    rows = [
        [
            row.period_start,
            _percent(row.completeness.value),
            _percent(row.completeness.lower),
            _percent(row.completeness.upper),
            _percent(COMPLETENESS_TARGET),
            _("Yes") if row.meets_target else _("No"),
        ]
        for row in quality
    ]
    pack.tables.append(
        Table(
            "4-data-ethnicity-completeness",
            _("Ethnicity recording: completeness against the 95% target, month by month"),
            [
                _("Month"),
                _("Complete (%)"),
                _("Lower 95% limit (%)"),
                _("Upper 95% limit (%)"),
                _("Target (%)"),
                _("Meets the target?"),
            ],
            rows,
            _("The share of records with a valid stated ethnic group, with its Wilson 95% interval."),
        )
    )
    pack.summary["completeness"] = quality[-1] if quality else None
    pack.summary["completeness_percent"] = _percent(quality[-1].completeness.value) if quality else None
    ratios = []
    flagged = []
    snapshots = PublishedSnapshot.objects.filter(provider=plan.owner).order_by("-published_on", "-created_at")
    for snapshot in snapshots:
        for table in dashboards.snapshot_tables(snapshot):
            for row in table.rows:
                if row.is_reference:
                    continue
                line = [
                    snapshot.title,
                    snapshot.period_start,
                    snapshot.period_end,
                    snapshot.published_on,
                    table.measure_label,
                    row.label,
                    table.reference_group,
                    _ratio(row.ratio_to_reference.value),
                    _ratio(row.ratio_to_reference.lower),
                    _ratio(row.ratio_to_reference.upper),
                    _ratio(row.ratio_to_others.value),
                    _ratio(row.ratio_to_others.lower),
                    _ratio(row.ratio_to_others.upper),
                    _("Suppressed") if row.suppressed else row.ratio_to_reference.reason,
                ]
                ratios.append(line)
                if row.flag_reference:
                    flagged.append(line)
    pack.tables.append(
        Table(
            "4-data-disproportionality",
            _("Disproportionality: rate ratios with 95% intervals, from published snapshots"),
            [
                _("Snapshot"),
                _("Period starts"),
                _("Period ends"),
                _("Published on"),
                _("Measure"),
                _("Group"),
                _("Reference group"),
                _("Ratio to the reference"),
                _("Lower 95% limit"),
                _("Upper 95% limit"),
                _("Ratio to all others"),
                _("Lower 95% limit (others)"),
                _("Upper 95% limit (others)"),
                _("Note"),
            ],
            ratios,
            _("Only figures already published, after disclosure control; nothing is recomputed for the pack."),
        )
    )
    pack.summary["flagged_ratios"] = flagged


# --- 5. Action progress -------------------------------------------------------------------------------


def _actions(pack: Pack) -> None:
    plan = pack.plan
    actions = list(
        Action.objects.filter(objective__plan=plan)
        .select_related("objective", "lead_organisation", "lead")
        .order_by("objective__order", "objective__code", "code")
    )
    freshness_labels = dict(Freshness.choices)
    rows = [
        [
            action.objective.code,
            action.code,
            action.title,
            action.lead_organisation.name,
            (action.lead.get_full_name() or action.lead.username) if action.lead else "",
            action.due_date,
            action.get_status_display(),
            action.get_rag_display(),
            action.rag_reason,
            action.progress,
            _day(action.last_updated_at),
            str(freshness_labels[progress.freshness(action, plan)]),
            action.completed_on,
        ]
        for action in actions
    ]
    pack.tables.append(
        Table(
            "5-action-progress",
            _("Action progress"),
            [
                _("Objective"),
                _("Action"),
                _("Title"),
                _("Lead organisation"),
                _("Named lead"),
                _("Due by"),
                _("Status"),
                _("RAG"),
                _("Reason for the rating"),
                _("Progress (%)"),
                _("Last updated by its lead"),
                _("Update"),
                _("Completed on"),
            ],
            rows,
            " ".join(f"{Rag(rag).label}: {text}" for rag, text in RAG_DEFINITIONS.items()),
        )
    )
    pack.summary["rollup"] = progress.roll_up(actions)
    pack.summary["not_rated"] = pack.summary["rollup"].counts[Rag.NOT_RATED]


def build_pack(plan: Plan) -> Pack:
    """Everything the pack holds, read now."""
    pack = Pack(plan=plan, made_at=timezone.now())
    _governance(pack)
    _competencies(pack)
    _feedback(pack)
    _data(pack)
    _actions(pack)
    return pack


def _csv_bytes(pack: Pack, table: Table) -> bytes:
    # A byte-order mark first, so that Excel reads accented names as UTF-8.
    return ("\ufeff" + write_csv(table.headings, table.rows, header=pack.file_header(table.title))).encode("utf-8")


def _xlsx_bytes(pack: Pack, table: Table) -> bytes:
    about = [table.title, *([table.about] if table.about else [])]
    return write_xlsx(table.name[:31], table.headings, table.rows, about=about, header=pack.file_header(table.title))


def pack_filename(pack: Pack) -> str:
    return f"pcref-evidence-pack-{slugify(pack.plan.owner.name)[:60]}-{timezone.localdate(pack.made_at).isoformat()}"


def write_zip(pack: Pack, pdf: bytes | None) -> bytes:
    """The download: the PDF summary, and each table as CSV and as XLSX, every cell through core.spreadsheets."""
    buffer = io.BytesIO()
    stem = pack_filename(pack)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if pdf is not None:
            archive.writestr(f"{stem}/summary.pdf", pdf)
        for table in pack.tables:
            archive.writestr(f"{stem}/csv/{table.name}.csv", _csv_bytes(pack, table))
            archive.writestr(f"{stem}/xlsx/{table.name}.xlsx", _xlsx_bytes(pack, table))
    return buffer.getvalue()
