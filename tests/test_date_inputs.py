"""One way to enter dates across Waymark: every date field of every form and filter is core's DateField (the
NHS.UK day, month and year boxes), and a real page shows the date it fills in and takes it back.

The forms are found by walking the project's modules, not listed by hand, so a new form with the browser's own
date picker (type="date") or a plain forms.DateField fails here."""

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator

import django_filters
import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

import waymark
from waymark.accounts.factories import make_persona, verified_login
from waymark.core.forms import DateField
from waymark.core.roles import Role
from waymark.voice.models import FeedbackItem

# Datetime fields drawn as something other than the day, month and year boxes, and why.
NOT_YET = {
    "waymark.network.forms_events.EventForm.starts_at": "a date and a time together; still the browser's own input",
    "waymark.network.forms_events.EventForm.ends_at": "a date and a time together; still the browser's own input",
}


def date_fields() -> Iterator[tuple[str, forms.Field]]:
    """Every date or datetime field declared on a form or a FilterSet class in the project."""
    for module_info in pkgutil.walk_packages(waymark.__path__, "waymark."):
        name = module_info.name
        if any(part in name for part in (".tests", ".migrations", ".management")):
            continue
        if not any(part in name for part in ("forms", "filtersets", "views")):
            continue
        module = importlib.import_module(name)
        for class_name, cls in vars(module).items():
            if not inspect.isclass(cls) or cls.__module__ != name:
                continue
            fields: dict[str, forms.Field] = {}
            if issubclass(cls, forms.BaseForm):
                fields = dict(cls.base_fields)
            elif issubclass(cls, django_filters.FilterSet):
                fields = {key: item.field for key, item in cls.base_filters.items()}
            for field_name, field in fields.items():
                if isinstance(field, forms.DateField | forms.DateTimeField):
                    yield f"{name}.{class_name}.{field_name}", field


def test_every_date_field_is_the_one_date_input():
    found = dict(date_fields())
    assert len(found) > 50, "the walk found too few date fields to prove anything"
    plain = [name for name, field in found.items() if not isinstance(field, DateField) and name not in NOT_YET]
    assert not plain, "use waymark.core.forms.DateField (or core.filtersets.DateFilter) for:\n" + "\n".join(plain)
    pickers = [
        name
        for name, field in found.items()
        if getattr(field.widget, "input_type", "") == "date" or field.widget.attrs.get("type") == "date"
    ]
    assert not pickers


@pytest.mark.django_db
def test_the_record_feedback_form_shows_the_date_it_fills_in_and_takes_it_back(client):
    """The issue's case: the date filled in was shown blank, because the formats differed."""
    verified_login(client, make_persona(Role.STAFF))
    page = client.get(reverse("voice:item_record")).content.decode()
    today = timezone.localdate()
    shown = {name: re.search(rf'name="received_on_{name}" value="(\d+)"', page) for name in ("day", "month", "year")}
    assert all(shown.values()), "the date filled in is not shown in the boxes"
    values = {f"received_on_{name}": match.group(1) for name, match in shown.items() if match}
    assert values == {
        "received_on_day": str(today.day),
        "received_on_month": str(today.month),
        "received_on_year": str(today.year),
    }
    data = {"text": "Words said on the day", "how_gathered": "phone", "source_type": "individual", **values}
    response = client.post(reverse("voice:item_record"), data)
    assert response.status_code == 302, response.content.decode()
    assert FeedbackItem.objects.get().received_on == today

    refused = client.post(reverse("voice:item_record"), {**data, "received_on_month": ""}).content.decode()
    assert "The date the feedback was given must include a month" in refused
    assert f'name="received_on_day" value="{today.day}"' in refused  # what was typed is kept
    assert FeedbackItem.objects.count() == 1
