"""Who can open what: every URL the project has, for every persona, written out by hand.

The expected codes are typed here, not derived from the policy module, so a change of policy shows up
as a failing line someone has to agree to. A URL without a row fails the coverage test.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from waymark.accounts.choices import Role
from waymark.api.services import create_api_token
from waymark.core.factories import OrganisationFactory, make_persona, verified_login
from waymark.core.models import Area, Community, Job, Postcode, Theme
from waymark.directory.factories import FundingSourceFactory, LocationFactory, ServiceFactory

PERSONAS = ("anonymous", "no_role", "member", "staff", "responder", "analyst", "admin")

# URL name → expected status for:  anonymous, no_role, member, staff, responder, analyst, admin
EXPECTED: dict[str, tuple[int, int, int, int, int, int, int]] = {
    # Public pages
    "core:home":                       (200, 200, 200, 200, 200, 200, 200),
    "core:healthz":                    (200, 200, 200, 200, 200, 200, 200),
    "core:page":                       (200, 200, 200, 200, 200, 200, 200),
    "core:page_edit":                  (302, 403, 403, 403, 403, 403, 200),
    # Organisations (the target belongs to none of the personas)
    "core:organisation_list":          (302, 403, 200, 200, 200, 200, 200),
    "core:organisation_create":        (302, 403, 403, 200, 403, 403, 200),
    "core:organisation_detail":        (302, 403, 200, 200, 200, 200, 200),
    "core:organisation_edit":          (302, 403, 403, 200, 403, 403, 200),
    "core:organisation_history":       (302, 403, 403, 200, 403, 403, 200),
    # Background jobs (the target job was started by the admin)
    "core:job_list":                   (302, 200, 200, 200, 200, 200, 200),
    "core:job_detail":                 (302, 404, 404, 404, 404, 404, 200),
    # Personal data (export and erase answer POST only)
    "core:personal_data":              (302, 403, 403, 403, 403, 403, 200),
    "core:personal_data_export":       (302, 403, 403, 403, 403, 403, 405),
    "core:personal_data_erase":        (302, 403, 403, 403, 403, 403, 405),
    # The user's own account
    "accounts:profile":                (302, 200, 200, 200, 200, 200, 200),
    "accounts:login":                  (200, 302, 302, 302, 302, 302, 302),
    "accounts:logout":                 (405, 405, 405, 405, 405, 405, 405),
    "accounts:password_change":        (302, 200, 200, 200, 200, 200, 200),
    "accounts:password_change_done":   (302, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset":         (200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_done":    (200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_confirm": (200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_complete": (200, 200, 200, 200, 200, 200, 200),
    "accounts:two_factor_setup":       (302, 200, 200, 200, 200, 200, 200),
    "accounts:two_factor_verify":      (302, 200, 200, 200, 200, 200, 200),
    "accounts:recovery_codes":         (302, 405, 405, 405, 405, 405, 405),
    # API tokens (the target token is the admin's)
    "api_tokens:list":                 (302, 200, 200, 200, 200, 200, 200),
    "api_tokens:create":               (302, 405, 405, 405, 405, 405, 405),
    "api_tokens:revoke":               (302, 404, 404, 404, 404, 404, 200),
    # API
    "api:root":                        (200, 200, 200, 200, 200, 200, 200),
    "api:schema":                      (200, 200, 200, 200, 200, 200, 200),
    "api:docs":                        (200, 200, 200, 200, 200, 200, 200),
    "api:organisation-list":           (401, 403, 200, 200, 200, 200, 200),
    "api:organisation-detail":         (401, 403, 200, 200, 200, 200, 200),
    "api:area-list":                   (200, 200, 200, 200, 200, 200, 200),
    "api:area-detail":                 (200, 200, 200, 200, 200, 200, 200),
    "api:postcode-detail":             (200, 200, 200, 200, 200, 200, 200),
    "api:language-list":               (200, 200, 200, 200, 200, 200, 200),
    "api:language-detail":             (200, 200, 200, 200, 200, 200, 200),
    "api:community-list":              (200, 200, 200, 200, 200, 200, 200),
    "api:community-detail":            (200, 200, 200, 200, 200, 200, 200),
    "api:theme-list":                  (200, 200, 200, 200, 200, 200, 200),
    "api:theme-detail":                (200, 200, 200, 200, 200, 200, 200),
    "api:ethnic-code-set-list":        (200, 200, 200, 200, 200, 200, 200),
    "api:ethnic-code-set-detail":      (200, 200, 200, 200, 200, 200, 200),
    # Directory: public signposting (the target service is published)
    "directory:search":                (200, 200, 200, 200, 200, 200, 200),
    "directory:service_detail":        (200, 200, 200, 200, 200, 200, 200),
    "directory:service_print":         (200, 200, 200, 200, 200, 200, 200),
    "directory:shortlist":             (200, 200, 200, 200, 200, 200, 200),
    "directory:shortlist_add":         (405, 405, 405, 405, 405, 405, 405),
    "directory:shortlist_remove":      (405, 405, 405, 405, 405, 405, 405),
    "directory:shortlist_pdf":         (302, 302, 302, 302, 302, 302, 302),  # empty: back to the shortlist
    "directory:map":                   (200, 200, 200, 200, 200, 200, 200),
    "directory:map_wards":             (200, 200, 200, 200, 200, 200, 200),
    "directory:map_locations":         (200, 200, 200, 200, 200, 200, 200),
    "directory:hsds_export":           (200, 200, 200, 200, 200, 200, 200),
    "directory:hsds_export_package":   (200, 200, 200, 200, 200, 200, 200),
    # Directory: staff upkeep (the target records belong to none of the personas)
    "directory:manage":                (302, 403, 403, 200, 200, 200, 200),
    "directory:service_create":        (302, 403, 403, 200, 200, 403, 200),
    "directory:service_staff_detail":  (302, 403, 403, 200, 200, 200, 200),
    "directory:service_edit":          (302, 403, 403, 200, 403, 403, 200),
    "directory:service_history":       (302, 403, 403, 200, 403, 403, 200),
    "directory:service_verify":        (405, 405, 405, 405, 405, 405, 405),
    "directory:review_queue":          (302, 403, 403, 200, 403, 403, 200),
    "directory:location_list":         (302, 403, 403, 200, 200, 200, 200),
    "directory:location_create":       (302, 403, 403, 200, 200, 403, 200),
    "directory:location_edit":         (302, 403, 403, 200, 403, 403, 200),
    "directory:funding_list":          (302, 403, 403, 200, 403, 403, 200),
    "directory:funding_create":        (302, 403, 403, 200, 403, 403, 200),
    "directory:funding_edit":          (302, 403, 403, 200, 403, 403, 200),
    "directory:funding_delete":        (302, 403, 403, 200, 403, 403, 200),
    "directory:fragility":             (302, 403, 403, 200, 200, 200, 200),
    "directory:hsds_import":           (302, 403, 403, 200, 403, 403, 200),
    "directory:hsds_import_job":       (302, 403, 403, 404, 403, 403, 200),
    # Directory: the Open Referral UK API, public
    "api:directory-root":              (200, 200, 200, 200, 200, 200, 200),
    "api:directory-service-list":      (200, 200, 200, 200, 200, 200, 200),
    "api:directory-service-list-slash": (200, 200, 200, 200, 200, 200, 200),
    "api:directory-service-detail":    (200, 200, 200, 200, 200, 200, 200),
    "api:directory-service-detail-slash": (200, 200, 200, 200, 200, 200, 200),
    # Django's admin site, for administrators only (others are sent to its sign-in page)
    "admin:index":                     (302, 302, 302, 302, 302, 302, 200),
}  # fmt: skip

# Namespaces covered by one representative row rather than every generated URL.
REPRESENTED_NAMESPACES = {"admin": "admin:index"}


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
                if pattern.namespace in REPRESENTED_NAMESPACES:
                    names.add(REPRESENTED_NAMESPACES[pattern.namespace])
                    continue
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), None)
    return names


def test_every_url_has_a_row():
    names = {name.removesuffix("-format") for name in _all_url_names()}
    assert names - EXPECTED.keys() == set(), "Add these URLs to EXPECTED"
    assert EXPECTED.keys() - names == set(), "These rows name URLs that no longer exist"


@pytest.fixture
def world(db):
    """The records the URLs point at, and one user per persona."""
    target = OrganisationFactory(name="Target organisation")
    users = {persona: make_persona(persona if persona != "no_role" else None) for persona in PERSONAS[1:]}
    admin = users[Role.ADMIN]
    job = Job.objects.create(name="seed_demo", label="Load demo borough", created_by=admin)
    token, _secret = create_api_token(actor=admin, name="Reporting")
    service = ServiceFactory(organisation=target)
    location = LocationFactory(organisation=target)
    funding = FundingSourceFactory(organisation=target)
    import_job = Job.objects.create(name="hsds_import", label="Import services", created_by=admin)
    area = Area.objects.create(area_type="ward", code="E05999001", name="Riverside Ward", vintage=2022)
    Postcode.objects.create(postcode="ZX1 1AA", district="ZX1", latitude=51.5, longitude=-0.1, ward=area)
    kwargs = {
        "core:page": {"slug": "accessibility"},
        "core:page_edit": {"slug": "accessibility"},
        "core:organisation_detail": {"uuid": target.uuid},
        "core:organisation_edit": {"uuid": target.uuid},
        "core:organisation_history": {"uuid": target.uuid},
        "core:job_detail": {"uuid": job.uuid},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
        "api_tokens:revoke": {"pk": token.pk},
        "api:organisation-detail": {"uuid": target.uuid},
        "api:area-detail": {"pk": area.pk},
        "api:postcode-detail": {"postcode": "ZX1 1AA"},
        "api:language-detail": {"code": "syl"},
        "api:community-detail": {"pk": Community.objects.first().pk},  # type: ignore[union-attr]
        "api:theme-detail": {"slug": Theme.objects.first().slug},  # type: ignore[union-attr]
        "api:ethnic-code-set-detail": {"slug": "ons-2021"},
        "directory:service_detail": {"uuid": service.uuid},
        "directory:service_print": {"uuid": service.uuid},
        "directory:shortlist_add": {"uuid": service.uuid},
        "directory:shortlist_remove": {"uuid": service.uuid},
        "directory:service_staff_detail": {"uuid": service.uuid},
        "directory:service_edit": {"uuid": service.uuid},
        "directory:service_history": {"uuid": service.uuid},
        "directory:service_verify": {"uuid": service.uuid},
        "directory:location_edit": {"uuid": location.uuid},
        "directory:funding_list": {"uuid": target.uuid},
        "directory:funding_create": {"uuid": target.uuid},
        "directory:funding_edit": {"uuid": funding.uuid},
        "directory:funding_delete": {"uuid": funding.uuid},
        "directory:hsds_import_job": {"uuid": import_job.uuid},
        "api:directory-service-detail": {"id": str(service.uuid)},
        "api:directory-service-detail-slash": {"id": str(service.uuid)},
    }
    return {"users": users, "kwargs": kwargs}


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_gets_expected_status_for_every_url(client, world, persona):
    if persona != "anonymous":
        verified_login(client, world["users"][persona])
    wrong = []
    for name, statuses in EXPECTED.items():
        expected = statuses[PERSONAS.index(persona)]
        response = client.get(reverse(name, kwargs=world["kwargs"].get(name)))
        if response.status_code != expected:
            wrong.append(f"{name}: expected {expected}, got {response.status_code}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
