"""The services look-up behind the type-ahead pickers (core.pickers): what the manage list shows."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from waymark.core.permissions import require_permission
from waymark.core.pickers import lookup_response
from waymark.directory.models import Service


def _service_hint(service: Service) -> str:
    """Whose service it is, which tells apart two of one name."""
    return service.organisation.name


@require_GET
@require_permission("directory.view_staff")
def service_lookup(request: HttpRequest) -> JsonResponse:
    """Services the user may see whose name, other name or organisation has the words typed."""
    services = Service.objects.visible_to(request.user).select_related("organisation").order_by("name", "pk")
    return lookup_response(
        request, services, fields=("name", "alternate_name", "organisation__name"), hint=_service_hint
    )
