"""Staff intake pages: the list of items, recording what was gathered at events and outreach, one item
(its words and English summary, never its demographics, and the words staff edited for quoting), the
"needs interpreting" queue with the language correction, and the languages each member of staff reads."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waymark.accounts.models import User
from waymark.core import policy
from waymark.core.forms import attach_errors
from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.core.templatetags.nhsuk import error_summary_items, error_target_id
from waymark.voice.forms_intake import (
    ConversationFormSet,
    InterpretingRequestForm,
    ItemRecordForm,
    LanguageCorrectionForm,
    PublicQuoteForm,
    SessionForm,
    StaffLanguagesForm,
)
from waymark.voice.language import CONFIDENCE_THRESHOLD, html_lang, may_request_interpreting, needing_interpreting
from waymark.voice.models import FeedbackItem, StaffLanguage
from waymark.voice.published import quote_lang
from waymark.voice.services import intake, languages

ITEMS_PER_PAGE = 25


def _items(request: HttpRequest) -> Any:
    return FeedbackItem.objects.visible_to(request.user).select_related("original_language")


def _breadcrumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Feedback items"), reverse("voice:item_list")), *extra]


@require_safe
@require_permission("voice_item.view")
def item_list(request: HttpRequest) -> HttpResponse:
    """Every item, newest first, with how it came in, its language and whether it needs interpreting."""
    items = _items(request)
    interpreting_only = request.GET.get("interpreting") == "1"
    if interpreting_only:
        items = needing_interpreting(items)
    page = page_of(request, items, ITEMS_PER_PAGE)
    context = {
        "page_obj": page,
        "interpreting_only": interpreting_only,
        "interpreting_count": needing_interpreting(_items(request)).count(),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "voice/intake/item_list.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("voice_item.add")
def item_record(request: HttpRequest) -> HttpResponseBase:
    """Staff type in what someone said at an event, outreach, a drop-in, on the phone or through a partner."""
    form = ItemRecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        item = intake.record_item(actor=request.user, **form.service_arguments())
        messages.success(request, _("Item %(reference)s recorded.") % {"reference": item.reference})
        return redirect(item)
    return render(request, "voice/intake/item_record.html", {"form": form, "breadcrumbs": _breadcrumbs()})


def _session_errors(form: SessionForm, conversations: Any) -> list[dict[str, str]]:
    """The error summary of the session and its conversations, each linked to its field."""
    if not (form.errors or any(conversations.errors) or conversations.non_form_errors()):
        return []
    items: list[dict[str, str]] = error_summary_items(form)
    items += [{"text": str(message), "href": ""} for message in conversations.non_form_errors()]
    for number, row in enumerate(conversations.forms, start=1):
        for bound_field in row:
            for message in bound_field.errors:
                text = _("Conversation %(number)d: %(error)s") % {"number": number, "error": message}
                items.append({"text": text, "href": f"#{error_target_id(bound_field)}"})
    return items


@require_http_methods(["GET", "POST"])
@require_permission("voice_item.add")
def session_record(request: HttpRequest) -> HttpResponseBase:
    """Quick mode: several conversations from one outreach session at once, sharing date, route and venue.
    Each becomes its own item, to be completed later from its record."""
    form = SessionForm(request.POST or None)
    conversations = ConversationFormSet(request.POST or None, prefix="conversation")
    if request.method == "POST" and form.is_valid() & conversations.is_valid():
        try:
            items = intake.record_session(
                actor=request.user, conversations=conversations.cleaned_data, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d item(s) recorded from %(venue)s: %(references)s.")
                % {
                    "count": len(items),
                    "venue": form.cleaned_data["venue"],
                    "references": ", ".join(item.reference for item in items),
                },
            )
            return redirect("voice:item_list")
    context = {
        "form": form,
        "conversations": conversations,
        "error_items": _session_errors(form, conversations),
        "breadcrumbs": _breadcrumbs(),
    }
    return render(request, "voice/intake/session_record.html", context)


def _item_detail_page(request: HttpRequest, item: FeedbackItem, quote_form: PublicQuoteForm) -> HttpResponse:
    context = {
        "item": item,
        "text_lang": html_lang(item.original_language.code) if item.original_language else "",
        "needs_interpreting": needing_interpreting(FeedbackItem.objects.filter(pk=item.pk)).exists(),
        "may_request_interpreting": may_request_interpreting(item),
        "can_request_interpreting": policy.can(request.user, "voice.triage"),
        "confidence_threshold": CONFIDENCE_THRESHOLD,
        "quote_form": quote_form,
        "quote_lang": quote_lang(item.original_language.code) if item.original_language else "",
        "breadcrumbs": _breadcrumbs(),
    }
    return render(request, "voice/intake/item_detail.html", context)


def _detailed_item(request: HttpRequest, uuid: Any) -> FeedbackItem:
    return get_object_or_404(
        _items(request)
        .select_related("submitted_by", "recorded_for", "interpreting_requested_by")
        .prefetch_related("themes", "communities", "organisations", "services"),
        uuid=uuid,
    )


@require_safe
@require_permission("voice_item.view")
def item_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The words and their English summary. Demographic answers are never shown here, beside the words."""
    item = _detailed_item(request, uuid)
    return _item_detail_page(request, item, PublicQuoteForm(initial={"public_quote": item.public_quote}))


@require_POST
@require_permission("voice_item.interpret")
def item_quote(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Save the words staff edited for quoting publicly (only when the person agreed to be quoted)."""
    item = _detailed_item(request, uuid)
    form = PublicQuoteForm(request.POST)
    if form.is_valid():
        try:
            intake.set_public_quote(item=item, public_quote=form.cleaned_data["public_quote"], actor=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("The words we may quote are saved."))
            return redirect(item)
    item.refresh_from_db()
    return _item_detail_page(request, item, form)


@require_http_methods(["GET", "POST"])
@require_permission("voice_item.interpret")
def item_language(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    """Correct (or confirm) the language and add the English summary."""
    item = get_object_or_404(_items(request), uuid=uuid)
    initial = {
        "original_language": item.original_language,
        "english_summary": item.english_summary,
        "interpreter_needed": item.interpreter_needed,
    }
    form = LanguageCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        languages.correct_language(
            item=item,
            language=form.cleaned_data["original_language"],
            english_summary=form.cleaned_data["english_summary"],
            interpreter_needed=form.cleaned_data["interpreter_needed"],
            actor=request.user,
        )
        messages.success(request, _("Language saved."))
        return redirect(item)
    context = {
        "item": item,
        "form": form,
        "breadcrumbs": _breadcrumbs((item.reference, item.get_absolute_url())),
    }
    return render(request, "voice/intake/item_language.html", context)


def _back_to(request: HttpRequest, default: str) -> str:
    """Where the person came from (triage or the item), if it is a page of this site."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return default


@require_http_methods(["GET", "POST"])
@require_permission("voice.triage")
def item_request_interpreting(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    """ "Request interpreting": the item joins the interpreting queue with who asked and by when it is needed."""
    item = get_object_or_404(_items(request), uuid=uuid)
    back = _back_to(request, item.get_absolute_url())
    form = InterpretingRequestForm(request.POST if request.method == "POST" else None)  # no date is an answer
    if request.method == "POST" and form.is_valid():
        try:
            languages.request_interpreting(item=item, needed_by=form.cleaned_data["needed_by"], actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Item %(reference)s is in the interpreting queue.") % {"reference": item.reference}
            )
            return redirect(back)
    context = {
        "item": item,
        "form": form,
        "back": back,
        "breadcrumbs": _breadcrumbs((item.reference, item.get_absolute_url())),
    }
    return render(request, "voice/intake/item_request_interpreting.html", context)


@require_safe
@require_permission("voice_item.interpret")
def interpreting_queue(request: HttpRequest) -> HttpResponse:
    """Items someone asked to have interpreted (soonest needed first), then those in a language nobody on staff
    reads or whose detected language is uncertain (oldest first)."""
    items = (
        needing_interpreting(_items(request))
        .select_related("interpreting_requested_by")
        .order_by(
            F("interpreting_needed_by").asc(nulls_last=True),
            F("interpreting_requested_at").asc(nulls_last=True),
            "received_on",
            "created_at",
        )
    )
    page = page_of(request, items, ITEMS_PER_PAGE)
    context = {"page_obj": page, "confidence_threshold": CONFIDENCE_THRESHOLD, "breadcrumbs": _breadcrumbs()}
    return render(request, "voice/intake/interpreting_queue.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("voice_language.manage_own")
def my_languages(request: HttpRequest) -> HttpResponseBase:
    """The languages I read, so items in them do not wait for an interpreter, and who on staff reads what."""
    user = request.user
    assert isinstance(user, User)  # require_permission let only signed-in staff through
    held = [row.language for row in StaffLanguage.objects.filter(user=user).select_related("language")]
    form = StaffLanguagesForm(request.POST or None, initial={"languages": held})
    if request.method == "POST" and form.is_valid():
        languages.set_staff_languages(user=user, languages=form.cleaned_data["languages"], actor=user)
        messages.success(request, _("Your languages are saved."))
        return redirect("voice:my_languages")
    readers = (
        StaffLanguage.objects.visible_to(user)
        .filter(user__is_active=True)
        .select_related("user", "language")
        .order_by("language__name", "user__full_name")
    )
    context = {"form": form, "readers": readers, "breadcrumbs": _breadcrumbs()}
    return render(request, "voice/intake/my_languages.html", context)
