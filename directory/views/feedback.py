"""Public feedback pages: "Report a problem with this listing" and "Suggest an activity".

Both carry a honeypot field (`website`) that people neither see nor reach; what happens to a
submission that looks like spam is decided in directory.feedback, and the person always gets the
same thank-you page.
"""

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from search.ratelimit import client_address

from .. import feedback
from ..models import ProblemReport, Service

EMAIL_ERROR = "Enter an email address in the correct format, like name@example.com"


class RadioSelect(forms.RadioSelect):
    """Radios whose field points at the first option, so the error summary link lands on it (as NHS.UK does)."""

    def id_for_label(self, id_, index="0"):
        return super().id_for_label(id_, index)


class HoneypotForm(forms.Form):
    # Hidden from sight and from assistive technology, out of the tab order, never autofilled.
    website = forms.CharField(
        label="Leave this field empty", required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def visible_questions(self):
        return [field for field in self if field.name != "website"]


class ProblemReportForm(HoneypotForm):
    kind = forms.ChoiceField(
        label="What is the problem?", choices=ProblemReport.Kind.choices, widget=RadioSelect,
        error_messages={"required": "Select what the problem is"},
    )
    details = forms.CharField(
        label="Tell us more", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, the new day and time, or the area it covers. Do not include personal or medical "
                  "information.",
        error_messages={"required": "Tell us more about the problem",
                        "max_length": "Tell us more in 2000 characters or fewer"},
    )
    reporter_email = forms.EmailField(
        label="Your email address (optional)", required=False,
        help_text="Only if you are happy for us, or the group, to contact you about this report.",
        error_messages={"invalid": EMAIL_ERROR},
    )
    field_order = ["kind", "details", "reporter_email", "website"]


class ActivitySuggestionForm(HoneypotForm):
    name = forms.CharField(label="Name of the activity or group", max_length=200,
                           error_messages={"required": "Enter the name of the activity or group"})
    description = forms.CharField(
        label="What happens there", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, a weekly walk for beginners, or a coffee morning for carers.",
        error_messages={"required": "Tell us what happens there",
                        "max_length": "Tell us what happens there in 2000 characters or fewer"},
    )
    where = forms.CharField(label="Where it happens (optional)", max_length=200, required=False,
                            help_text="A venue, town or postcode, or say if it is online.")
    organiser = forms.CharField(label="Who runs it (optional)", max_length=200, required=False)
    suggester_email = forms.EmailField(
        label="Your email address (optional)", required=False,
        help_text="Only if you are happy for us to contact you about your suggestion.",
        error_messages={"invalid": EMAIL_ERROR},
    )
    field_order = ["name", "description", "where", "organiser", "suggester_email", "website"]


def _listing(public_id) -> Service:
    return get_object_or_404(Service.objects.live().public(), public_id=public_id)


@require_http_methods(["GET", "POST"])
def report_problem(request, public_id):
    service = _listing(public_id)
    form = ProblemReportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        feedback.report_problem(service=service, kind=data["kind"], details=data["details"],
                                reporter_email=data["reporter_email"], client_ip=client_address(request),
                                honeypot=data["website"])
        return redirect("directory:report_problem_done", public_id=service.public_id)
    return render(request, "directory/feedback/report_problem.html", {"service": service, "form": form})


@require_GET
def report_problem_done(request, public_id):
    return render(request, "directory/feedback/report_problem_done.html", {"service": _listing(public_id)})


@require_http_methods(["GET", "POST"])
def suggest_activity(request):
    form = ActivitySuggestionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        feedback.suggest_activity(name=data["name"], description=data["description"], where=data["where"],
                                  organiser=data["organiser"], suggester_email=data["suggester_email"],
                                  client_ip=client_address(request), honeypot=data["website"])
        return redirect("directory:suggest_activity_done")
    return render(request, "directory/feedback/suggest_activity.html", {"form": form})


@require_GET
def suggest_activity_done(request):
    return render(request, "directory/feedback/suggest_activity_done.html")


urlpatterns = [
    path("services/<uuid:public_id>/report/", report_problem, name="report_problem"),
    path("services/<uuid:public_id>/report/thank-you/", report_problem_done, name="report_problem_done"),
    path("suggest-an-activity/", suggest_activity, name="suggest_activity"),
    path("suggest-an-activity/thank-you/", suggest_activity_done, name="suggest_activity_done"),
]
