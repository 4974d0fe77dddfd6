"""The network pages."""

from waymark.network import urls_events, urls_meetings, urls_people

app_name = "network"
urlpatterns: list = []
urlpatterns += urls_people.urlpatterns  # networks, contacts, lists, bulletins
urlpatterns += urls_events.urlpatterns  # events and surveys
urlpatterns += urls_meetings.urlpatterns  # meetings, minutes and actions
