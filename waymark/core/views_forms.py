"""A form page that calls a service: one way for the create and change pages of every app.

The page shows the form (empty, or as it was typed with its errors); a valid POST hands the values to a
service, which validates again and writes. A refusal from the service is shown on the form, so nothing
typed is lost; success says so and goes on to the next page.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from waymark.core.forms import attach_errors


def model_form_values(form: forms.ModelForm) -> dict[str, Any]:
    """What a valid ModelForm asks a service to save: each field as the form set it on its instance (so a
    field the request left out keeps its default), and the many-to-many choices."""
    model = form.instance._meta
    many_to_many = {field.name for field in model.many_to_many}
    names = [name for name in form.fields if name in form.cleaned_data and name in {f.name for f in model.get_fields()}]
    return {name: form.cleaned_data[name] if name in many_to_many else getattr(form.instance, name) for name in names}


def service_form_page[Saved](
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[], Saved],
    saved_message: str | Callable[[Saved], str],
    next_page: Callable[[Saved], Any],
    template: str,
    context: Mapping[str, Any],
    refusals: tuple[type[Exception], ...] = (ValidationError,),
    invalid_status: int = 400,
) -> HttpResponse:
    """On a valid POST, ``save()`` (a call to the service) and go to ``next_page(saved)`` (anything
    ``redirect`` takes) with ``saved_message``. Otherwise, or when the service refuses with one of
    ``refusals``, show ``template`` with the form in the context (``invalid_status`` when it has errors)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except refusals as error:
            attach_errors(form, error)
        else:
            messages.success(request, saved_message(saved) if callable(saved_message) else saved_message)
            return redirect(next_page(saved))
    return render(request, template, {**context, "form": form}, status=invalid_status if form.errors else 200)
