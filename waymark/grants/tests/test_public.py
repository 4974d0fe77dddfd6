"""The public programme page and its eligibility checker, and the public statistics: what an applicant or a
curious neighbour sees without an account."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.core.choices import CommunityKind
from waymark.core.disclosure import DisclosureRules
from waymark.core.models import Community
from waymark.grants.choices import ApplicationStatus, DecisionOutcome
from waymark.grants.factories import ApplicationFactory, GrantDecisionFactory, ProgrammeFactory
from waymark.grants.models import EligibilityQuestion
from waymark.grants.public_statistics import programme_statistics

pytestmark = pytest.mark.django_db


def community(name=None):
    name = name or f"Community {Community.objects.count()}"
    return Community.objects.create(name=name, kind=CommunityKind.ETHNIC_GROUP)


def programme_url(programme, lang="en-gb"):
    return reverse("grants:public_programme", kwargs={"lang": lang, "code": programme.code})


def statistics_url(programme, lang="en-gb"):
    return reverse("grants:public_programme_statistics", kwargs={"lang": lang, "code": programme.code})


@pytest.fixture
def programme():
    programme = ProgrammeFactory(code="seed-test")
    EligibilityQuestion.objects.create(
        programme=programme,
        text="Does your group have a constitution?",
        required_answer=False,
        explanation="Groups with a constitution apply to the main fund instead.",
        order=1,
    )
    return programme


def answers(programme, *values):
    questions = list(programme.eligibility_questions.all())
    return {"check": "1", **{f"q{question.pk}": value for question, value in zip(questions, values, strict=True)}}


def test_the_page_says_who_may_apply_and_when(client, programme):
    response = client.get(programme_url(programme))
    assert response.status_code == 200
    page = response.content.decode()
    assert programme.title in page and programme.summary in page
    assert "Unincorporated community group" in page and "Charity" in page
    assert "£500 to £5,000" in page
    assert programme.decision_by.strftime("%-d %B %Y") in page
    assert "Is your group based in the borough?" in page
    assert "You can apply" not in page, "the form's link waits for the checker"


def test_an_answer_that_rules_you_out_says_why(client, programme):
    response = client.get(programme_url(programme), answers(programme, "no", "no"))
    page = response.content.decode()
    assert "This programme cannot fund you" in page
    assert "This programme funds groups based in the borough." in page
    assert "Groups with a constitution apply to the main fund instead." not in page
    assert "You can apply" not in page

    # The second question's ruling answer is "yes" (required_answer False).
    page = client.get(programme_url(programme), answers(programme, "yes", "yes")).content.decode()
    assert "Groups with a constitution apply to the main fund instead." in page
    assert "This programme funds groups based in the borough." not in page


def test_the_right_answers_lead_to_the_form(client, programme):
    page = client.get(programme_url(programme), answers(programme, "yes", "no")).content.decode()
    assert "You can apply" in page
    assert "This programme cannot fund you" not in page


def test_an_unanswered_question_is_pointed_out_and_the_other_answer_kept(client, programme):
    questions = list(programme.eligibility_questions.all())
    response = client.get(programme_url(programme), {"check": "1", f"q{questions[0].pk}": "yes"})
    page = response.content.decode()
    assert "There is a problem" in page and "Answer yes or no" in page
    assert response.context["form"][f"q{questions[0].pk}"].value() == "yes"
    assert "You can apply" not in page


def test_a_programme_without_questions_offers_the_form_at_once(client):
    programme = ProgrammeFactory(with_parts=False)
    page = client.get(programme_url(programme)).content.decode()
    assert "You can apply" in page


def test_a_closed_programme_says_so_and_offers_no_form(client, programme):
    programme.opens_on = timezone.localdate() - datetime.timedelta(days=90)
    programme.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    programme.save()
    page = client.get(programme_url(programme), answers(programme, "yes", "no")).content.decode()
    assert "This programme is closed to applications." in page
    assert "You can apply" not in page


def test_the_page_in_urdu_reads_right_to_left_with_links_to_the_other_languages(client, programme):
    response = client.get(programme_url(programme, "ur"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in page and 'lang="ur"' in page
    for lang in ("en-gb", "pl", "bn"):
        assert f'href="{programme_url(programme, lang)}"' in page


def test_a_language_the_programme_does_not_offer_sends_you_to_english(client):
    programme = ProgrammeFactory(languages=["pl"])
    response = client.get(programme_url(programme, "bn"))
    assert response.status_code == 302 and response["Location"] == programme_url(programme)
    assert client.get(programme_url(programme, "xx")).status_code == 404


def test_an_unpublished_programme_is_not_found(client):
    programme = ProgrammeFactory(published=False)
    assert client.get(programme_url(programme)).status_code == 404
    assert client.get(statistics_url(programme)).status_code == 404


def test_the_public_list_links_each_programme_in_the_readers_language(client, programme):
    closed = ProgrammeFactory(
        opens_on=timezone.localdate() - datetime.timedelta(days=120),
        closes_on=timezone.localdate() - datetime.timedelta(days=60),
        decision_by=timezone.localdate() - datetime.timedelta(days=30),
        payment_by=timezone.localdate() - datetime.timedelta(days=20),
    )
    page = client.get(reverse("grants:public_programme_list"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert f'href="{programme_url(programme, "pl")}"' in page
    assert f'href="{statistics_url(closed, "pl")}"' in page


# --- Statistics ------------------------------------------------------------------------------------------


def decided(programme, outcome, *, days, community=None, on=None):
    """An application sent ``days`` before its decision, awarded or declined."""
    decided_on = on or programme.decision_by
    sent = timezone.make_aware(datetime.datetime.combine(decided_on - datetime.timedelta(days=days), datetime.time(12)))
    status = ApplicationStatus.AWARDED if outcome == DecisionOutcome.AWARD else ApplicationStatus.DECLINED
    application = ApplicationFactory(programme=programme, status=status, submitted_at=sent)
    if outcome == DecisionOutcome.AWARD:
        GrantDecisionFactory(application=application, award_date=decided_on)
    else:
        GrantDecisionFactory(application=application, outcome=outcome, amount_awarded=None, award_date=decided_on)
    if community:
        application.communities.add(community)
    return application


def test_statistics_count_received_applications_and_hide_small_numbers(programme):
    somali = community(name="Somali community")
    for days in range(20, 30):  # 10 awards, 20 to 29 days
        decided(programme, DecisionOutcome.AWARD, days=days, community=somali)
    for _ in range(10):
        decided(programme, DecisionOutcome.DECLINE, days=40)
    decided(programme, DecisionOutcome.DECLINE, days=40, on=programme.decision_by + datetime.timedelta(days=3))
    ApplicationFactory.create_batch(9, programme=programme, status=ApplicationStatus.SCREENED_OUT)
    ApplicationFactory.create_batch(5, programme=programme, status=ApplicationStatus.IN_ASSESSMENT)
    ApplicationFactory(programme=programme, status=ApplicationStatus.DRAFT, submitted_at=None)
    ApplicationFactory(programme=programme, status=ApplicationStatus.WITHDRAWN)

    figures = programme_statistics(programme, DisclosureRules(suppress_up_to=7, round_to=5))

    overall = figures.overall
    assert overall.applications.value == 35  # 10 + 11 + 9 + 5 = 35: drafts and withdrawn ones are not counted
    assert overall.awarded.value == 10 and overall.declined.value == 10  # 11 rounds to 10
    assert overall.pending.value is None and overall.pending.suppressed  # 5 is a small count
    assert overall.success_rate is None, "a hidden count leaves no rate"
    assert overall.median_days == 40  # 21 decisions: the 11th of 20..29 and eleven 40s
    assert figures.decided_late.suppressed and figures.on_time_rate is None  # one late decision is hidden
    somali_row = next(row for row in figures.by_community if row.label == "Somali community")
    assert somali_row.applications.value == 10 and somali_row.awarded.value == 10
    assert somali_row.median_days == 24  # the median of 20..29, rounded half to even
    unstated = next(row for row in figures.by_community if row.label == "No community given")
    assert unstated.applications.value == 25


def test_success_rate_comes_from_the_published_counts():
    programme = ProgrammeFactory(with_parts=False)
    for _ in range(10):
        decided(programme, DecisionOutcome.AWARD, days=10)
    for _ in range(30):
        decided(programme, DecisionOutcome.DECLINE, days=10)
    figures = programme_statistics(programme, DisclosureRules(suppress_up_to=7, round_to=5))
    assert figures.overall.success_rate == 25
    assert figures.on_time_rate == 100


def test_a_group_of_few_decisions_shows_no_median(programme):
    roma = community(name="Roma community")
    for _ in range(3):
        decided(programme, DecisionOutcome.AWARD, days=10, community=roma)
    figures = programme_statistics(programme, DisclosureRules(suppress_up_to=7, round_to=5))
    assert figures.overall.median_days is None
    assert figures.by_community[0].median_days is None
    assert figures.by_community[0].applications.value is None


def test_the_statistics_page_needs_no_account_and_reads_a_fixed_number_of_queries(
    client, programme, django_assert_max_num_queries
):
    polish = community(name="Polish community")
    for days in range(10):
        decided(programme, DecisionOutcome.AWARD, days=days + 10, community=polish)
    with django_assert_max_num_queries(12):
        response = client.get(statistics_url(programme, "pl"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Polish community" in page and 'lang="pl"' in page
    for _ in range(20):
        decided(programme, DecisionOutcome.DECLINE, days=30, community=community())
    with django_assert_max_num_queries(12):
        assert client.get(statistics_url(programme, "pl")).status_code == 200


def test_a_programme_with_no_applications_says_so(client, programme):
    page = client.get(statistics_url(programme)).content.decode()
    assert "No applications have been received yet." in page


def test_the_public_pages_refuse_posts(client, programme):
    assert client.post(programme_url(programme)).status_code == 405
    assert client.post(statistics_url(programme)).status_code == 405


def test_awarded_amounts_are_not_on_the_statistics_page(client, programme):
    decided(programme, DecisionOutcome.AWARD, days=10)
    page = client.get(statistics_url(programme)).content.decode()
    assert "£2,000" not in page and "£2000" not in page


def test_the_staff_programme_page_links_to_each_public_page(client, programme, make_persona, verified_login):
    verified_login(client, make_persona("staff"))
    page = client.get(programme.get_absolute_url()).content.decode()
    for lang in ("en-gb", "ur", "pl", "bn"):
        assert f'href="{programme_url(programme, lang)}"' in page
    assert f'href="{statistics_url(programme)}"' in page
    programme.published = False
    programme.save()
    assert programme_url(programme) not in client.get(programme.get_absolute_url()).content.decode()
