"""The base layout, NHS.UK component partials, error pages, home page and form renderer.

The templates are rendered directly (not through views) against a small URLconf
defined here, so these tests only depend on the URL names the templates use.
"""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.paginator import Paginator
from django.template import loader
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from waymark.core.forms_rendering import WaymarkFormRenderer


@pytest.fixture(autouse=True)
def _template_settings(settings):
    settings.LANGUAGES = [("en-gb", "English"), ("ur", "Urdu")]


class _Elements(HTMLParser):
    """Collects every start tag as (tag, attributes) so tests can look for elements."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str, tag: str, **wanted: str) -> list[dict[str, str | None]]:
    """Attributes of each <tag> in html whose attributes include the wanted ones (class_ matches one class)."""
    parser = _Elements()
    parser.feed(html)
    found = []
    for name, attrs in parser.elements:
        if name != tag:
            continue
        wanted_class = wanted.get("class_")
        if wanted_class and wanted_class not in (attrs.get("class") or "").split():
            continue
        if all(attrs.get(key) == value for key, value in wanted.items() if key != "class_"):
            found.append(attrs)
    return found


def get_request(path="/", user=None):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return request


# --- Base layout --------------------------------------------------------------


def test_base_is_left_to_right_in_english():
    html = render_to_string("base.html", request=get_request())

    assert elements(html, "html", lang="en-gb", dir="ltr")


def test_base_is_right_to_left_in_urdu():
    with translation.override("ur"):
        html = render_to_string("base.html", request=get_request())

    assert elements(html, "html", lang="ur", dir="rtl")


def test_base_offers_sign_in_to_a_visitor_and_returns_them_to_the_page():
    html = render_to_string("base.html", request=get_request("/pages/privacy/"))

    assert elements(html, "a", class_="nhsuk-header__account-link", href="/account/login/?next=/pages/privacy/")
    assert "Sign out" not in html
    assert elements(html, "a", class_="nhsuk-skip-link", href="#maincontent")
    assert elements(html, "main", id="maincontent")


@pytest.mark.django_db
def test_base_shows_account_link_and_a_sign_out_form_that_posts_with_a_csrf_token(make_persona):
    user = make_persona(None)
    html = render_to_string("base.html", request=get_request(user=user))

    assert elements(html, "a", class_="nhsuk-header__account-link", href="/account/")
    assert elements(html, "form", action="/account/logout/", method="post")
    assert elements(html, "input", name="csrfmiddlewaretoken")
    assert "X-CSRFToken" in elements(html, "body")[0]["hx-headers"]


def test_base_marks_the_current_menu_and_the_current_page_beneath_it():
    nav_menu = [
        {"label": "Records and tools", "url": "/organisations/", "current": True},
        {"label": "Voice", "url": "/voice/triage/", "current": False},
    ]
    nav_subnav = {
        "label": "Records and tools",
        "items": [
            {"label": "Organisations", "url": "/organisations/", "current": True},
            {"label": "Background jobs", "url": "/jobs/", "current": False},
        ],
    }
    html = render_to_string(
        "base.html", {"nav_menu": nav_menu, "nav_subnav": nav_subnav}, request=get_request("/organisations/")
    )

    menu = elements(html, "a", class_="nhsuk-header__navigation-link")
    assert [(link["href"], link.get("aria-current")) for link in menu] == [
        ("/organisations/", "true"),
        ("/voice/triage/", None),
    ]
    pages = elements(html, "a", class_="waymark-subnav__link")
    assert [(link["href"], link.get("aria-current")) for link in pages] == [
        ("/organisations/", "page"),
        ("/jobs/", None),
    ]
    assert elements(html, "nav", class_="waymark-subnav")[0]["aria-label"] == "Pages in Records and tools"


def test_base_footer_links_to_site_pages_and_api_docs():
    html = render_to_string("base.html", request=get_request())

    footer_links = [link["href"] for link in elements(html, "a", class_="nhsuk-footer__list-item-link")]
    assert footer_links == ["/pages/accessibility/", "/pages/privacy/", "/pages/cookies/", "/api/v1/docs/"]


def test_base_loads_only_local_assets():
    html = render_to_string("base.html", request=get_request())

    sources = [el["href"] for el in elements(html, "link")] + [
        el["src"] for el in elements(html, "script") if "src" in el
    ]
    assert sources and all(source.startswith("/static/") for source in sources)
    assert "/static/vendor/nhsuk/nhsuk-frontend.min.js" in html


def test_messages_are_announced_with_roles_by_level():
    request = get_request()
    request._messages = CookieStorage(request)
    messages.success(request, "Organisation saved.")
    messages.error(request, "The file could not be read.")
    messages.info(request, "The import has started.")

    html = render_to_string("base.html", request=request)

    banners = elements(html, "div", class_="nhsuk-notification-banner")
    assert [banner["role"] for banner in banners] == ["alert", "alert", "status"]
    assert len({banner["aria-labelledby"] for banner in banners}) == 3
    assert "Organisation saved." in html and "The import has started." in html


# --- Error pages and home page -------------------------------------------------


def test_500_page_renders_with_an_empty_context():
    html = loader.get_template("500.html").render({})

    assert "Sorry, there is a problem with the service" in html
    assert elements(html, "html", dir="ltr")
    assert "Sign in" not in html


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("400.html", "Sorry, there is a problem with your request"),
        ("403.html", "You do not have permission to see this page"),
        ("404.html", "Page not found"),
    ],
)
def test_error_pages_say_what_happened_and_link_home(template, heading):
    html = render_to_string(template, request=get_request("/somewhere/"))

    assert f"{heading} – Waymark" in html
    assert elements(html, "a", href="/")


def test_403_page_offers_a_visitor_sign_in():
    html = render_to_string("403.html", request=get_request("/jobs/"))

    assert elements(html, "a", href="/account/login/?next=/jobs/")


def test_home_page_explains_waymark_to_a_visitor_and_offers_sign_in():
    html = render_to_string("core/home.html", request=get_request())

    assert "race equality in mental health care" in html
    assert elements(html, "a", class_="nhsuk-button", href="/account/login/")


@pytest.mark.django_db
def test_home_page_welcomes_a_signed_in_user_with_each_page_under_its_apps_heading(make_persona):
    user = make_persona(None, full_name="Amina Rahman")
    organisations = {"label": "Organisations", "url": "/organisations/", "current": False}
    api = {"label": "API", "url": "/api/v1/docs/", "current": False}
    nav_sections = [
        {"title": "Shared records and administration", "items": [organisations]},
        {"title": "Connecting other tools", "items": [api]},
    ]
    context = {"nav_items": [organisations, api], "nav_sections": nav_sections}
    html = render_to_string("core/home.html", context, request=get_request(user=user))

    assert "Welcome, Amina Rahman" in html
    main = html[html.index("<main") :]
    assert re.findall(r'<h3 class="nhsuk-heading-s">([^<]+)</h3>', main) == [
        "Shared records and administration",
        "Connecting other tools",
    ]
    assert main.index("Shared records and administration") < main.index("/organisations/")
    assert main.index("/organisations/") < main.index("Connecting other tools") < main.index("/api/v1/docs/")


# --- Form renderer ---------------------------------------------------------------


class ContactForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on letters")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    area = forms.ChoiceField(label="Area", choices=[("", "Choose"), ("n", "North"), ("s", "South")])
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "Email"), ("phone", "Phone")],
        widget=forms.RadioSelect,
        help_text="Choose one",
    )
    consent = forms.BooleanField(label="I agree to be contacted")
    reference = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Check the whole form.")


def bound_form(data=None):
    return ContactForm(data=data if data is not None else {}, renderer=WaymarkFormRenderer())


def test_form_renderer_draws_an_nhsuk_text_input_with_hint_and_error_linked_by_aria():
    html = str(bound_form())

    assert elements(html, "label", class_="nhsuk-label", **{"for": "id_name"})
    assert elements(html, "div", class_="nhsuk-hint", id="id_name_helptext")
    errors = elements(html, "span", class_="nhsuk-error-message", id="id_name_error")
    assert errors
    assert '<span class="nhsuk-u-visually-hidden">Error: </span>This field is required.' in html
    (field_input,) = elements(html, "input", id="id_name")
    assert field_input["class"] == "nhsuk-input nhsuk-input--error"
    assert field_input["aria-describedby"] == "id_name_helptext id_name_error"
    assert elements(html, "div", class_="nhsuk-form-group--error")


def test_form_renderer_styles_textareas_and_selects_and_marks_optional_fields():
    html = str(bound_form({"notes": "", "area": "n"}))

    assert elements(html, "textarea", class_="nhsuk-textarea", id="id_notes")
    assert "Notes (optional)" in html
    (select,) = elements(html, "select", id="id_area")
    assert select["class"] == "nhsuk-select"


def test_form_renderer_puts_radios_in_a_fieldset_described_by_hint_and_error():
    html = str(bound_form())

    assert elements(
        html, "fieldset", class_="nhsuk-fieldset", **{"aria-describedby": "id_contact_helptext id_contact_error"}
    )
    assert elements(html, "div", class_="nhsuk-radios")
    radios = elements(html, "input", type="radio")
    assert [radio["id"] for radio in radios] == ["id_contact_0", "id_contact_1"]
    assert all("nhsuk-radios__input" in radio["class"].split() for radio in radios)
    assert elements(html, "label", class_="nhsuk-radios__label", **{"for": "id_contact_0"})


def test_form_renderer_draws_a_single_checkbox_with_its_label_after_the_box():
    html = str(bound_form())

    (checkbox,) = elements(html, "input", type="checkbox")
    assert "nhsuk-checkboxes__input" in checkbox["class"].split()
    assert elements(html, "label", class_="nhsuk-checkboxes__label", **{"for": "id_consent"})
    assert checkbox["aria-describedby"] == "id_consent_error"


def test_form_renderer_keeps_the_form_authors_own_classes():
    class PostcodeForm(forms.Form):
        postcode = forms.CharField(widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}))

    html = str(PostcodeForm(renderer=WaymarkFormRenderer()))

    (field_input,) = elements(html, "input", id="id_postcode")
    assert field_input["class"] == "nhsuk-input--width-10 nhsuk-input"


def test_form_renderer_shows_errors_for_the_whole_form():
    html = str(bound_form())

    assert "Check the whole form." in html


def test_error_summary_links_each_error_to_its_first_input():
    html = render_to_string("components/error_summary.html", {"form": bound_form()})

    assert elements(html, "div", class_="nhsuk-error-summary", **{"data-module": "nhsuk-error-summary"})
    hrefs = [link["href"] for link in elements(html, "a")]
    assert hrefs == ["#id_name", "#id_area", "#id_contact_0", "#id_consent"]
    assert "Check the whole form." in html


def test_error_summary_is_empty_for_a_form_without_errors():
    form = ContactForm(renderer=WaymarkFormRenderer())

    assert render_to_string("components/error_summary.html", {"form": form}).strip() == ""


# --- Component partials --------------------------------------------------------


def test_pagination_keeps_other_query_parameters():
    request = get_request("/organisations/?q=leeds&type=charity&page=2")
    page_obj = Paginator(list(range(50)), 10).page(2)

    html = render_to_string("components/pagination.html", {"page_obj": page_obj}, request=request)

    assert [link["href"] for link in elements(html, "a", rel="prev")] == ["?q=leeds&type=charity&page=1"]
    assert [link["href"] for link in elements(html, "a", rel="next")] == ["?q=leeds&type=charity&page=3"]
    assert "Page 2 of 5" in html


def test_pagination_is_hidden_for_a_single_page():
    page_obj = Paginator([1, 2], 10).page(1)

    html = render_to_string("components/pagination.html", {"page_obj": page_obj}, request=get_request())

    assert html.strip() == ""


def test_breadcrumbs_take_pairs_or_dicts_and_end_with_a_back_link():
    items = [("Home", "/"), {"label": "Organisations", "url": "/organisations/"}]

    html = render_to_string("components/breadcrumbs.html", {"items": items})

    assert [link["href"] for link in elements(html, "a", class_="nhsuk-breadcrumb__link")] == ["/", "/organisations/"]
    assert elements(html, "a", class_="nhsuk-back-link", href="/organisations/")
    assert "Back to </span>Organisations" in html


def test_tag_takes_its_colour_from_the_status():
    html = render_to_string("components/tag.html", {"text": "Failed", "status": "failed"})

    assert elements(html, "strong", **{"class": "nhsuk-tag nhsuk-tag--red"})


def test_summary_list_change_links_name_the_row_for_screen_readers():
    rows = [{"key": "Name", "value": "Riverside Centre", "href": "/organisations/1/edit/"}]

    html = render_to_string("components/summary_list.html", {"rows": rows})

    assert elements(html, "a", href="/organisations/1/edit/")
    assert 'Change<span class="nhsuk-u-visually-hidden"> name</span>' in html


def test_table_marks_numeric_cells_and_repeats_headings_when_responsive():
    html = render_to_string(
        "components/table.html",
        {
            "caption": "Referrals",
            "head": ["Group", {"text": "Count", "numeric": True}],
            "rows": [["Black Caribbean", {"text": 12, "numeric": True}]],
            "first_cell_is_header": True,
            "responsive": True,
        },
    )

    assert elements(html, "th", scope="row")
    assert elements(html, "td", class_="nhsuk-table__cell--numeric")
    assert '<span class="nhsuk-table__heading" aria-hidden="true">Count </span>12' in html
