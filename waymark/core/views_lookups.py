"""The organisations look-up behind the type-ahead pickers (core.pickers): what the list page shows."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from waymark.core.models import Organisation
from waymark.core.permissions import require_permission
from waymark.core.pickers import lookup_response


def _organisation_hint(organisation: Organisation) -> str:
    """Its kind and town, which tell apart two of one name."""
    return ", ".join(part for part in (organisation.get_org_type_display(), organisation.town) if part)


@require_GET
@require_permission("organisation.view")
def organisation_lookup(request: HttpRequest) -> JsonResponse:
    """Organisations the user may see whose name, other name or ODS code has the words typed."""
    organisations = Organisation.objects.visible_to(request.user).order_by("name", "pk")
    return lookup_response(
        request, organisations, fields=("name", "alternate_name", "ods_code"), hint=_organisation_hint
    )
