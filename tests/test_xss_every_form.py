"""Script typed into any free-text field of any form comes back escaped, on every page and in every export.

The forms are found from the URL configuration, not listed by hand: every page the permission matrix knows is
opened as an administrator, and each Django form in its context with a free-text field is filled in (a unique
script payload in every text field, the form's own initial values or a valid sample everywhere else) and sent.
Then every page is opened again, signed in and anonymously: no payload may appear as markup, each form's
payload must appear escaped somewhere, and CSV, XLSX and PDF downloads must hold it as plain text.
"""

import csv
import datetime
import io
import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.permission_matrix import EXPECTED
from tests.test_permissions import world  # noqa: F401 - the records every URL points at
from waymark.accounts.factories import verified_login
from waymark.network import survey_results
from waymark.network.factories_meetings import MembershipFactory
from waymark.network.models import Meeting, Survey, SurveyInvitation, SurveyStatus
from waymark.voice.models import FeedbackItem

# A page whose form is sent somewhere else: that URL takes the form's data instead.
POSTED_TO = {
    "api_tokens:list": "api_tokens:create",
    "voice:escalation_detail": "voice:escalation_close",
    "voice:item_detail": "voice:item_quote",
}

# Pages with a free-text form that this test does not send, and why. A new form page must be sent or listed.
NOT_SENT = {
    "accounts:login": "a failed sign-in shows the username again; the sign-in tests cover it",
    "accounts:two_factor_setup": "its only text field takes the authenticator's digits",
    "accounts:two_factor_verify": "its only text field takes the authenticator's digits",
    "voice:escalation_detail": "its close form is sent on voice:escalation_close",
    "voice:session_record": "quick mode's words are in a formset; voice:item_record sends the same text and venue "
    "fields, shown by the same item page",
    "plans:indicator_attach_action": "needs figures the person may see unsuppressed (analysts); test_indicators "
    "sends its text as an analyst",
    "plans:indicator_attach_objective": "needs figures the person may see unsuppressed (analysts)",
    "plans:indicator_edit": "needs figures the person may see unsuppressed (analysts)",
    "grants:report_skip": "the target report is recorded first on grants:report_record, and a recorded report "
    "cannot be skipped as well; the report's free text is sent there",
    "partnership:team_create": "the first person offered as line manager is also the first offered as worker, "
    "which the form refuses; the team's name, its one free-text field, is sent on partnership:team_edit",
}

# Namespaces whose pages are not HTML forms (the API), or are Django's own admin.
SKIPPED_NAMESPACES = ("api:", "admin:")

# Pages whose form looks records up and stores nothing: the typed text is only shown back, escaped.
LOOKUPS = {"core:personal_data", "voice:reference_lookup"}

# Text fields that only take a checked format: they get a valid value, not the payload.
FORMATTED = {
    "charity_number": "1123456",
    "company_number": "01234567",
    "ods_code": "RV5",
    "postcode": "ZX1 1AA",
    "phone": "020 7946 0000",
    "contact_phone": "020 7946 0000",
    "mutual_number": "12345R",
    "beneficiary_area": "",  # optional; the area choices offered depend on the latest boundaries
    "amount": "1000",  # awards and payments: within the programme's range and what remains
    "website": "",  # on the public feedback form, a trap for spam robots that people leave empty
}
# An award's optional instalments, left empty: it is paid in one payment by the programme's payment date.
FORMATTED.update({f"payment_{number}_{part}": "" for number in range(1, 5) for part in ("amount", "due_on")})
# Text fields read one line per entry (a question's answers): two payload lines.
ONE_PER_LINE = {"options"}

# Pages not read back for payloads, and why.
NOT_READ = {
    "voice:response_document": "hands back an uploaded letter byte for byte; nothing typed is in it",
    "plans:evidence_file": "hands back an uploaded evidence file byte for byte; nothing typed is in it",
    "grants:application_attachment": "hands back an uploaded attachment byte for byte; nothing typed is in it",
    # Open question: read here after the award made by this test, a PDF came back with an empty body.
    # Its text is checked in waymark/grants/tests/test_decisions.py; why this read is empty is to be found.
    "grants:award_letter": "its PDF came back empty when read here; see the comment above",
    "grants:award_letter_public": "its PDF came back empty when read here; see the comment above",
}

PAYLOAD_TAG = re.compile(r"<(?:script>alert\(\d+\)|img src=x onerror=alert\(\d+\)|i>x\d+)")

EXPORT_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf")


def payload(number: int, room: int | None) -> str:
    """A unique script payload that fits the field; a short one for short fields."""
    long = f"<script>alert({number})</script><img src=x onerror=alert({number})>"
    return long if room is None or room >= len(long) else f"<i>x{number}</i>"[:room]


def opening_tags(value: str) -> list[str]:
    """The payload's tags, up to their numbers: each is unique to one field, and survives a page that shortens the
    text. Found as they are, they would run; found escaped, the text was shown as typed."""
    return PAYLOAD_TAG.findall(value)


def is_free_text(name: str, field: forms.Field) -> bool:
    widget = field.widget
    return (
        isinstance(field, forms.CharField)
        and isinstance(widget, forms.TextInput | forms.Textarea)
        and not isinstance(widget, forms.DateInput | forms.DateTimeInput | forms.TimeInput)
        and not isinstance(field, forms.SlugField | forms.EmailField | forms.URLField)
        and name not in FORMATTED
    )


def management_data(response) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Each formset on the page as a browser sends it untouched: its management form and its rows' values (the
    rows carry no free text)."""
    data: dict[str, Any] = {}
    for context in response.context or []:
        for values in context.dicts:
            for value in values.values():
                if isinstance(value, forms.BaseFormSet):
                    for form in [value.management_form, *value.forms]:
                        data.update({bound.html_name: bound.value() for bound in form if bound.value() is not None})
    return data


def page_forms(response) -> list[forms.BaseForm]:  # type: ignore[no-untyped-def]
    found: dict[int, forms.BaseForm] = {}
    for context in response.context or []:
        for values in context.dicts:
            for value in values.values():
                if isinstance(value, forms.BaseForm) and any(is_free_text(*item) for item in value.fields.items()):
                    found[id(value)] = value
    return list(found.values())


def sample_value(name: str, field: forms.Field, order: int) -> Any:
    """A valid value for a field that is not free text and has no initial value. Dates are in the past (consent,
    agreements) and times in the future (events, meetings), each later than the field before it (starts, ends)."""
    if name in FORMATTED:
        return FORMATTED[name]
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        flat = [
            inner
            for value, label in field.choices
            for inner in (label if isinstance(label, list | tuple) else [(value, label)])
        ]
        values = [str(value) for value, _label in flat if str(value) != ""]
        many = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        return values[:1] if many else (values[0] if values else "")
    if isinstance(field, forms.EmailField):
        return "payload@example.org"
    if isinstance(field, forms.URLField):
        # Found without a network, and the one network the suite lets a neighbour's feed be read from.
        return "http://127.0.0.1/"
    if isinstance(field, forms.SlugField):
        return f"payload-{name}".replace("_", "-")
    if isinstance(field, forms.DateTimeField):
        return datetime.datetime.now().replace(minute=0) + datetime.timedelta(days=30, hours=order)
    if isinstance(field, forms.DateField) and (name.startswith("end") or name.endswith("_end")):
        return datetime.date.today() + datetime.timedelta(days=400)
    if isinstance(field, forms.DateField):
        return datetime.date.today() - datetime.timedelta(days=60 - order)
    if isinstance(field, forms.TimeField):
        return datetime.time(8 + order, 0)
    if isinstance(field, forms.FileField):
        return SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return field.min_value if getattr(field, "min_value", None) is not None else 1
    if isinstance(field, forms.BooleanField):
        return field.required
    return ""


def form_data(form: forms.BaseForm, numbers: Iterator[int], sent: dict[str, str]) -> dict[str, Any]:
    """The form's POST data: a payload in every free-text field, a valid value in every other."""
    data: dict[str, Any] = {}
    for order, bound in enumerate(form):
        field = bound.field
        if isinstance(field, forms.FileField):
            if field.required:
                data[bound.html_name] = sample_value(bound.name, field, order)
            continue
        if is_free_text(bound.name, field):
            value = payload(next(numbers), getattr(field, "max_length", None))
            sent[bound.html_name] = value
            if bound.name in ONE_PER_LINE:
                value += "\n" + payload(next(numbers), None)
        else:
            value = FORMATTED.get(bound.name, bound.value())
            if value in (None, "", [], ()):
                value = sample_value(bound.name, field, order)
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for suffix, part_widget, part in zip(widget.widgets_names, widget.widgets, parts, strict=False):
                data[bound.html_name + suffix] = part_widget.format_value(part) or ""
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        else:
            formatted = widget.format_value(value)
            data[bound.html_name] = formatted[0] if isinstance(formatted, list) else (formatted or "")
    return data


def readable_text(response) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """("html" or "export", the text a person reads) of a response."""
    kind = response.headers.get("Content-Type", "").split(";")[0]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind == "text/csv":
        return "export", "\n".join(",".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    if kind == EXPORT_TYPES[1]:
        book = load_workbook(io.BytesIO(body), read_only=True)
        cells = (str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
        return "export", "\n".join(cells)
    if kind == "application/pdf":
        return "export", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if kind == "text/html":
        return "html", body.decode()
    return "other", ""


def url_of(name: str, world: dict) -> str:  # noqa: F811
    return reverse(name, kwargs=world["kwargs"].get(name))


@pytest.mark.django_db(transaction=False)
def test_a_script_typed_into_any_form_is_shown_escaped_everywhere(client, world):  # noqa: F811
    admin = world["users"]["admin"]
    verified_login(client, admin)
    # An action needs a network member to own it, and a quote the person's consent to be quoted.
    meeting = Meeting.objects.get(uuid=world["kwargs"]["network:action_create"]["uuid"])
    MembershipFactory(network=meeting.network)
    FeedbackItem.objects.filter(uuid=world["kwargs"]["voice:item_detail"]["uuid"]).update(consent_to_publish=True)
    # Shortlist notes are shown, and printed, with the services picked.
    client.post(url_of("directory:shortlist_add", world))
    items_before = FeedbackItem.objects.count()
    names = [name for name in EXPECTED if not name.startswith(SKIPPED_NAMESPACES)]
    numbers = itertools.count(1)
    sent_by_page: dict[str, dict[str, str]] = {}
    refused: dict[str, str] = {}
    pages: list[str] = []

    for name in names:
        url = url_of(name, world)
        response = client.get(url)
        found = page_forms(response) if response.status_code == 200 else []
        if not found or name in NOT_SENT:
            continue
        sent: dict[str, str] = {}
        if all(form.is_bound for form in found):  # filters and searches read the query string
            data = {key: value for form in found for key, value in form_data(form, numbers, sent).items()}
            answer = client.get(url, data, follow=True)
            pages.append(answer.content.decode())
        else:
            data = {key: value for form in found for key, value in form_data(form, numbers, sent).items()}
            data = {**management_data(response), **data}
            target = url_of(POSTED_TO[name], world) if name in POSTED_TO else url
            answer = client.post(target, data, follow=True)
            ignored = not answer.redirect_chain and not any(form.is_bound for form in page_forms(answer))
            if answer.status_code == 405 or ignored:  # a search form the page reads from the query string
                answer = client.get(url, {k: v for k, v in data.items() if isinstance(v, str)})
            pages.append(answer.content.decode())
            errors = {key: value for form in page_forms(answer) if form.is_bound for key, value in form.errors.items()}
            if (answer.status_code >= 400 or errors) and name not in LOOKUPS:
                refused[name] = f"{answer.status_code} {errors}"
        sent_by_page[name] = sent

    assert not refused, "Forms refused the filled-in data:\n" + "\n".join(f"{k}: {v}" for k, v in refused.items())

    # Feedback sent through the forms is read on its own page, which the matrix's records do not reach.
    for item in FeedbackItem.objects.order_by("pk")[items_before:]:
        pages.append(client.get(reverse("voice:item_detail", kwargs={"uuid": item.uuid})).content.decode())

    exports: list[str] = []
    anonymous = Client()
    # Every survey's questions (and their hints) as a newly invited person reads them: the matrix's invitation
    # has been answered above, and answered surveys show no questions.
    Survey.objects.update(status=SurveyStatus.OPEN)
    for survey in Survey.objects.all():
        invitation = SurveyInvitation.objects.create(survey=survey, email=f"reader{survey.pk}@example.org")
        token = survey_results.invitation_token(invitation)
        pages.append(anonymous.get(reverse("network:survey_respond", args=[token])).content.decode())
    for name, reader in itertools.product([name for name in names if name not in NOT_READ], (client, anonymous)):
        response = reader.get(url_of(name, world))
        if response.status_code != 200:
            continue
        kind, text = readable_text(response)
        (pages if kind == "html" else exports if kind == "export" else []).append(text)

    every_page = "\n".join(pages)
    every_export = "\n".join(exports)
    tags_by_page = {
        name: [tag for v in sent.values() for tag in opening_tags(v)] for name, sent in sent_by_page.items()
    }
    every_tag = [tag for tags in tags_by_page.values() for tag in tags]
    assert [tag for tag in every_tag if tag in every_page] == [], "Payloads shown as markup"
    unseen = [name for name, tags in tags_by_page.items() if not any(escape(tag) in every_page for tag in tags)]
    assert unseen == [], f"These forms' text was shown nowhere, escaped: {unseen}"
    assert [tag for tag in every_tag if escape(tag) in every_export] == [], "Exports hold escaped markup"
    assert any(tag in every_export for tag in every_tag), "No export held a payload as plain text"
