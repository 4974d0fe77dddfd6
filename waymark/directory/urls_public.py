"""Public signposting pages under /directory/: no sign-in needed."""

from django.urls import URLPattern, path

from waymark.directory import views_public

urlpatterns: list[URLPattern] = [
    path("", views_public.search, name="search"),
    path("services/<uuid:uuid>/", views_public.service_detail, name="service_detail"),
    path("services/<uuid:uuid>/print/", views_public.service_print, name="service_print"),
    path("shortlist/", views_public.shortlist_page, name="shortlist"),
    path("shortlist/add/<uuid:uuid>/", views_public.shortlist_add, name="shortlist_add"),
    path("shortlist/remove/<uuid:uuid>/", views_public.shortlist_remove, name="shortlist_remove"),
    path("shortlist.pdf", views_public.shortlist_pdf, name="shortlist_pdf"),
    path("map/", views_public.service_map, name="map"),
    path("map/wards.geojson", views_public.map_wards, name="map_wards"),
    path("map/locations.geojson", views_public.map_locations, name="map_locations"),
]
