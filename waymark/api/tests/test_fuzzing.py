"""Every API operation, fuzzed from the committed OpenAPI schema, answers as that schema says.

Schemathesis generates requests for each operation in ``waymark/api/openapi.yaml`` and sends them to the
application in-process (WSGI), anonymously and with an administrator's API token, over the small demo
borough so detail operations also meet records that exist. A response fails if it is a server error, has a
status code the operation does not document, or a body or content type that breaks the schema.

It runs on SQLite only: the generated requests touch nothing PostgreSQL treats differently, and the run
would double the time the PostgreSQL job takes. Examples are bounded and derandomised, so every run sends
the same requests.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import connection
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from waymark.accounts.factories import make_persona
from waymark.api.services import create_api_token
from waymark.core.models import Area, Community, EthnicCodeSet, Language, Organisation, Postcode, Theme
from waymark.core.roles import Role
from waymark.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from waymark.grants import open_data
from waymark.grants.factories import AssessmentFactory
from waymark.grants.models import Application, Assessment, Programme
from waymark.monitoring.models import ImportBatch, PublishedSnapshot
from waymark.network.models import Action, Contact, Event, Meeting, Membership, Minutes, Network, Registration, Survey
from waymark.partnership.choices import PUBLIC_STATUSES
from waymark.partnership.models import Consultation
from waymark.plans.choices import PlanStatus
from waymark.plans.models import Action as PlanAction
from waymark.plans.models import Indicator as PlanIndicator
from waymark.plans.models import Objective as PlanObjective
from waymark.plans.models import Plan
from waymark.voice import published
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.models import FeedbackItem

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="API fuzzing runs on SQLite only (see docstring)."),
]


def _operations(schema: Any) -> Iterator[Any]:
    for result in schema.get_all_operations():
        yield result.ok()


def _first_uuid(rows: Any) -> str:
    """The uuid of the first row of a model (or of a queryset)."""
    return str(getattr(rows, "objects", rows).values_list("uuid", flat=True).first())


def _existing_path_values() -> dict[str, dict[str, str]]:
    """For each path with parameters, the values of a record the demo borough holds."""
    provider = ImportBatch.objects.values_list("provider__uuid", flat=True).first()
    public_survey = str(Survey.objects.filter(results_public=True).values_list("uuid", flat=True)[0])
    published_plan = Plan.objects.filter(status=PlanStatus.PUBLISHED).first()
    assert published_plan is not None, "the small demo borough publishes the trust's PCREF plan"
    seat = str((Assessment.objects.first() or AssessmentFactory()).uuid)
    award_rows = open_data.award_rows(open_data.published_awards())
    return {
        "/api/v1/areas/{id}/": {"id": str(Area.objects.values_list("pk", flat=True).first())},
        "/api/v1/communities/{id}/": {"id": str(Community.objects.values_list("pk", flat=True).first())},
        "/api/v1/directory/services/{id}": {"id": str(Service.objects.values_list("uuid", flat=True).first())},
        "/api/v1/directory/taxonomies/{id}": {"id": _first_uuid(Taxonomy)},
        "/api/v1/directory/taxonomy_terms/{id}": {"id": _first_uuid(TaxonomyTerm)},
        "/api/v1/directory/service_at_locations/{id}": {
            "id": _first_uuid(ServiceAtLocation.objects.filter(service__in=Service.objects.public()))
        },
        "/api/v1/directory/organizations/{id}": {
            "id": _first_uuid(Organisation.objects.filter(pk__in=Service.objects.public().values("organisation_id")))
        },
        "/api/v1/ethnic-code-sets/{slug}/": {"slug": EthnicCodeSet.objects.values_list("slug", flat=True).first()},
        "/api/v1/languages/{code}/": {"code": Language.objects.values_list("code", flat=True).first()},
        "/api/v1/monitoring/imports/{uuid}/": {"uuid": str(ImportBatch.objects.values_list("uuid", flat=True).first())},
        "/api/v1/monitoring/providers/{uuid}/dashboard/": {"uuid": str(provider)},
        "/api/v1/monitoring/providers/{uuid}/data-quality/": {"uuid": str(provider)},
        "/api/v1/monitoring/snapshots/{uuid}/": {
            "uuid": str(PublishedSnapshot.objects.values_list("uuid", flat=True).first())
        },
        "/api/v1/network/actions/{uuid}/": {"uuid": _first_uuid(Action)},
        "/api/v1/network/contacts/{uuid}/": {"uuid": _first_uuid(Contact)},
        "/api/v1/network/events/{uuid}/": {"uuid": _first_uuid(Event)},
        "/api/v1/network/meetings/{uuid}/": {"uuid": _first_uuid(Meeting)},
        "/api/v1/network/memberships/{id}/": {"id": str(Membership.objects.values_list("pk", flat=True).first())},
        "/api/v1/network/minutes/{meeting_uuid}/": {
            "meeting_uuid": str(Minutes.objects.filter(status="published").values_list("meeting__uuid", flat=True)[0])
        },
        "/api/v1/network/networks/{slug}/": {"slug": Network.objects.values_list("slug", flat=True).first()},
        "/api/v1/network/registrations/{uuid}/": {"uuid": _first_uuid(Registration)},
        "/api/v1/network/surveys/{uuid}/": {"uuid": _first_uuid(Survey)},
        "/api/v1/network/surveys/{uuid}/published-results/": {"uuid": public_survey},
        "/api/v1/network/surveys/{uuid}/results/": {"uuid": public_survey},
        "/api/v1/organisations/{uuid}/": {"uuid": str(Organisation.objects.values_list("uuid", flat=True).first())},
        "/api/v1/postcodes/{postcode}/": {"postcode": Postcode.objects.values_list("postcode", flat=True).first()},
        "/api/v1/themes/{slug}/": {"slug": Theme.objects.values_list("slug", flat=True).first()},
        "/api/v1/plans/{uuid}/": {"uuid": str(published_plan.uuid)},
        "/api/v1/plans/actions/{uuid}/": {
            "uuid": _first_uuid(PlanAction.objects.filter(objective__plan=published_plan))
        },
        "/api/v1/plans/indicators/{uuid}/": {
            "uuid": _first_uuid(PlanIndicator.objects.filter(action__objective__plan=published_plan))
        },
        "/api/v1/plans/objectives/{uuid}/": {"uuid": _first_uuid(PlanObjective.objects.filter(plan=published_plan))},
        "/api/v1/partnership/consultations/{uuid}/": {
            "uuid": _first_uuid(Consultation.objects.filter(published=True, status__in=PUBLIC_STATUSES))
        },
        "/api/v1/voice/issues/{uuid}/": {"uuid": str(published.public_issues().values_list("uuid", flat=True)[0])},
        "/api/v1/voice/items/{uuid}/": {"uuid": str(FeedbackItem.objects.values_list("uuid", flat=True).first())},
        # grants (assess): someone's seat, which neither caller holds (401 anonymously, 404 for the administrator)
        "/api/v1/grants/assessments/{uuid}/": {"uuid": seat},
        "/api/v1/grants/assessments/{uuid}/scores/": {"uuid": seat},
        # grants: an application (grants officers only), a published programme and a published award
        "/api/v1/grants/applications/{uuid}/": {"uuid": _first_uuid(Application)},
        "/api/v1/grants/programmes/{uuid}/": {"uuid": _first_uuid(Programme.objects.filter(published=True))},
        "/api/v1/grants/awards/{grant_id}/": {"grant_id": open_data.grant_id(next(iter(award_rows)))},
    }


@pytest.fixture
def demo_borough() -> None:
    call_command("seed_demo", "--size", "small", "--seed", "3", verbosity=0)
    FeedbackItemFactory(sentiment="")  # the voice API once answered "" here, outside its own enum


def _fuzz(operation: Any, headers: dict[str, str], path_parameters: dict[str, str] | None) -> int:
    """Run one operation's bounded examples; return how many requests were sent."""
    sent = 0

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    cache.clear()  # each run starts with a fresh throttle, so generated requests reach the view
    run()
    return sent


def test_every_operation_answers_as_the_schema_says(demo_borough: None) -> None:
    admin = make_persona(Role.ADMIN)
    _, secret = create_api_token(actor=admin, name="Schema fuzzing")
    schema = schemathesis.openapi.from_path(SCHEMA_PATH)
    schema.app = get_wsgi_application()
    existing = _existing_path_values()
    personas = {"anonymous": {}, "administrator": {"Authorization": f"Bearer {secret}"}}

    failures: list[str] = []
    runs_made = requests_sent = 0
    operations = list(_operations(schema))
    for operation in operations:
        runs: list[dict[str, str] | None] = [None]
        if re.search(r"{\w+}", operation.path):
            runs.append(existing[operation.path])
        for persona, headers in personas.items():
            for path_parameters in runs:
                runs_made += 1
                try:
                    requests_sent += _fuzz(operation, headers, path_parameters)
                except (Exception, BaseExceptionGroup) as failure:  # every operation is tried, all failures reported
                    failures.append(f"{operation.label} as {persona} ({path_parameters or 'generated'}): {failure}")
    assert len(operations) >= 30
    assert not failures, "\n\n".join(failures)
    assert requests_sent >= runs_made  # every run reached the application
