"""The demo people: one account for each working role, made with the demo borough, passwords only in var/."""

import io
import json
import random
import stat

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from waymark.accounts import demo, services
from waymark.accounts.models import RoleGrant, User
from waymark.core.choices import OrganisationType
from waymark.core.demo_data.organisations import ORGANISATIONS
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Job
from waymark.core.roles import Role
from waymark.monitoring.dashboards import providers_with_figures
from waymark.network.models import Network
from waymark.voice import demo as voice_demo
from waymark.voice.models import Escalation, EscalationStatus

pytestmark = pytest.mark.django_db

USERNAMES = [
    "demo-worker",
    "demo-cdw-manager",
    "demo-cdw-amira",
    "demo-cdw-jo",
    "demo-cdw-dev",
    "demo-grants-officer",
    "demo-grants-assessor",
    "demo-analyst",
    "demo-responder",
    "demo-member",
    "demo-grants-panel",
]


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def borough(var_dir):
    out = io.StringIO()
    call_command("seed_demo", "--size", "small", stdout=out)
    return out.getvalue()


def _quiet(*args):
    pass


def _sign_in(client, settings, username):
    """Sign in through the login page with the password from the file, as a newcomer under ``make run``."""
    settings.SECOND_FACTOR_REQUIRED = False  # make run sets DEBUG=true, which turns it off
    password = demo.read_credentials(demo.credentials_path())[username]
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, username
    return User.objects.get(username=username)


def _grant(username):
    return RoleGrant.objects.select_related("organisation").get(user__username=username)


def test_each_working_role_has_a_demo_person_granted_on_the_boroughs_records(borough):
    assert list(User.objects.filter(username__in=USERNAMES).order_by("pk").values_list("username", flat=True)) == (
        USERNAMES
    )
    assert _grant("demo-worker").role == Role.STAFF
    assert _grant("demo-worker").organisation.org_type in {OrganisationType.CHARITY, OrganisationType.COMMUNITY_GROUP}
    analyst = _grant("demo-analyst")
    assert analyst.role == Role.ANALYST and analyst.organisation in providers_with_figures()
    responder = _grant("demo-responder")
    assert responder.role == Role.RESPONDER
    assert Escalation.objects.filter(responder=responder.organisation, status=EscalationStatus.AWAITING).exists()
    member = _grant("demo-member")
    assert member.role == Role.MEMBER and member.organisation == Network.objects.get().organisation
    for username in USERNAMES:
        user = User.objects.get(username=username)
        assert user.role_grants.count() == 1 and not user.is_superuser and not user.is_staff
        assert user.email == f"{username}@waymark.invalid"
    assert "demo-analyst" in borough and str(demo.credentials_path()) in borough


def test_each_demo_person_sees_what_their_role_is_for(borough, client, settings):
    _sign_in(client, settings, "demo-worker")
    assert client.get(reverse("voice:triage")).status_code == 200

    client.logout()
    analyst = _sign_in(client, settings, "demo-analyst")
    trust = _grant("demo-analyst").organisation
    page = client.get(reverse("monitoring:provider_dashboard", args=[trust.uuid]))
    assert page.status_code == 200
    assert page.context["protected"] is False and page.context["dashboard"] is not None
    other = providers_with_figures().exclude(pk=trust.pk).get()
    assert client.get(reverse("monitoring:provider_dashboard", args=[other.uuid])).context["protected"] is True
    assert client.get(reverse("monitoring:data_quality", args=[trust.uuid])).status_code == 200
    assert analyst.username == "demo-analyst"

    client.logout()
    _sign_in(client, settings, "demo-responder")
    responder = _grant("demo-responder").organisation
    page = client.get(reverse("voice:responder_list"))
    listed = list(page.context["escalations"])
    assert listed and {escalation.responder_id for escalation in listed} == {responder.pk}
    assert any(escalation.status == EscalationStatus.AWAITING for escalation in listed)
    assert Escalation.objects.exclude(responder=responder).exists()  # others' exist, and are not listed
    assert client.get(reverse("voice:responder_escalation", args=[listed[0].uuid])).status_code == 200

    client.logout()
    member = _sign_in(client, settings, "demo-member")
    network = Network.objects.get()
    assert list(Network.objects.visible_to(member)) == [network]
    assert client.get(network.get_absolute_url()).status_code == 200
    assert client.get(reverse("voice:triage")).status_code == 403


def test_passwords_are_random_and_kept_only_in_the_private_file(borough, var_dir):
    path = var_dir / demo.CREDENTIALS_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    passwords = demo.read_credentials(path)
    assert list(passwords) == USERNAMES
    assert len(set(passwords.values())) == len(USERNAMES)
    for username, password in passwords.items():
        assert len(password) >= 16
        assert User.objects.get(username=username).check_password(password)
        assert password not in borough  # not printed
    result = json.dumps(Job.objects.get(name="seed_demo").result)
    assert result and not any(password in result for password in passwords.values())
    assert not list(var_dir.glob("*.partial"))


def test_running_it_again_changes_nothing(borough, var_dir):
    path = var_dir / demo.CREDENTIALS_FILE_NAME
    before = path.read_bytes(), path.stat().st_mtime_ns
    users = list(User.objects.order_by("pk").values_list("username", "password", "last_login"))
    grants = list(RoleGrant.objects.order_by("pk").values_list("user_id", "role", "organisation_id"))
    history = User.history.count() + RoleGrant.history.count()

    out = io.StringIO()
    call_command("ensure_demo_accounts", stdout=out)
    assert demo.seed(rng=random.Random(1), size="small", actor=None, progress=_quiet, context={})["personas"] == (
        USERNAMES
    )

    assert "demo-member" in out.getvalue() and str(path) in out.getvalue()
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert list(User.objects.order_by("pk").values_list("username", "password", "last_login")) == users
    assert list(RoleGrant.objects.order_by("pk").values_list("user_id", "role", "organisation_id")) == grants
    assert User.history.count() + RoleGrant.history.count() == history


def _community_organisation():
    name = next(spec["name"] for spec in ORGANISATIONS if spec["key"] == voice_demo.COMMUNITY_ORGANISATION_KEY)
    return OrganisationFactory(name=name, org_type=OrganisationType.CHARITY)


def test_passwords_do_not_follow_the_demo_seed(var_dir):
    _community_organisation()
    demo.seed(rng=random.Random(1), size="small", actor=None, progress=_quiet, context={})
    first = demo.read_credentials(demo.credentials_path())["demo-worker"]
    User.objects.filter(username="demo-worker").delete()
    demo.credentials_path().unlink()

    demo.seed(rng=random.Random(1), size="small", actor=None, progress=_quiet, context={})

    assert demo.read_credentials(demo.credentials_path())["demo-worker"] != first


def test_a_missing_record_leaves_its_person_out(var_dir):
    _community_organisation()  # no trust with figures, no escalations, no network
    assert demo.ensure_personas(actor=None) == ["demo-worker"]
    assert not User.objects.filter(username="demo-analyst").exists()


def test_nothing_is_made_in_production(var_dir, settings):
    settings.PRODUCTION = True
    organisation = _community_organisation()
    out = io.StringIO()

    summary = demo.seed(rng=random.Random(1), size="small", actor=None, progress=_quiet, context={})
    call_command("ensure_demo_accounts", stdout=out)
    with pytest.raises(services.DemoAccountRefused):
        services.ensure_demo_account(
            actor=None, username="demo-worker", full_name="Cass Example", role=Role.STAFF, organisation=organisation
        )

    assert summary == {"personas": [], "credentials_file": ""}
    assert "production" in out.getvalue()
    assert not User.objects.exists()
    assert not (var_dir / demo.CREDENTIALS_FILE_NAME).exists()


def test_before_the_borough_loads_the_command_waits_for_it(var_dir):
    _community_organisation()  # an organisation, but no demo borough
    call_command("ensure_demo_accounts", stdout=io.StringIO())
    assert not User.objects.exists()
