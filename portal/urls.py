"""URL map: accounts, staff pages, health, Wagtail admin and the Wagtail page tree."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Wagtail's own sign-in form would skip the second factor: everyone signs in through allauth.
    path("admin/login/", views.admin_login, name="wagtailadmin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("staff/", views.staff_home, name="staff_home"),
    path("search/", include("search.urls")),
    path("", include("linkworkers.urls")),
    path("", include("directory.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
