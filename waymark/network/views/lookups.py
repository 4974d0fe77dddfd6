"""The contacts look-up behind the type-ahead pickers (core.pickers): what the contacts list shows."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from waymark.core.permissions import require_permission
from waymark.core.pickers import lookup_response
from waymark.network.models import Contact


def _contact_hint(contact: Contact) -> str:
    """Their role and organisation, which tell apart two people of one name."""
    organisation = contact.organisation.name if contact.organisation else ""
    return ", ".join(part for part in (contact.job_title, organisation) if part)


@require_GET
@require_permission("contact.view")
def contact_lookup(request: HttpRequest) -> JsonResponse:
    """Contacts the user may see whose name, e-mail address or organisation has the words typed."""
    contacts = Contact.objects.visible_to(request.user).select_related("organisation").order_by("name", "pk")
    return lookup_response(request, contacts, fields=("name", "email", "organisation__name"), hint=_contact_hint)
