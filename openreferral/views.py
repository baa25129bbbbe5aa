"""The API's endpoints: thin views over `selectors` (what) and `serializers` (how it reads).

Every endpoint is public and anonymous (no session, no key), answers JSON with
`Access-Control-Allow-Origin: *`, counts against the client's per-minute limit, and answers a bad
parameter with 400 and `{"errors": [{"parameter": ..., "message": ...}]}`. When the search engine
fails, a request that needed it gets 503 with Retry-After, as the search page does.
"""

import json
import logging

from django.http import HttpResponsePermanentRedirect, StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import serializers as drf
from rest_framework.exceptions import APIException, NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from directory.models import ServiceLocation

from . import parameters, selectors
from . import serializers as hsds
from .ids import parse
from .pagination import OpenReferralPagination, records_between
from .throttling import PerClientThrottle

STREAM_CHUNK = 100

logger = logging.getLogger(__name__)


# --- What every endpoint shares ------------------------------------------------------------------

class BadParameters(APIException):
    status_code = 400
    default_code = "bad_parameters"

    def __init__(self, errors: dict):
        super().__init__({"errors": [
            {"parameter": name, "message": " ".join(str(message) for message in messages)}
            for name, messages in errors.items()
        ]})


class SearchUnavailable(APIException):
    status_code = 503
    default_detail = "Search is not working right now. Please try again in a few minutes."
    default_code = "search_unavailable"
    wait = 60  # DRF sends it as Retry-After


class JSONOnly(BaseContentNegotiation):
    """Always JSON: `format` is the standard's own parameter (json or ndjson), read by the views."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


class ErrorSerializer(drf.Serializer):
    detail = drf.CharField(required=False)
    errors = drf.ListField(child=drf.DictField(child=drf.CharField()), required=False,
                           help_text="One entry per bad parameter: its name (`parameter`) and why (`message`).")


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter is not valid: which one and why."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests from this client: wait Retry-After."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No public record has this id.")}
ENGINE_DOWN = {503: OpenApiResponse(ErrorSerializer, description="The search engine is not working: retry later.")}


class AnyOrigin:
    """Any web page may read the API (the standard asks for `Access-Control-Allow-Origin: *`)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class OpenReferralView(AnyOrigin, GenericAPIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (PerClientThrottle,)
    renderer_classes = (JSONRenderer,)
    content_negotiation_class = JSONOnly
    pagination_class = OpenReferralPagination
    parameters_class: type[drf.Serializer] | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # throttles first: a refused client costs nothing more
        self.params = self.read_parameters(request)

    def read_parameters(self, request) -> dict:
        if self.parameters_class is None:
            return {}
        found = self.parameters_class(data=request.query_params)
        if not found.is_valid():
            raise BadParameters(found.errors)
        return found.validated_data

    def context(self, records) -> dict:
        return {"request": self.request}


class ListView(OpenReferralView):
    """A paginated list, or with format=ndjson every record streamed one a line."""

    def records(self):
        raise NotImplementedError

    def serializer_for(self) -> type[drf.Serializer]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        try:
            records = self.records()
        except selectors.EngineUnavailable as error:
            # The class only: an engine's message can quote the query, which stays out of logs.
            logger.error("Open Referral API: the search engine failed with %s", error)
            raise SearchUnavailable() from None
        serializer = self.serializer_for()
        if self.params.get("format") == "ndjson":
            return StreamingHttpResponse(self.lines(records, serializer), content_type="application/x-ndjson")
        page = self.paginate_queryset(records)
        return self.get_paginated_response(serializer(page, many=True, context=self.context(page)).data)

    def lines(self, records, serializer):
        for start in range(0, records.count(), STREAM_CHUNK):
            chunk = records_between(records, start, start + STREAM_CHUNK)
            for item in serializer(chunk, many=True, context=self.context(chunk)).data:
                yield json.dumps(item, cls=JSONEncoder, ensure_ascii=False) + "\n"


def public_record(queryset, id: str, *, field: str = "public_id"):
    """The record with this public id, or a 404 (also for an id that is not a UUID)."""
    key = parse(id)
    record = queryset.filter(**{field: key}).first() if key else None
    if record is None:
        raise NotFound("No public record has this id.")
    return record


# --- The API's front door and its description ----------------------------------------------------

def without_trailing_slash(request, path: str):
    """The standard names its paths without a trailing slash: `/services/` is `/services`."""
    target = reverse("openreferral:api_details") + path
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    response = HttpResponsePermanentRedirect(target)
    response["Access-Control-Allow-Origin"] = "*"
    return response


class ApiDetailsView(OpenReferralView):
    @extend_schema(operation_id="getAPIMetaInformation", tags=["required"],
                   description="Retrieve information about this API and its relationship with HSDS.",
                   responses={200: hsds.ApiDetailsSerializer, **ERRORS})
    def get(self, request):
        return Response(hsds.ApiDetailsSerializer({
            "version": hsds.VERSION,
            "profile": hsds.PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("openreferral:openapi")),
        }).data)


class OpenAPIDocumentView(AnyOrigin, SpectacularJSONAPIView):
    """The OpenAPI document of this API, generated from the views, parameters and serializers."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (PerClientThrottle,)
    urlconf = "openreferral.urls"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        base = request.build_absolute_uri(reverse("openreferral:api_details")).rstrip("/")
        self.custom_settings = {
            "TITLE": "Open Referral UK API",
            "VERSION": hsds.VERSION,
            "DESCRIPTION": (
                "The community directory as Open Referral UK (HSDS-UK 3.0): public, read-only, no key. "
                "Lists are paginated (`page`, `per_page`) or streamed whole with `format=ndjson`; "
                "filters combine with AND. Ids are UUIDs that do not change. Schedule times are UK local time."
            ),
            "SERVERS": [{"url": base}],
            "COMPONENT_NO_READ_ONLY_REQUIRED": True,
            "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
            # A location's type and its address's type are the one HSDS list.
            "ENUM_NAME_OVERRIDES": {"LocationTypeEnum": ServiceLocation.LocationType.values},
        }
        return super().get(request, *args, **kwargs)


# --- Services ------------------------------------------------------------------------------------

class ServiceListView(ListView):
    parameters_class = parameters.ServiceListParameters

    def records(self):
        return selectors.services(self.params)

    def serializer_for(self):
        if self.params.get("minimal"):
            return hsds.MinimalServiceSerializer
        return hsds.FullServiceSerializer if self.params.get("full") else hsds.ServiceSerializer

    def context(self, records):
        return {"request": self.request, "organisations": selectors.organisations_of(records)}

    @extend_schema(
        operation_id="getPaginatedListOfServices", tags=["required"],
        description="Services with their own fields and organization (full=true: fully nested; minimal=true: "
                    "id, name, status and last_modified only).",
        parameters=[parameters.ServiceListParameters],
        responses={200: hsds.ServiceSerializer(many=True), **ERRORS, **ENGINE_DOWN},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ServiceDetailView(OpenReferralView):
    @extend_schema(operation_id="getFullyNestedServiceById", tags=["required"],
                   description="A service with all related data.",
                   responses={200: hsds.FullServiceSerializer, **NOT_FOUND, **ERRORS})
    def get(self, request, id: str):
        service = public_record(selectors.public_services().prefetch_related(*selectors.SERVICE_RELATED), id)
        context = {"request": request, "organisations": selectors.organisations_of([service])}
        return Response(hsds.FullServiceSerializer(service, context=context).data)


# --- Services at locations -----------------------------------------------------------------------

class ServiceAtLocationListView(ListView):
    parameters_class = parameters.ServiceParameters

    def records(self):
        return selectors.service_at_locations(self.params)

    def serializer_for(self):
        return hsds.FullServiceAtLocationSerializer if self.params.get("full") else hsds.ServiceAtLocationSerializer

    def context(self, records):
        return {"request": self.request,
                "organisations": selectors.organisations_of([row.service for row in records])}

    @extend_schema(
        operation_id="getPaginatedListOfServiceAtLocation", tags=["optional"],
        description="Each service at each of its venues, with the venue's location and the service's own fields "
                    "(full=true: the service fully nested). With a postcode, venues within `proximity` (and "
                    "online ones) of services that match there.",
        parameters=[parameters.ServiceParameters],
        responses={200: hsds.ServiceAtLocationSerializer(many=True), **ERRORS, **ENGINE_DOWN},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ServiceAtLocationDetailView(OpenReferralView):
    @extend_schema(operation_id="getServiceAtLocationWithNestedDataById", tags=["optional"],
                   description="A service at one venue, with the location and the service fully nested.",
                   responses={200: hsds.FullServiceAtLocationSerializer, **NOT_FOUND, **ERRORS})
    def get(self, request, id: str):
        row = public_record(selectors.public_service_at_locations(), id, field="service_at_location_id")
        context = {"request": request, "organisations": selectors.organisations_of([row.service])}
        return Response(hsds.FullServiceAtLocationSerializer(row, context=context).data)


# --- Organisations -------------------------------------------------------------------------------

class OrganizationListView(ListView):
    parameters_class = parameters.OrganizationParameters

    def records(self):
        return selectors.filter_organisations(selectors.public_organisations(), self.params)

    def serializer_for(self):
        return hsds.FullOrganizationSerializer if self.params.get("full") else hsds.OrganizationSerializer

    def context(self, records):
        return organisation_context(self.request, self.params, records) if self.params.get("full") else {}

    @extend_schema(
        operation_id="getPaginatedListOfOrganizations", tags=["optional"],
        description="Organizations with their own fields (full=true: with their services).",
        parameters=[parameters.OrganizationParameters],
        responses={200: hsds.OrganizationSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OrganizationDetailView(OpenReferralView):
    parameters_class = parameters.OrganizationDetailParameters

    @extend_schema(operation_id="getOrganizationById", tags=["optional"],
                   description="An organization with its services (full_service=true: each fully nested).",
                   parameters=[parameters.OrganizationDetailParameters],
                   responses={200: hsds.FullOrganizationSerializer, **NOT_FOUND, **ERRORS})
    def get(self, request, id: str):
        organisation = public_record(selectors.public_organisations(), id)
        return Response(hsds.FullOrganizationSerializer(
            organisation, context=organisation_context(request, self.params, [organisation])).data)


def organisation_context(request, params: dict, organisations) -> dict:
    full_service = params.get("full_service", False)
    return {"request": request, "full_service": full_service,
            "services_by_organisation": selectors.public_services_of(organisations, nested=full_service)}


# --- Taxonomies ----------------------------------------------------------------------------------

class TaxonomyListView(ListView):
    parameters_class = parameters.SearchParameters

    def records(self):
        return selectors.filter_taxonomies(selectors.taxonomies(), self.params)

    def serializer_for(self):
        return hsds.TaxonomySerializer

    @extend_schema(operation_id="getPaginatedListOfTaxonomies", tags=["optional"],
                   description="The taxonomies the directory's terms come from.",
                   parameters=[parameters.SearchParameters],
                   responses={200: hsds.TaxonomySerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TaxonomyDetailView(OpenReferralView):
    @extend_schema(operation_id="getTaxonomyById", tags=["optional"],
                   description="A taxonomy with its terms.",
                   responses={200: hsds.TaxonomyWithTermsSerializer, **NOT_FOUND, **ERRORS})
    def get(self, request, id: str):
        taxonomy = public_record(selectors.taxonomies().prefetch_related("terms__parent", "terms__taxonomy"), id)
        return Response(hsds.TaxonomyWithTermsSerializer(taxonomy).data)


class TaxonomyTermListView(ListView):
    parameters_class = parameters.TaxonomyTermParameters

    def records(self):
        return selectors.filter_taxonomy_terms(selectors.taxonomy_terms(), self.params)

    def serializer_for(self):
        return hsds.TaxonomyTermSerializer

    @extend_schema(operation_id="getPaginatedListOfTaxonomyTerms", tags=["optional"],
                   description="The needs and activities services are classified by.",
                   parameters=[parameters.TaxonomyTermParameters],
                   responses={200: hsds.TaxonomyTermSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TaxonomyTermDetailView(OpenReferralView):
    @extend_schema(operation_id="getTaxonomyTermById", tags=["optional"], description="A taxonomy term.",
                   responses={200: hsds.TaxonomyTermSerializer, **NOT_FOUND, **ERRORS})
    def get(self, request, id: str):
        return Response(hsds.TaxonomyTermSerializer(public_record(selectors.taxonomy_terms(), id)).data)
