"""URLs of the directory's own views (listing pages themselves are served by Wagtail)."""

from .views import feedback, freshness, onboarding, permalinks

app_name = "directory"
urlpatterns = [*feedback.urlpatterns, *freshness.urlpatterns, *onboarding.urlpatterns, *permalinks.urlpatterns]
