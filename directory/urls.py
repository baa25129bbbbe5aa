"""URLs of the directory's own views (listing pages themselves are served by Wagtail)."""

from .views import feedback, freshness, onboarding

app_name = "directory"
urlpatterns = [*feedback.urlpatterns, *freshness.urlpatterns, *onboarding.urlpatterns]
