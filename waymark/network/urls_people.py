"""The people part of /network/: networks, contacts, lists, bulletins and the no-account subscription pages."""

from django.urls import path

from waymark.network.views import bulletins as views_bulletins
from waymark.network.views import lookups as views_lookups
from waymark.network.views import people as views_people
from waymark.network.views import subscriptions as views_subscriptions

urlpatterns = [
    path("", views_people.network_list, name="network_list"),
    path("new/", views_people.network_create, name="network_create"),
    path("networks/<slug:slug>/", views_people.network_detail, name="network_detail"),
    path("networks/<slug:slug>/edit/", views_people.network_edit, name="network_edit"),
    path("networks/<slug:slug>/history/", views_people.network_history, name="network_history"),
    path("networks/<slug:slug>/members/", views_people.member_list, name="member_list"),
    path("networks/<slug:slug>/members/add/", views_people.membership_create, name="membership_create"),
    path("memberships/<int:pk>/edit/", views_people.membership_edit, name="membership_edit"),
    path("networks/<slug:slug>/terms-of-reference/", views_people.terms_list, name="terms_list"),
    path("networks/<slug:slug>/terms-of-reference/new/", views_people.terms_create, name="terms_create"),
    path("networks/<slug:slug>/task-groups/new/", views_people.task_group_create, name="task_group_create"),
    path("task-groups/<uuid:uuid>/edit/", views_people.task_group_edit, name="task_group_edit"),
    path("networks/<slug:slug>/lists/new/", views_people.list_create, name="list_create"),
    path("lists/<uuid:uuid>/", views_people.list_detail, name="list_detail"),
    path("lists/<uuid:uuid>/edit/", views_people.list_edit, name="list_edit"),
    path("contacts/", views_people.contact_list, name="contact_list"),
    path("contacts/lookup/", views_lookups.contact_lookup, name="contact_lookup"),
    path("contacts/new/", views_people.contact_create, name="contact_create"),
    path("contacts/import/", views_people.contact_import_view, name="contact_import"),
    path("contacts/import/<uuid:uuid>/", views_people.contact_import_job, name="contact_import_job"),
    path("contacts/import/<uuid:uuid>/confirm/", views_people.contact_import_confirm, name="contact_import_confirm"),
    path("contacts/<uuid:uuid>/", views_people.contact_detail, name="contact_detail"),
    path("contacts/<uuid:uuid>/edit/", views_people.contact_edit, name="contact_edit"),
    path("contacts/<uuid:uuid>/history/", views_people.contact_history, name="contact_history"),
    path("contacts/<uuid:uuid>/withdraw-links/", views_people.contact_links_withdraw, name="contact_links_withdraw"),
    path("networks/<slug:slug>/bulletins/", views_bulletins.bulletin_list, name="bulletin_list"),
    path("networks/<slug:slug>/bulletins/new/", views_bulletins.bulletin_create, name="bulletin_create"),
    path("bulletins/<uuid:uuid>/", views_bulletins.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<uuid:uuid>/edit/", views_bulletins.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<uuid:uuid>/send/", views_bulletins.bulletin_send, name="bulletin_send"),
    path("bulletins/<uuid:uuid>/send-test/", views_bulletins.bulletin_send_test, name="bulletin_send_test"),
    path("unsubscribe/<str:token>/", views_subscriptions.unsubscribe, name="unsubscribe"),
    path("subscriptions/<str:token>/", views_subscriptions.manage_subscriptions, name="manage_subscriptions"),
    path("subscriptions-link/", views_subscriptions.request_manage_link, name="request_manage_link"),
]
