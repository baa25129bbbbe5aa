"""URL map: accounts, staff pages, health, Wagtail admin and the Wagtail page tree."""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

handler500 = "portal.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # allauth is the one way in: it asks for the second factor and rate-limits attempts. Wagtail's
    # own sign-in and password-reset forms (Django's plain views) lead there instead.
    path("admin/login/", views.admin_login, name="wagtailadmin_login_redirect"),
    path("_util/login/", views.login_elsewhere),
    re_path(r"^admin/password_reset/", views.password_reset_elsewhere),
    path("admin/failwhale/", views.not_found),  # Wagtail's deliberate error, for testing error reports
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("staff/", views.staff_home, name="staff_home"),
    path("feedback/", views.site_feedback, name="site_feedback"),
    path("feedback/thank-you/", views.site_feedback_done, name="site_feedback_done"),
    path("search/", include("search.urls")),
    path("openreferral/", include("openreferral.urls")),  # the Open Referral UK API
    path("", include("linkworkers.urls")),
    path("", include("directory.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
