"""The one place that decides who may do what.

Pages, the API, the navigation and ``QuerySet.visible_to(user)`` all ask this
module; nothing else checks roles. The grants a user holds come from the
sources apps register (``register_grant_source``; accounts registers its role
grants, which count only while in force, and counts a superuser as an
administrator).
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Model, Q, QuerySet

from waymark.core.roles import SECOND_FACTOR_ROLES, SIGNED_IN, WORKING_ROLES, Role

Grant = tuple[str, int | None]  # (role, organisation id or None)
GrantSource = Callable[[Any], list[Grant]]

_grant_sources: list[GrantSource] = []


def register_grant_source(source: GrantSource) -> None:
    """Add ``source(user) -> [(role, organisation id), ...]``: the grants in force for a signed-in user."""
    if source not in _grant_sources:
        _grant_sources.append(source)


# Permission → the roles that hold it. Object-level refinements are in ``can``.
PERMISSIONS: dict[str, frozenset[str]] = {
    "organisation.view": WORKING_ROLES | {Role.MEMBER},
    "organisation.add": frozenset({Role.STAFF, Role.ADMIN}),
    "organisation.change": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "organisation.history": frozenset({Role.STAFF, Role.ADMIN}),
    "sitepage.change": frozenset({Role.ADMIN}),
    "job.view_all": frozenset({Role.ADMIN}),
    "job.start_demo": frozenset({Role.ADMIN}),
    "personal_data.manage": frozenset({Role.ADMIN}),
    "export_log.view": frozenset({Role.ADMIN}),
    "django_admin.use": frozenset({Role.ADMIN}),
    "api_token.manage_own": frozenset({SIGNED_IN}),
    # Directory: the public reads published services without signing in; these are the staff pages.
    "directory.view_staff": WORKING_ROLES,
    "service.add": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "service.change": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "service.history": frozenset({Role.STAFF, Role.ADMIN}),
    "directory.import": frozenset({Role.STAFF, Role.ADMIN}),
    "directory.review_queue": frozenset({Role.STAFF, Role.ADMIN}),
    "fragility.view": frozenset({Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.ADMIN}),
    # Funding amounts (on the radar, its CSV and the staff HSDS export) are for staff and administrators; the
    # others who see the radar get its flags without them.
    "directory.view_funding_amounts": frozenset({Role.STAFF, Role.ADMIN}),
    "account.manage_own": frozenset({SIGNED_IN}),
    # Monitoring: working users see live figures disclosure-controlled; a provider's unsuppressed figures and
    # data quality go only to its analysts and to analysts of commissioners holding a data-sharing agreement
    # (object-level rule in ``can``). The public sees published snapshots only.
    "monitoring.view": WORKING_ROLES,
    "monitoring.view_unsuppressed": frozenset({Role.ANALYST}),
    "monitoring.data_quality": frozenset({Role.ANALYST}),
    "monitoring.import_activity": frozenset({Role.ANALYST}),
    "monitoring.import_population": frozenset({Role.ANALYST, Role.ADMIN}),
    "monitoring.view_imports": frozenset({Role.ANALYST, Role.ADMIN}),
    "monitoring.publish": frozenset({Role.ANALYST}),
    "monitoring.manage_access": frozenset({Role.ADMIN}),
    # Network (people): staff run networks; members read their own networks' pages and bulletins.
    "network.view": frozenset({Role.MEMBER, Role.STAFF, Role.ADMIN}),
    "network.manage": frozenset({Role.STAFF, Role.ADMIN}),
    "network.history": frozenset({Role.STAFF, Role.ADMIN}),
    "contact.view": frozenset({Role.STAFF, Role.ADMIN}),
    "contact.change": frozenset({Role.STAFF, Role.ADMIN}),
    "contact.import": frozenset({Role.STAFF, Role.ADMIN}),
    "bulletin.view": frozenset({Role.MEMBER, Role.STAFF, Role.ADMIN}),
    "bulletin.write": frozenset({Role.STAFF, Role.ADMIN}),
    # Network (events and surveys): staff run events and surveys; anyone registers for a published event
    # and answers a survey through their personal link; analysts may read survey results.
    "network_event.view": frozenset({Role.STAFF, Role.ADMIN}),
    "network_event.manage": frozenset({Role.STAFF, Role.ADMIN}),
    "network_survey.view": frozenset({Role.STAFF, Role.ANALYST, Role.ADMIN}),
    "network_survey.manage": frozenset({Role.STAFF, Role.ADMIN}),
    # Network (meetings): staff book and run meetings; members of a network see its meetings and comment on
    # circulated minutes; its minute-takers and secretaries (Membership role, via Contact.user) write the minutes
    # and record actions (object-level rule in ``can``).
    "meeting.view": frozenset({Role.MEMBER, Role.STAFF, Role.ADMIN}),
    "meeting.manage": frozenset({Role.STAFF, Role.ADMIN}),
    "minutes.write": frozenset({Role.MEMBER, Role.STAFF, Role.ADMIN}),
    "minutes.comment": frozenset({Role.MEMBER, Role.STAFF, Role.ADMIN}),
    "minutes.history": frozenset({Role.STAFF, Role.ADMIN}),
    # Voice (intake): the public sends feedback without signing in; staff read items, record what they
    # gathered at events and outreach, work the interpreting queue and list the languages they read.
    "voice_item.view": frozenset({Role.STAFF, Role.ADMIN}),
    "voice_item.add": frozenset({Role.STAFF, Role.ADMIN}),
    "voice_item.interpret": frozenset({Role.STAFF, Role.ADMIN}),
    "voice_language.manage_own": frozenset({Role.STAFF, Role.ADMIN}),
    # Voice (escalation): staff triage items, build issues, escalate them and chase the answers; a responder
    # sees and answers only the escalations addressed to their organisation (object-level rule in ``can``);
    # administrators add the closure days that do not count as working days.
    "voice.triage": frozenset({Role.STAFF, Role.ADMIN}),
    "voice_issue.view": frozenset({Role.STAFF, Role.ADMIN}),
    "voice_issue.manage": frozenset({Role.STAFF, Role.ADMIN}),
    "voice_escalation.view": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "voice_escalation.answer": frozenset({Role.RESPONDER}),
    "voice_closure_day.manage": frozenset({Role.ADMIN}),
    # Voice (public pages and reports): "you said, we did" is public; the intelligence report (disclosure-
    # controlled, for commissioners and scrutiny committees) and its exports are made by staff and analysts.
    "voice.report": frozenset({Role.STAFF, Role.ANALYST, Role.ADMIN}),
}

# Monitoring: permissions whose object is a provider (an Organisation) the user's figures must come from.
MONITORING_PROVIDER_PERMISSIONS = frozenset(
    {"monitoring.view_unsuppressed", "monitoring.data_quality", "monitoring.import_activity", "monitoring.publish"}
)


def _grants(user: Any) -> list[tuple[str, int | None]]:
    """(role, organisation id) pairs in force today, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_waymark_grants", None)
    if cached is None:
        cached = [grant for source in _grant_sources for grant in source(user)]
        user._waymark_grants = cached
    return cached


def roles(user: Any) -> set[str]:
    """The roles a user holds today, plus ``signed_in`` for any authenticated user."""
    held = {role for role, _ in _grants(user)}
    if getattr(user, "is_authenticated", False):
        held.add(SIGNED_IN)
    return held


def has_role(user: Any, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def organisation_ids(user: Any, *wanted: str) -> set[int]:
    """Organisations for which the user holds any of the given roles."""
    return {org_id for role, org_id in _grants(user) if role in wanted and org_id is not None}


def monitoring_provider_ids(user: Any) -> set[int]:
    """Monitoring: providers whose unsuppressed figures this user may see, cached for the request.

    The organisations the user is an analyst for, and the providers that have a data-sharing agreement in
    force with any of them (``monitoring.ProviderDataAccess``, recorded by an administrator).
    """
    analyst_of = organisation_ids(user, Role.ANALYST)
    if not analyst_of:
        return set()
    cached = getattr(user, "_waymark_monitoring_providers", None)
    if cached is None:
        from waymark.monitoring.models import ProviderDataAccess

        shared = ProviderDataAccess.objects.current().filter(commissioner_id__in=analyst_of)
        cached = analyst_of | set(shared.values_list("provider_id", flat=True))
        user._waymark_monitoring_providers = cached
    return cached


def minute_taker_network_ids(user: Any) -> set[int]:
    """Network (meetings): networks where the user's contact record is a current minute-taker or secretary."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_waymark_minute_taker_networks", None)
    if cached is None:
        from waymark.network.models import Membership, MembershipRole

        writers = Membership.objects.current().filter(
            contact__user=user, role__in=[MembershipRole.MINUTE_TAKER, MembershipRole.SECRETARY]
        )
        cached = set(writers.values_list("network_id", flat=True))
        user._waymark_minute_taker_networks = cached
    return cached


def needs_second_factor(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and (user.is_superuser or has_role(user, *SECOND_FACTOR_ROLES))


def can(user: Any, permission: str, obj: Model | None = None) -> bool:
    """Whether ``user`` holds ``permission``, on ``obj`` when one is given."""
    allowed = PERMISSIONS[permission]
    held = roles(user)
    if not held & allowed:
        return False
    if obj is None:
        return True
    model = obj._meta.label
    if permission in MONITORING_PROVIDER_PERMISSIONS:
        # Monitoring: the object is the provider whose figures are asked for.
        return obj.pk in monitoring_provider_ids(user)
    if permission in {"meeting.view", "minutes.write", "minutes.comment"} and not held & {Role.STAFF, Role.ADMIN}:
        # Network (meetings): the object is a Meeting or its Minutes; members act only in their own networks,
        # only minute-takers write, and comments are taken only while the minutes are circulated.
        meeting: Any = getattr(obj, "meeting", obj)
        network_id = meeting.network_id
        if permission == "minutes.write":
            return network_id in minute_taker_network_ids(user)
        network = meeting.network
        if network.organisation_id not in organisation_ids(user, Role.MEMBER):
            return False
        if permission == "minutes.comment":
            return getattr(obj, "status", None) == "circulated"
        return True
    if permission == "minutes.comment":
        return getattr(obj, "status", None) == "circulated"
    if permission in {"voice_escalation.view", "voice_escalation.answer"} and not held & {Role.STAFF, Role.ADMIN}:
        # Voice (escalation): the object is an Escalation (or its Response); a responder acts only for the
        # organisations they answer for, and answers only an escalation still awaiting its answer.
        escalation: Any = getattr(obj, "escalation", obj)
        if escalation.responder_id not in organisation_ids(user, Role.RESPONDER):
            return False
        return permission == "voice_escalation.view" or escalation.status == "awaiting"
    if permission == "organisation.change" and not held & {Role.STAFF, Role.ADMIN}:
        # A responder edits only the organisations they answer for.
        return obj.pk in organisation_ids(user, Role.RESPONDER)
    if permission in {"service.add", "service.change"} and not held & {Role.STAFF, Role.ADMIN}:
        # A responder keeps only their own organisation's services and locations up to date.
        return getattr(obj, "organisation_id", obj.pk) in organisation_ids(user, Role.RESPONDER)
    if model == "core.Job":
        return Role.ADMIN in held or obj.created_by_id == user.pk  # type: ignore[attr-defined]
    if model == "accounts.ApiToken":
        return obj.user_id == user.pk  # type: ignore[attr-defined]
    return True


def restrict(queryset: QuerySet, user: Any) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see."""
    label = queryset.model._meta.label
    held = roles(user)
    if label in {"core.Area", "core.Postcode", "core.Language", "core.Community", "core.Theme", "core.EthnicCodeSet"}:
        return queryset  # reference data is public
    if label in {"directory.Taxonomy", "directory.TaxonomyTerm"}:
        return queryset
    if label == "directory.Service":
        if held & WORKING_ROLES:
            return queryset
        # The public, members and anyone signed in without a working role see published, running services.
        return queryset.filter(published=True, status__in=["active", "temporarily closed"])
    if label == "directory.Location":
        if held & WORKING_ROLES:
            return queryset
        # Locations of public services; callers still show only what each location's visibility allows.
        return queryset.filter(
            services__published=True, services__status__in=["active", "temporarily closed"]
        ).distinct()
    if label == "directory.FundingSource":
        return queryset if held & WORKING_ROLES else queryset.none()
    if label == "core.Organisation":
        if held & (WORKING_ROLES - {Role.RESPONDER}):
            return queryset
        if held & {Role.RESPONDER, Role.MEMBER}:
            return queryset.filter(active=True)
        return queryset.none()
    if label == "core.Job":
        if Role.ADMIN in held:
            return queryset
        return queryset.filter(created_by=user) if SIGNED_IN in held else queryset.none()
    if label == "core.ExportLog":
        return queryset if Role.ADMIN in held else queryset.none()
    if label in {"accounts.ApiToken", "accounts.RoleGrant"}:
        if label == "accounts.RoleGrant" and Role.ADMIN in held:
            return queryset
        return queryset.filter(user=user) if SIGNED_IN in held else queryset.none()
    # Monitoring: reference tables and census denominators are public; a provider's own figures, batches and
    # data quality go to the analysts who may see them unsuppressed (everyone else gets them only through
    # disclosure control, computed by the monitoring services); published snapshots are public.
    if label in {
        "monitoring.AnalysisGrouping",
        "monitoring.AnalysisGroup",
        "monitoring.LocalSubCategory",
        "monitoring.CodeMappingSet",
        "monitoring.CodeMapping",
        "monitoring.PopulationFigure",
        "monitoring.PublishedSnapshot",
    }:
        return queryset
    if label in {"monitoring.ActivityCount", "monitoring.PeopleCount", "monitoring.DataQualityFigure"}:
        return queryset.filter(provider_id__in=monitoring_provider_ids(user))
    if label == "monitoring.ImportBatch":
        if Role.ADMIN in held:
            return queryset
        if Role.ANALYST in held:
            return queryset.filter(Q(provider__isnull=True) | Q(provider_id__in=monitoring_provider_ids(user)))
        return queryset.none()
    if label == "monitoring.ProviderDataAccess":
        if Role.ADMIN in held:
            return queryset
        return queryset.filter(commissioner_id__in=organisation_ids(user, Role.ANALYST))
    # Network (people): contacts are personal data, for network staff only; members see their networks.
    if label in {"network.Contact", "network.Membership", "network.DistributionList", "network.BulletinRecipient"}:
        return queryset if held & {Role.STAFF, Role.ADMIN} else queryset.none()
    if label in {"network.Network", "network.TermsOfReference", "network.TaskGroup", "network.Bulletin"}:
        if held & {Role.STAFF, Role.ADMIN}:
            return queryset
        network_path = "organisation_id" if label == "network.Network" else "network__organisation_id"
        own = queryset.filter(**{f"{network_path}__in": organisation_ids(user, Role.MEMBER)})
        if label == "network.Bulletin":
            # Members read what was sent to their networks; anyone reads bulletins put in the public archive.
            return queryset.filter(status="sent").filter(Q(pk__in=own.values("pk")) | Q(in_public_archive=True))
        return own
    # Network (meetings): members see the meetings and actions of their networks; draft minutes only their
    # network's minute-takers (and staff) see, circulated and published minutes every member of the network.
    if label in {"network.MeetingSeries", "network.Meeting", "network.Action", "network.Minutes"}:
        if held & {Role.STAFF, Role.ADMIN}:
            return queryset
        network_path = {
            "network.MeetingSeries": "network",
            "network.Meeting": "network",
            "network.Action": "meeting__network",
            "network.Minutes": "meeting__network",
        }[label]
        own = queryset.filter(**{f"{network_path}__organisation_id__in": organisation_ids(user, Role.MEMBER)})
        if label == "network.Minutes":
            return own.filter(~Q(status="draft") | Q(meeting__network_id__in=minute_taker_network_ids(user)))
        return own
    # Network (events and surveys): published events are public (their registration page and calendar);
    # registrations and stalls are for event staff; surveys and their answers for survey readers.
    if label in {"network.Event", "network.TicketType", "network.Workshop"}:
        if held & {Role.STAFF, Role.ADMIN}:
            return queryset
        event_path = "" if label == "network.Event" else "event__"
        return queryset.filter(**{f"{event_path}status__in": ["published", "cancelled"]})
    if label in {"network.Registration", "network.WorkshopBooking", "network.Stall"}:
        return queryset if held & {Role.STAFF, Role.ADMIN} else queryset.none()
    if label in {"network.Survey", "network.SurveyInvitation", "network.SurveyResponse"}:
        return queryset if held & {Role.STAFF, Role.ANALYST, Role.ADMIN} else queryset.none()
    # Voice (intake): feedback items and their demographics are for staff only (public pages publish through
    # disclosure control and consent, never these rows); a person sees their own "languages I read".
    if label in {"voice.FeedbackItem", "voice.ItemDemographics"}:
        return queryset if held & {Role.STAFF, Role.ADMIN} else queryset.none()
    if label == "voice.StaffLanguage":
        if held & {Role.STAFF, Role.ADMIN}:
            return queryset
        return queryset.filter(user=user) if SIGNED_IN in held else queryset.none()
    # Voice (escalation): staff see every issue and escalation; a responder only those addressed to their
    # organisation; anyone else only what has a published response (the "you said, we did" pages). Answer
    # links, reminders and closure days are staff business.
    if label in {"voice.Issue", "voice.Escalation", "voice.Response"}:
        if held & {Role.STAFF, Role.ADMIN}:
            return queryset
        path = {"voice.Issue": "escalations__", "voice.Escalation": "", "voice.Response": "escalation__"}[label]
        published = {"voice.Issue": "escalations__response__", "voice.Escalation": "response__", "voice.Response": ""}
        mine = Q(**{f"{path}responder_id__in": organisation_ids(user, Role.RESPONDER)})
        public = Q(**{f"{published[label]}published": True})
        if label == "voice.Issue":
            # Through the escalations, without the duplicate rows a join to many would give.
            return queryset.filter(pk__in=queryset.model._default_manager.filter(mine | public).values("pk"))
        return queryset.filter(mine | public)
    if label in {"voice.AnswerLink", "voice.EscalationReminder", "voice.ClosureDay"}:
        return queryset if held & {Role.STAFF, Role.ADMIN} else queryset.none()
    raise LookupError(f"No visibility rule for {label}: add one to core.policy.restrict.")
