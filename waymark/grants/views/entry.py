"""Staff pages for applications that did not come through the online form: enter one taken by phone, video,
on paper or in person (sent at once, marked with how it came and who entered it), and open an application's
files. Grants officers only."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from waymark.core.forms import attach_errors
from waymark.core.permissions import require_permission
from waymark.grants.forms_apply import CommunitiesForm, GroupForm, ProjectForm, QuestionsForm
from waymark.grants.forms_entry import EntryForm
from waymark.grants.models import Application, Attachment
from waymark.grants.services import applications as service
from waymark.grants.views.programmes import crumbs, programme_for


def _place_errors(forms: dict[str, Any], error: ValidationError) -> None:
    """Show the service's refusal on the form holding each field it names; the rest above the fields."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for field, messages in by_field.items():
        target = next((form for form in forms.values() if field in form.fields), None)
        if target is None:
            attach_errors(forms["entry"], ValidationError(messages))
        else:
            attach_errors(target, ValidationError({field: messages}))


@require_permission("grant_application.manage")
@require_http_methods(["GET", "POST"])
def application_enter(request: HttpRequest, uuid: Any) -> HttpResponse:
    programme = programme_for(request, uuid)
    data = request.POST if request.method == "POST" else None
    blank = Application(programme=programme)
    forms = {
        "entry": EntryForm(data, programme=programme),
        "group": GroupForm(data, instance=blank, programme=programme),
        "project": ProjectForm(data, instance=blank, programme=programme),
        "questions": QuestionsForm(data, programme=programme, answers={}),
        "communities": CommunitiesForm(data, instance=blank),
    }
    valid = [form.is_valid() for form in forms.values()] if request.method == "POST" else [False]  # every form's errors
    if all(valid):
        fields: dict[str, Any] = {}
        for name in ("group", "project", "communities"):
            form = forms[name]
            fields.update({field: form.cleaned_data[field] for field in form.Meta.fields if field in form.cleaned_data})  # type: ignore[attr-defined]
        fields["answers"] = forms["questions"].answers()  # type: ignore[attr-defined]
        try:
            application = service.enter_application(
                programme=programme,
                actor=request.user,
                channel=forms["entry"].cleaned_data["channel"],
                language=forms["entry"].cleaned_data["language"],
                **fields,
            )
        except ValidationError as error:
            _place_errors(forms, error)
        else:
            return redirect(application.get_absolute_url())
    error_items = [
        {"text": message, "href": f"#{form[field].id_for_label}" if field in form.fields else ""}
        for form in forms.values()
        for field, messages in form.errors.items()
        for message in messages
    ]
    return render(
        request,
        "grants/application_enter.html",
        {
            "programme": programme,
            "error_items": error_items,
            "word_counts": forms["questions"].word_counts(),  # type: ignore[attr-defined]
            **{f"{name}_form": form for name, form in forms.items()},
            "breadcrumbs": crumbs(
                (programme.title, programme.get_absolute_url()),
                (_("Applications"), reverse("grants:application_list", kwargs={"uuid": programme.uuid})),
            ),
        },
    )


@require_permission("grant_application.view")
@require_safe
def application_attachment(request: HttpRequest, uuid: Any, attachment: Any) -> FileResponse:
    """One of an application's files, as a download (never shown inline: the applicant chose its contents)."""
    row = get_object_or_404(
        Attachment.objects.visible_to(request.user).select_related("application"),
        uuid=attachment,
        application__uuid=uuid,
    )
    response = FileResponse(
        row.file.open("rb"), as_attachment=True, filename=(row.file.name or "file").rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
