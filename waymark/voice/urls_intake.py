"""The public feedback form and reference page, and the staff intake pages, included by ``voice.urls``."""

from django.urls import path

from waymark.voice.views import intake, public

urlpatterns = [
    path("feedback/", public.feedback_start, name="feedback_start"),
    path("feedback/<str:lang>/", public.feedback, name="feedback"),
    path("feedback/<str:lang>/reference/", public.reference_lookup, name="reference_lookup"),
    path("feedback/<str:lang>/reference/<str:reference>/", public.reference, name="reference"),
    path("items/", intake.item_list, name="item_list"),
    path("items/record/", intake.item_record, name="item_record"),
    path("items/record/session/", intake.session_record, name="session_record"),
    path("items/<uuid:uuid>/", intake.item_detail, name="item_detail"),
    path("items/<uuid:uuid>/quote/", intake.item_quote, name="item_quote"),
    path("items/<uuid:uuid>/language/", intake.item_language, name="item_language"),
    path("items/<uuid:uuid>/interpreting/", intake.item_request_interpreting, name="item_request_interpreting"),
    path("interpreting/", intake.interpreting_queue, name="interpreting_queue"),
    path("my-languages/", intake.my_languages, name="my_languages"),
]
