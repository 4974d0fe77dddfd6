"""The site-wide 404 and 429 pages speak the visitor's language and never tell the public to sign in: the
public have no account to sign in with."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db

NOT_FOUND = {
    "en-gb": "Page not found",
    "ur": "صفحہ نہیں ملا",
    "pl": "Nie znaleziono strony",
    "bn": "পাতাটি পাওয়া যায়নি",
}


@pytest.mark.parametrize(("language", "heading"), NOT_FOUND.items())
def test_a_missing_page_is_not_found_in_the_visitors_language_without_asking_them_to_sign_in(client, language, heading):
    response = client.get("/no-such-page/", headers={"accept-language": language})

    assert response.status_code == 404
    html = response.content.decode()
    assert f'<h1 class="nhsuk-heading-l">{heading}</h1>' in html
    assert "sign in" not in html.split("<main", 1)[1].lower()


def test_a_signed_in_person_is_told_their_account_may_not_see_the_page(client, make_persona, verified_login):
    verified_login(client, make_persona(None))

    html = client.get("/no-such-page/").content.decode()

    assert "sign in with an account that can see it" in html


@pytest.mark.parametrize("language", ["ur", "pl", "bn"])
def test_too_many_attempts_on_a_public_form_is_said_in_its_language_without_sign_in_advice(language):
    request = RequestFactory().get("/voice/feedback/")
    with translation.override(language):
        html = render_to_string("429.html", request=request)

    main = html.split("<main", 1)[1]
    assert "This form has been sent too many times" not in main
    assert "sign in" not in main.lower()


def test_too_many_sign_in_attempts_still_point_to_the_administrator():
    html = render_to_string("429.html", request=RequestFactory().get("/account/login/"))

    assert "If you cannot sign in, ask your administrator to help." in html
