"""Who is in what: a network's current members, its terms of reference in force, and who each
distribution list reaches. The writes are ``services.people``."""

import datetime

from django.db.models import Q, QuerySet

from waymark.network.models import Contact, DistributionList, Membership, Network, TermsOfReference


def current_members(network: Network, on: datetime.date | None = None) -> QuerySet[Contact]:
    """The network's members on ``on`` (default today)."""
    return Contact.objects.filter(pk__in=Membership.objects.current(on).filter(network=network).values("contact_id"))


def terms_in_force(network: Network) -> TermsOfReference | None:
    """The latest approved version."""
    return network.terms_of_reference.filter(approved_on__isnull=False).order_by("-version").first()


def recipients(distribution_list: DistributionList, on: datetime.date | None = None) -> QuerySet[Contact]:
    """Everyone the list reaches today: its chosen people, plus the network's current members its rule
    matches, less anyone who left the list. Consent is checked when sending, so skips can be counted."""
    members = Membership.objects.current(on).filter(network_id=distribution_list.network_id).values("contact_id")
    wanted = Q(pk__in=distribution_list.static_members.values("pk"))
    if distribution_list.all_members:
        wanted |= Q(pk__in=members)
    rule = Q()
    sector_ids = list(distribution_list.rule_sectors.values_list("pk", flat=True))
    interest_ids = list(distribution_list.rule_interests.values_list("pk", flat=True))
    if sector_ids:
        rule |= Q(sector_id__in=sector_ids)
    if interest_ids:
        rule |= Q(pk__in=Contact.interests.through.objects.filter(theme_id__in=interest_ids).values("contact_id"))
    if rule:
        wanted |= Q(pk__in=members) & rule
    return (
        Contact.objects.filter(wanted)
        .exclude(pk__in=distribution_list.opted_out.values("pk"))
        .select_related("organisation", "sector")
        .order_by("name", "pk")
    )


def describe_rule(distribution_list: DistributionList) -> list[str]:
    """The list's rule in words, one line each, for pages and e-mails."""
    lines = []
    if distribution_list.all_members:
        lines.append(f"Every current member of {distribution_list.network}")
    sectors = [str(sector) for sector in distribution_list.rule_sectors.all()]
    interests = [str(theme) for theme in distribution_list.rule_interests.all()]
    if sectors:
        lines.append("Members in " + ", ".join(sectors))
    if interests:
        lines.append("Members interested in " + ", ".join(interests))
    return lines


def lists_reaching(contact: Contact) -> list[DistributionList]:
    """The lists this contact receives now (for their manage-subscriptions page)."""
    network_ids = set(Membership.objects.current().filter(contact=contact).values_list("network_id", flat=True))
    candidates = (
        DistributionList.objects.filter(Q(network_id__in=network_ids) | Q(static_members=contact))
        .select_related("network")
        .distinct()
        .order_by("network__name", "name")
    )
    return [candidate for candidate in candidates if recipients(candidate).filter(pk=contact.pk).exists()]


def lists_left(contact: Contact) -> QuerySet[DistributionList]:
    """The lists this contact left through an unsubscribe link or their subscriptions page."""
    return contact.lists_left.select_related("network").order_by("network__name", "name")
