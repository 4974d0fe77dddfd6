"""The people look-up behind the type-ahead pickers (core.pickers): people who hold a role today, each shown
with their organisation and role, so two of one name can be told apart."""

from django.db.models import Prefetch, Q
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from waymark.accounts.models import RoleGrant, User
from waymark.core import policy
from waymark.core.models import Organisation
from waymark.core.permissions import require_permission
from waymark.core.pickers import lookup_response


def _person_hint(person: User) -> str:
    """Each role in force, with its organisation: "Staff (community development worker), Riverside Trust"."""
    parts = []
    for grant in person.grants_shown:  # type: ignore[attr-defined]
        role = grant.get_role_display()
        parts.append(f"{role}, {grant.organisation.name}" if grant.organisation else str(role))
    return "; ".join(dict.fromkeys(parts))


@require_GET
@require_permission("person.lookup")
def person_lookup(request: HttpRequest) -> JsonResponse:
    """People the user may see (accounts' visibility rule) whose name or username has the words typed."""
    # Only grants at organisations this user may see name an organisation in the hint.
    grants = (
        RoleGrant.objects.current()
        .filter(Q(organisation__isnull=True) | Q(organisation__in=Organisation.objects.visible_to(request.user)))
        .select_related("organisation")
        .order_by("role", "organisation__name")
    )
    people = (
        policy.restrict(User.objects.all(), request.user)
        .prefetch_related(Prefetch("role_grants", queryset=grants, to_attr="grants_shown"))
        .order_by("full_name", "username", "pk")
    )
    return lookup_response(
        request, people, fields=("full_name", "username"), hint=_person_hint, label=User.get_full_name
    )
