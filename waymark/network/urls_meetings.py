"""Meeting pages of the network app: meetings, series, agendas, attendance, minutes, actions and calendars."""

from django.urls import path

from waymark.network.views import meetings as views
from waymark.network.views import my_actions

urlpatterns = [
    path("networks/<slug:slug>/meetings/", views.network_meetings, name="network_meetings"),
    path("networks/<slug:slug>/meetings.ics", views.network_meetings_feed, name="network_meetings_feed"),
    path(
        "networks/<slug:slug>/meetings/calendar-address/",
        views.network_meetings_feed_replace,
        name="network_meetings_feed_replace",
    ),
    path("networks/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("networks/<slug:slug>/meetings/series/new/", views.series_create, name="series_create"),
    path("networks/<slug:slug>/actions/", views.network_actions, name="network_actions"),
    path("actions/mine/", my_actions.my_actions, name="my_actions"),
    path("meetings/series/<uuid:uuid>/", views.series_detail, name="series_detail"),
    path("meetings/series/<uuid:uuid>/edit/", views.series_edit, name="series_edit"),
    path("meetings/series/<uuid:uuid>/book/", views.series_book, name="series_book"),
    path("meetings/<uuid:uuid>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:uuid>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<uuid:uuid>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:uuid>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<uuid:uuid>/agenda/new/", views.agenda_item_form, name="agenda_item_create"),
    path("meetings/<uuid:uuid>/agenda/<int:pk>/edit/", views.agenda_item_form, name="agenda_item_edit"),
    path("meetings/<uuid:uuid>/agenda/<int:pk>/remove/", views.agenda_item_remove, name="agenda_item_remove"),
    path("meetings/<uuid:uuid>/agenda/<int:pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path("meetings/<uuid:uuid>/agenda/send/", views.agenda_send, name="agenda_send"),
    path("meetings/<uuid:uuid>/attendance/", views.attendance, name="attendance"),
    path("meetings/<uuid:uuid>/minutes/", views.minutes_detail, name="minutes_detail"),
    path("meetings/<uuid:uuid>/minutes/edit/", views.minutes_edit, name="minutes_edit"),
    path("meetings/<uuid:uuid>/minutes/history/", views.minutes_history, name="minutes_history"),
    path("meetings/<uuid:uuid>/minutes/<str:step>/", views.minutes_step, name="minutes_step"),
    path("meetings/<uuid:uuid>/actions/new/", views.action_form, name="action_create"),
    path("actions/<uuid:action_uuid>/edit/", views.action_form, name="action_edit"),
]
