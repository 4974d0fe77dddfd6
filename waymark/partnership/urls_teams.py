from django.urls import path

from waymark.partnership.views import teams

urlpatterns = [
    path("activity/balance/", teams.my_balance, name="balance_mine"),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<uuid:uuid>/", teams.team_detail, name="team_detail"),
    path("teams/<uuid:uuid>/edit/", teams.team_edit, name="team_edit"),
    path("teams/<uuid:uuid>/workers/<int:user_id>/", teams.worker_balance, name="worker_balance"),
]
