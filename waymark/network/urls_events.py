"""Event and survey pages (under /network/), included by ``network.urls``."""

from django.urls import path

from waymark.network.views import events as views_events
from waymark.network.views import events_public as views_events_public
from waymark.network.views import surveys as views_surveys

urlpatterns = [
    # Public: what is coming up, register, your own registration, the calendar file
    path("events/upcoming/", views_events_public.upcoming_events, name="event_upcoming"),
    path("events/<uuid:uuid>/register/", views_events_public.event_register, name="event_register"),
    path("events/<uuid:uuid>/event.ics", views_events_public.event_ics, name="event_ics"),
    path(
        "events/my-registration/<str:token>/", views_events_public.registration_status, name="event_registration_status"
    ),
    # Staff: setting up and running events
    path("events/", views_events.event_list, name="event_list"),
    path("events/new/", views_events.event_create, name="event_create"),
    path("events/<uuid:uuid>/", views_events.event_detail, name="event_detail"),
    path("events/<uuid:uuid>/edit/", views_events.event_edit, name="event_edit"),
    path("events/<uuid:uuid>/history/", views_events.event_history, name="event_history"),
    path("events/<uuid:uuid>/<slug:kind>/new/", views_events.event_part_create, name="event_part_create"),
    path("events/<uuid:uuid>/<slug:kind>/<uuid:part_uuid>/edit/", views_events.event_part_edit, name="event_part_edit"),
    path("events/<uuid:uuid>/registrations/", views_events.registration_list, name="event_registration_list"),
    path("events/<uuid:uuid>/check-in/", views_events.check_in, name="event_check_in"),
    path("events/<uuid:uuid>/attendance/", views_events.attendance, name="event_attendance"),
    path("events/<uuid:uuid>/sign-in-sheet/", views_events.sign_in_sheet, name="event_sign_in_sheet"),
    path("events/<uuid:uuid>/badges/", views_events.badges, name="event_badges"),
    path("event-registrations/<uuid:uuid>/cancel/", views_events.registration_cancel, name="event_registration_cancel"),
    path("event-registrations/<uuid:uuid>/check-in/", views_events.check_in_person, name="event_check_in_person"),
    # Surveys: the builder, sending and results for staff
    path("surveys/", views_surveys.survey_list, name="survey_list"),
    path("surveys/new/", views_surveys.survey_create, name="survey_create"),
    path("surveys/<uuid:uuid>/", views_surveys.survey_detail, name="survey_detail"),
    path("surveys/<uuid:uuid>/edit/", views_surveys.survey_edit, name="survey_edit"),
    path("surveys/<uuid:uuid>/questions/new/", views_surveys.question_create, name="survey_question_create"),
    path("surveys/<uuid:uuid>/questions/<int:pk>/edit/", views_surveys.question_edit, name="survey_question_edit"),
    path(
        "surveys/<uuid:uuid>/questions/<int:pk>/delete/", views_surveys.question_delete, name="survey_question_delete"
    ),
    path("surveys/<uuid:uuid>/send/", views_surveys.survey_send, name="survey_send"),
    path("surveys/<uuid:uuid>/results/", views_surveys.survey_results, name="survey_results"),
    # Surveys: answering through a personal link, and published results
    path("surveys/answer/<str:token>/", views_surveys.survey_respond, name="survey_respond"),
    path("surveys/<uuid:uuid>/published-results/", views_surveys.survey_public_results, name="survey_public_results"),
]
