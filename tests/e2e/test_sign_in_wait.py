"""A guesser who keeps failing is asked to wait, on the sign-in page itself, with the username kept."""

import pytest

from waymark.accounts.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_repeated_failures_show_how_long_to_wait(browse, settings):
    settings.LOGIN_FREE_FAILURES = 1
    settings.LOGIN_FIRST_DELAY_SECONDS = 120
    user = UserFactory()
    page = browse.page
    browse.goto("/account/login/")
    for _ in range(2):
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("a wrong guess")
        page.get_by_role("button", name="Sign in").click()
        browse.check()
    assert page.get_by_text("Enter a correct username and password").first.is_visible()

    page.get_by_label("Password").fill(TEST_PASSWORD)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Sign in").click()
    browse.check()
    assert answer.value.status == 429
    assert 0 < int(answer.value.headers["retry-after"]) <= 120
    assert page.get_by_text("Wait 2 minutes and try again").first.is_visible()
    assert page.get_by_label("Username").input_value() == user.username
