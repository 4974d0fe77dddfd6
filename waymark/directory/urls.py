"""The directory's pages: public signposting, staff upkeep, and Open Referral UK exchange."""

from waymark.directory import urls_hsds, urls_public, urls_staff

app_name = "directory"
urlpatterns = urls_public.urlpatterns + urls_staff.urlpatterns + urls_hsds.urlpatterns
