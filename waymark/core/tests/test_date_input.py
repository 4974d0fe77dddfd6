"""The one date input (core.forms_dates): day, month and year boxes that show whatever the server fills in,
read back what they show, and refuse a wrong date with a message naming the field."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.http import QueryDict
from django.template import Context, Template
from django.utils import timezone, translation

from waymark.core.filtersets import DateFilter, WaymarkFilterSet
from waymark.core.forms import DateField
from waymark.core.models import ExportLog

MARCH_27 = datetime.date(2026, 3, 27)
INPUT = re.compile(r'<input type="text" name="(?P<name>[^"]+)"(?: value="(?P<value>[^"]*)")?')


class FeedbackDateForm(forms.Form):
    received_on = DateField(label="Date", subject="the date the feedback was given")


class OptionalDateForm(forms.Form):
    ends_on = DateField(label="End date", required=False)


def boxes(form: forms.BaseForm, name: str) -> dict[str, str]:
    """What a browser would send back from the field's boxes, as the page shows them."""
    return {match["name"]: match["value"] or "" for match in INPUT.finditer(str(form[name]))}


@pytest.mark.parametrize(
    "initial",
    [
        MARCH_27,
        "2026-03-27",  # an ISO string, as views and links fill in
        "27/03/2026",  # the site's own input format
        datetime.datetime(2026, 3, 27, 23, 30),
        datetime.datetime(2026, 3, 27, 23, 30, tzinfo=ZoneInfo("Europe/London")),
        datetime.datetime(2026, 3, 27, 0, 30, tzinfo=datetime.UTC),  # 27 March in London too (GMT until the 29th)
        "2026-03-27T10:15:00",
        lambda: MARCH_27,  # a callable, like timezone.localdate
    ],
)
def test_every_value_the_server_fills_in_is_shown_and_sent_back_unchanged(initial):
    shown = boxes(FeedbackDateForm(initial={"received_on": initial}), "received_on")
    assert shown == {"received_on_day": "27", "received_on_month": "3", "received_on_year": "2026"}
    sent = FeedbackDateForm(data=shown)
    assert sent.is_valid(), sent.errors
    assert sent.cleaned_data["received_on"] == MARCH_27


def test_an_aware_datetime_is_shown_as_its_local_date():
    late_in_summer = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 1 July in London
    assert boxes(OptionalDateForm(initial={"ends_on": late_in_summer}), "ends_on") == {
        "ends_on_day": "1",
        "ends_on_month": "7",
        "ends_on_year": "2026",
    }


def test_todays_date_filled_in_by_a_form_is_shown_not_blank():
    class TodayForm(forms.Form):
        received_on = DateField(label="Date", initial=timezone.localdate)

    today = timezone.localdate()
    assert boxes(TodayForm(), "received_on") == {
        "received_on_day": str(today.day),
        "received_on_month": str(today.month),
        "received_on_year": str(today.year),
    }


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date the feedback was given"),
        ("", "3", "2026", "The date the feedback was given must include a day"),
        ("27", "", "2026", "The date the feedback was given must include a month"),
        ("27", "3", "", "The date the feedback was given must include a year"),
        ("", "", "2026", "The date the feedback was given must include a day, month and year"),
        ("31", "2", "2026", "The date the feedback was given must be a real date"),
        ("27", "13", "2026", "The date the feedback was given must be a real date"),
        ("2x", "3", "2026", "The date the feedback was given must be a real date"),
        ("27", "3", "26", "The date the feedback was given must include a year with 4 numbers"),
    ],
)
def test_a_wrong_date_is_refused_naming_the_field_and_kept_as_typed(day, month, year, message):
    typed = {"received_on_day": day, "received_on_month": month, "received_on_year": year}
    form = FeedbackDateForm(data=typed)
    assert not form.is_valid()
    assert form.errors["received_on"] == [message]
    assert boxes(form, "received_on") == typed


def test_spaces_and_leading_zeros_are_accepted():
    form = FeedbackDateForm(data={"received_on_day": " 07", "received_on_month": "03 ", "received_on_year": "2026"})
    assert form.is_valid()
    assert form.cleaned_data["received_on"] == datetime.date(2026, 3, 7)


def test_an_optional_date_left_empty_is_none_and_a_field_without_a_subject_is_named_by_its_label():
    assert OptionalDateForm(data={"ends_on_day": "", "ends_on_month": "", "ends_on_year": ""}).is_valid()
    form = OptionalDateForm(data={"ends_on_day": "40", "ends_on_month": "1", "ends_on_year": "2026"})
    assert form.errors["ends_on"] == ["The date in ‘End date’ must be a real date"]


def test_a_message_a_form_gives_replaces_the_shared_one():
    class DueForm(forms.Form):
        due = DateField(label="Due by", error_messages={"required": "Give the date it is due by"})

    assert DueForm(data={}).errors["due"] == ["Give the date it is due by"]


def test_one_iso_date_is_read_as_links_and_the_api_send_it_and_is_shown_in_the_boxes():
    form = FeedbackDateForm(data=QueryDict("received_on=2026-03-27"))
    assert form.is_valid()
    assert form.cleaned_data["received_on"] == MARCH_27
    assert boxes(form, "received_on")["received_on_day"] == "27"
    # A link's date is newer than boxes left over in the query it was added to.
    both = QueryDict("received_on=2026-03-27&received_on_day=1&received_on_month=1&received_on_year=2020")
    linked = FeedbackDateForm(data=both)
    assert linked.is_valid()
    assert linked.cleaned_data["received_on"] == MARCH_27
    assert FeedbackDateForm(data=QueryDict("received_on=2026-02-31")).errors["received_on"] == [
        "The date the feedback was given must be a real date"
    ]


def test_the_boxes_are_the_nhs_date_input_inside_a_fieldset_named_by_the_label():
    form = FeedbackDateForm(data={"received_on_day": "", "received_on_month": "3", "received_on_year": "2026"})
    form.is_valid()
    html = Template("{{ form.received_on.as_field_group }}").render(Context({"form": form}))
    assert '<legend class="nhsuk-fieldset__legend">Date</legend>' in html
    assert 'class="nhsuk-date-input"' in html
    for part, label in (("0", "Day"), ("1", "Month"), ("2", "Year")):
        assert f'<label class="nhsuk-label nhsuk-date-input__label" for="id_received_on_{part}">{label}</label>' in html
    assert 'type="date"' not in html and "required" not in html  # the page, not the browser, says what is missing
    assert html.count('inputmode="numeric"') == 3
    assert html.count("nhsuk-input--width-2") == 2 and html.count("nhsuk-input--width-4") == 1
    assert "nhsuk-form-group--error" in html and "must include a day" in html
    assert html.count("nhsuk-input--error") == 1  # only the missing day is marked
    assert re.search(r'name="received_on_day"[^>]*nhsuk-input--error', html)
    summary = Template('{% include "components/error_summary.html" with form=form %}').render(Context({"form": form}))
    assert 'href="#id_received_on_0"' in summary


def test_a_date_wrong_as_a_whole_marks_every_box():
    form = FeedbackDateForm(data={"received_on_day": "31", "received_on_month": "2", "received_on_year": "2026"})
    assert not form.is_valid()
    assert (
        Template("{{ form.received_on.as_field_group }}").render(Context({"form": form})).count("nhsuk-input--error")
        == 3
    )


def test_the_messages_and_box_labels_are_translated():
    with translation.override("pl"):
        form = FeedbackDateForm(data={"received_on_day": "", "received_on_month": "", "received_on_year": "2026"})
        assert form.errors["received_on"] == ["The date the feedback was given: podaj dzień, miesiąc i rok"]
        assert ">Miesiąc</label>" in str(form["received_on"])


class ExportLogDates(WaymarkFilterSet):
    date_from = DateFilter(label="From", field_name="created_at", lookup_expr="date__gte")

    class Meta(WaymarkFilterSet.Meta):
        model = ExportLog
        fields = ["date_from"]


@pytest.mark.django_db
def test_a_date_filter_takes_the_boxes_on_a_page_and_one_iso_date_from_the_api():
    from_boxes = ExportLogDates(QueryDict("date_from_day=27&date_from_month=3&date_from_year=2026"))
    from_api = ExportLogDates(QueryDict("date_from=2026-03-27"))
    for filterset in (from_boxes, from_api):
        assert filterset.is_valid()
        assert filterset.form.cleaned_data["date_from"] == MARCH_27
    refused = ExportLogDates(QueryDict("date_from_day=27&date_from_month=3&date_from_year="))
    assert not refused.is_valid()
    assert refused.errors["date_from"] == ["The date in ‘From’ must include a year"]
