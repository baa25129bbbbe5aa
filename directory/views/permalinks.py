"""Permanent links to listings by their public id: they follow a page wherever its slug moves.

The redirect is temporary (302) on purpose: the page's own URL may change again, and a
permanent redirect would be remembered by browsers and search engines.
"""

from django.shortcuts import get_object_or_404, redirect
from django.urls import path

from ..models import Organisation, Service


def service_permalink(request, public_id):
    service = get_object_or_404(Service.objects.live().public(), public_id=public_id)
    return redirect(service.get_url(request))


def organisation_permalink(request, public_id):
    organisation = get_object_or_404(Organisation.objects.live().public(), public_id=public_id)
    return redirect(organisation.get_url(request))


urlpatterns = [
    path("services/<uuid:public_id>/", service_permalink, name="service_permalink"),
    path("organisations/<uuid:public_id>/", organisation_permalink, name="organisation_permalink"),
]
