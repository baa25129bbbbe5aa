"""The public search form: what, where, how far, in what order, and the filters; it builds a SearchQuery.

The form is GET, so every search is a link that can be shared, bookmarked and paged through.
Filter values arrive as repeated parameters (`category=walking-groups&category=befriending`).
"""

from django import forms
from django.core.validators import RegexValidator

from .contract import (
    MILE_KM,
    RADIUS_CHOICES_MILES,
    Accessibility,
    Delivery,
    SearchQuery,
    Sort,
    TimeOfDay,
)
from .places import Place, PlaceNotFound, place_from_device, resolve_place

DEFAULT_RADIUS_MILES = 5
PER_PAGE = 20
MAX_PAGE = 50  # deep pages are never useful to a person, and cost the engine

DAY_LABELS = {0: "Monday", 1: "Tuesday", 2: "Wednesday", 3: "Thursday", 4: "Friday", 5: "Saturday", 6: "Sunday"}
TIME_OF_DAY_LABELS = {
    TimeOfDay.MORNING: "Morning (before 12pm)",
    TimeOfDay.AFTERNOON: "Afternoon (12pm to 5pm)",
    TimeOfDay.EVENING: "Evening (after 5pm)",
}
DELIVERY_LABELS = {Delivery.IN_PERSON: "In person", Delivery.ONLINE: "Online", Delivery.PHONE: "By phone"}
ACCESSIBILITY_LABELS = {
    Accessibility.STEP_FREE: "Step-free access",
    Accessibility.ACCESSIBLE_TOILET: "Accessible toilet",
    Accessibility.HEARING_LOOP: "Hearing loop",
    Accessibility.ACCESSIBLE_PARKING: "Accessible parking",
}
SORT_LABELS = {Sort.RELEVANCE: "Best match", Sort.DISTANCE: "Nearest", Sort.UPDATED: "Recently updated",
               Sort.NAME: "A to Z"}


def radius_label(miles: int) -> str:
    """5 -> '5 miles (8 km)'."""
    unit = "mile" if miles == 1 else "miles"
    return f"{miles} {unit} ({round(miles * MILE_KM)} km)"


class CodesField(forms.MultipleChoiceField):
    """Repeated codes (taxonomy terms, languages) whose list is not known when the form is built.

    Unknown codes are harmless to the engine (they match nothing), so only their shape is checked.
    """

    default_validators = []

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def valid_value(self, value) -> bool:
        return True

    def validate(self, value):
        super().validate(value)
        check = RegexValidator(r"^[A-Za-z0-9_.-]{1,64}$", "Choose filters from the list")
        for item in value[:50]:
            check(item)

    def clean(self, value):
        return list(dict.fromkeys(super().clean(value)))[:50]


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(str(value), label) for value, label in labels.items()]


class SearchForm(forms.Form):
    q = forms.CharField(label="What are you looking for?", required=False, max_length=500,
                        help_text="For example, walking, loneliness or coffee morning",
                        error_messages={"max_length": "Enter 500 characters or fewer"})
    where = forms.CharField(label="Where?", required=False, max_length=100,
                            help_text="A postcode, like RG12 1AA, the start of one, like RG12 or RG12 7, "
                                      "or a town or village",
                            error_messages={"max_length": "Enter a postcode or a place in 100 characters or fewer"})
    # Filled in by "Use my location" (rounded to about 100 metres in the browser).
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    radius = forms.TypedChoiceField(
        label="Within", coerce=int, required=False, initial=DEFAULT_RADIUS_MILES, empty_value=DEFAULT_RADIUS_MILES,
        choices=[(miles, radius_label(miles)) for miles in RADIUS_CHOICES_MILES],
        error_messages={"invalid_choice": "Select a distance from the list"},
    )
    sort = forms.TypedChoiceField(label="Sort by", choices=_choices(SORT_LABELS), coerce=Sort, required=False,
                                  empty_value=Sort.RELEVANCE,
                                  error_messages={"invalid_choice": "Select how to sort the results from the list"})
    category = CodesField(label="Category")
    day = forms.TypedMultipleChoiceField(label="Day", choices=_choices(DAY_LABELS), coerce=int, required=False,
                                         error_messages={"invalid_choice": "Select days from the list"})
    time = forms.TypedMultipleChoiceField(label="Time of day", choices=_choices(TIME_OF_DAY_LABELS),
                                          coerce=TimeOfDay, required=False,
                                          error_messages={"invalid_choice": "Select times of day from the list"})
    free = forms.BooleanField(label="Free only", required=False)
    age = forms.IntegerField(
        label="How old is the person?", required=False, min_value=0, max_value=120,
        help_text="In years. We will show what is open to people of that age.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={"invalid": "Enter age as a number, like 45",
                        "min_value": "Enter an age of 0 or more",
                        "max_value": "Enter an age of 120 or less"},
    )
    access = forms.TypedMultipleChoiceField(label="Accessibility", choices=_choices(ACCESSIBILITY_LABELS),
                                            coerce=Accessibility, required=False,
                                            error_messages={"invalid_choice": "Select accessibility from the list"})
    delivery = forms.TypedMultipleChoiceField(label="How it is offered", choices=_choices(DELIVERY_LABELS),
                                              coerce=Delivery, required=False,
                                              error_messages={"invalid_choice": "Select how it is offered from the list"})
    language = CodesField(label="Language")
    self_referral = forms.BooleanField(label="You can refer yourself", required=False)
    has_capacity = forms.BooleanField(label="Taking new people", required=False)
    hide_closed = forms.BooleanField(label="Hide temporarily closed", required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    # The filters, in the order the filter panel shows them.
    FILTERS = ("category", "day", "time", "free", "age", "access", "delivery", "language", "self_referral",
               "has_capacity", "hide_closed")

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("radius"):
            # So the page shows the radius searched (the default), even when the form has errors.
            data = data.copy()
            data["radius"] = str(DEFAULT_RADIUS_MILES)
        super().__init__(data, *args, **kwargs)
        self.place: Place | None = None
        # When the place typed cannot be searched from: what to search for instead, and the question.
        self.place_choices: tuple[str, ...] = ()
        self.place_prompt = ""
        for name in ("q", "where"):
            self.fields[name].widget.attrs["autocomplete"] = "off" if name == "q" else "postal-code"

    def clean_page(self):
        return min(self.cleaned_data.get("page") or 1, MAX_PAGE)

    def add_error(self, field, error):
        # A page number out of range is not the person's mistake: start again at page 1.
        if field == "page":
            self.cleaned_data["page"] = 1
            return
        super().add_error(field, error)

    def clean(self):
        data = super().clean()
        lat, lon, where = data.get("lat"), data.get("lon"), (data.get("where") or "").strip()
        try:
            if lat is not None and lon is not None and not where:
                self.place = place_from_device(lat, lon)
            elif where:
                self.place = resolve_place(where)
        except PlaceNotFound as error:
            self.add_error("where", error.message)
            self.place_choices, self.place_prompt = error.choices, error.prompt
        if data.get("sort") is Sort.DISTANCE and self.place is None and "where" not in self.errors:
            self.add_error("where", "Enter a postcode or a place to sort by nearest")
        return data

    @property
    def radius_miles(self) -> int:
        return getattr(self, "cleaned_data", {}).get("radius") or DEFAULT_RADIUS_MILES

    def search_query(self, *, page: int | None = None) -> SearchQuery:
        """The engine's query for a valid form."""
        data = self.cleaned_data
        place = self.place
        return SearchQuery(
            text=data.get("q") or "",
            origin=place.point if place else None,
            origin_local_authority=place.local_authority if place else None,
            radius_km=self.radius_miles * MILE_KM,
            categories=tuple(data.get("category") or ()),
            days=tuple(data.get("day") or ()),
            times_of_day=tuple(data.get("time") or ()),
            free_only=bool(data.get("free")),
            age=data.get("age"),
            accessibility=tuple(data.get("access") or ()),
            delivery=tuple(data.get("delivery") or ()),
            languages=tuple(data.get("language") or ()),
            self_referral_only=bool(data.get("self_referral")),
            has_capacity_only=bool(data.get("has_capacity")),
            running_only=bool(data.get("hide_closed")),
            sort=data.get("sort") or Sort.RELEVANCE,
            page=page or data.get("page") or 1,
            per_page=PER_PAGE,
        )

    def asks_for_nothing(self) -> bool:
        """No words, no place and no filter (for a valid form): every service in the directory would match."""
        return not (self.cleaned_data.get("q") or "").strip() and self.place is None and not self.active_filters()

    def active_filters(self) -> dict:
        """The filters in use as plain JSON-ready data (for links and the zero-result log)."""
        data = self.cleaned_data
        active = {}
        for name in self.FILTERS:
            value = data.get(name)
            if value in (None, False, [], ""):
                continue
            active[name] = [str(v) for v in value] if isinstance(value, list) else value
        return active


class ShortlistEmailForm(forms.Form):
    email = forms.EmailField(
        label="Your email address", max_length=254,
        help_text="We will send the list to this address once. We do not keep it.",
        error_messages={"required": "Enter your email address",
                        "invalid": "Enter an email address in the correct format, like name@example.com"},
    )
