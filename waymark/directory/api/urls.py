"""/api/v1/directory/: the Open Referral UK endpoints, included by waymark.api.urls in the "api" namespace.

Each path answers with and without a trailing slash; the schema lists the form without, as Open
Referral UK tools call it.
"""

from typing import Any

from django.urls import URLPattern, path

from waymark.directory.api import views, views_profile


def _both(route: str, view: Any, name: str) -> list[URLPattern]:
    """``route`` without a trailing slash (in the schema) and with one (left out of it)."""
    return [
        path(route, view.as_view(), name=name),
        path(route + "/", view.as_view(schema=None), name=f"{name}-slash"),
    ]


urlpatterns = [
    path("", views.DirectoryInfoView.as_view(), name="directory-root"),
    *_both("services", views.ServiceListView, "directory-service-list"),
    *_both("services/<str:id>", views.ServiceDetailView, "directory-service-detail"),
    *_both("taxonomies", views_profile.TaxonomyListView, "directory-taxonomy-list"),
    *_both("taxonomies/<str:id>", views_profile.TaxonomyDetailView, "directory-taxonomy-detail"),
    *_both("taxonomy_terms", views_profile.TaxonomyTermListView, "directory-taxonomy-term-list"),
    *_both("taxonomy_terms/<str:id>", views_profile.TaxonomyTermDetailView, "directory-taxonomy-term-detail"),
    *_both("service_at_locations", views_profile.ServiceAtLocationListView, "directory-service-at-location-list"),
    *_both(
        "service_at_locations/<str:id>",
        views_profile.ServiceAtLocationDetailView,
        "directory-service-at-location-detail",
    ),
    *_both("organizations", views_profile.OrganizationListView, "directory-organization-list"),
    *_both("organizations/<str:id>", views_profile.OrganizationDetailView, "directory-organization-detail"),
]
