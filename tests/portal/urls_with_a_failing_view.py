"""The project's URLs plus one view that fails, for the error page tests (handler500 comes with them)."""

from django.urls import path

from portal.urls import handler500  # noqa: F401  (Django reads it from the root URLconf)
from portal.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise RuntimeError("A deliberate failure")


urlpatterns = [path("fail/", fail), *project_urlpatterns]
