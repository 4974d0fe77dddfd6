from django.urls import path

from waymark.partnership.views import fatigue, feeds, public

urlpatterns = [
    path("consultations/public.ics", feeds.public_feed, name="public_feed"),
    path("consultations/calendar.ics", feeds.consultation_feed, name="consultation_feed"),
    path("consultations/subscribe/", feeds.consultation_subscribe, name="consultation_subscribe"),
    path("consultations/export/", feeds.consultation_export, name="consultation_export"),
    path("consultations/public/", public.public_consultation_list, name="public_consultation_list"),
    path("consultations/public/<uuid:uuid>/", public.public_consultation, name="public_consultation"),
    path("consultations/fatigue/", fatigue.consultation_fatigue, name="consultation_fatigue"),
]
