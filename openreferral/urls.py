"""The API under its base URL (portal.urls mounts it at /openreferral/); paths as the standard names them."""

from django.urls import path, re_path

from . import views

app_name = "openreferral"
urlpatterns = [
    path("", views.ApiDetailsView.as_view(), name="api_details"),
    path("openapi.json", views.OpenAPIDocumentView.as_view(), name="openapi"),
    path("services", views.ServiceListView.as_view(), name="services"),
    path("services/<str:id>", views.ServiceDetailView.as_view(), name="service"),
    path("service_at_locations", views.ServiceAtLocationListView.as_view(), name="service_at_locations"),
    path("service_at_locations/<str:id>", views.ServiceAtLocationDetailView.as_view(), name="service_at_location"),
    path("organizations", views.OrganizationListView.as_view(), name="organizations"),
    path("organizations/<str:id>", views.OrganizationDetailView.as_view(), name="organization"),
    path("taxonomies", views.TaxonomyListView.as_view(), name="taxonomies"),
    path("taxonomies/<str:id>", views.TaxonomyDetailView.as_view(), name="taxonomy"),
    path("taxonomy_terms", views.TaxonomyTermListView.as_view(), name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", views.TaxonomyTermDetailView.as_view(), name="taxonomy_term"),
    re_path(r"^(?P<path>.+)/$", views.without_trailing_slash),
]
