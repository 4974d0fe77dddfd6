"""The partnership pages: the list, a partnership, its members and its who-does-what matrix."""

from django.urls import path

from waymark.partnership.views import partnerships

urlpatterns = [
    path("", partnerships.partnership_list, name="partnership_list"),
    path("new/", partnerships.partnership_create, name="partnership_create"),
    path("<uuid:uuid>/", partnerships.partnership_detail, name="partnership_detail"),
    path("<uuid:uuid>/edit/", partnerships.partnership_edit, name="partnership_edit"),
    path("<uuid:uuid>/history/", partnerships.partnership_history, name="partnership_history"),
    path("<uuid:uuid>/members/", partnerships.partnership_members, name="partnership_members"),
    path("<uuid:uuid>/matrix/", partnerships.partnership_matrix, name="partnership_matrix"),
    path("<uuid:uuid>/matrix/edit/", partnerships.partnership_matrix_edit, name="partnership_matrix_edit"),
    path("<uuid:uuid>/matrix.xlsx", partnerships.partnership_matrix_download, name="partnership_matrix_download"),
]
