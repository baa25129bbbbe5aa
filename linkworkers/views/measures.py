"""Wellbeing measures: recording SWEMWBS or ONS4 for an episode (or that the person chose not to answer),
and a printable page of a person's measures over time.

Records are reached through `access` (another team's person is a 404), every page that shows the
record writes a VIEW audit event, and every change goes through `services.measures`, which audits it.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from .. import access, audit, measures_history, wellbeing
from ..forms.measures import Ons4Form, SwemwbsForm
from ..models import EpisodeStatus, MeasurePoint, Scale, WellbeingMeasure
from ..services import measures
from ..services.common import CaseRecordError
from ..uploads import refuse_uploads

# The button that records the person chose not to answer (the form's second submit button).
DECLINED = "declined"


def _suggested_point(episode, scale: str) -> str:
    """Closure once the episode is closing or closed; before that, baseline until there is one, then a review."""
    if episode.status != EpisodeStatus.OPEN:
        return MeasurePoint.CLOSURE
    taken = WellbeingMeasure.objects.filter(episode=episode, scale=scale, point=MeasurePoint.BASELINE)
    return MeasurePoint.REVIEW if taken.exists() else MeasurePoint.BASELINE


def _record(request, public_id, *, scale: str, form_class, template: str):
    episode = access.episode_for(request.user, public_id, for_change=True)
    person = episode.person
    declining = request.method == "POST" and DECLINED in request.POST
    form = form_class(request.POST if request.method == "POST" else None, declining=declining,
                      initial={"point": _suggested_point(episode, scale)})
    actor = audit.Actor.from_request(request)
    label = Scale(scale).label
    if form.is_valid():
        data = form.cleaned_data
        when = {"episode": episode, "actor": actor, "scale": scale, "point": data["point"],
                "taken_on": data["taken_on"]}
        try:
            if declining:
                measures.record_declined(**when)
            else:
                measure = measures.record_measure(**when, answers=form.answers())
        except CaseRecordError as error:
            form.add_error(None, str(error))
        else:
            if declining:
                message = f"Recorded that {person.full_name} chose not to answer {label}"
            elif scale == Scale.SWEMWBS:
                message = f"{label} recorded: raw score {measure.raw_score}, metric score {measure.metric_score}"
            else:
                message = f"{label} recorded"
            messages.success(request, message)
            return redirect(reverse("linkworkers:person", args=[person.public_id]) + "#wellbeing")
    audit.record(actor, action=audit.Action.VIEW, what=f"{label} form", person=person)
    return render(request, f"linkworkers/measures/{template}", {
        "section": "caseload", "person": person, "episode": episode, "form": form, "declined_button": DECLINED,
        "wellbeing": wellbeing,
    })


@refuse_uploads
@require_http_methods(["GET", "POST"])
def record_swemwbs(request, public_id):
    return _record(request, public_id, scale=Scale.SWEMWBS, form_class=SwemwbsForm, template="swemwbs_form.html")


@refuse_uploads
@require_http_methods(["GET", "POST"])
def record_ons4(request, public_id):
    return _record(request, public_id, scale=Scale.ONS4, form_class=Ons4Form, template="ons4_form.html")


def _swemwbs_answers(history) -> list[tuple]:
    """(measure, [(statement, answer as worded on the scale)]) for each answered SWEMWBS, in the order taken."""
    words = dict(wellbeing.SWEMWBS_RESPONSES)
    return [
        (row.measure, [(statement, words.get(row.measure.answers.get(key), "Not recorded"))
                       for key, statement in wellbeing.SWEMWBS_ITEMS])
        for row in history.swemwbs if not row.measure.declined
    ]


@refuse_uploads
@require_GET
def person_measures(request, public_id):
    """Every measure the person has taken, all episodes, as a page that prints well."""
    person = access.person_for(request.user, public_id)
    audit.record(audit.Actor.from_request(request), action=audit.Action.VIEW, what="wellbeing measures page",
                 person=person)
    history = measures_history.person_history(person)
    return render(request, "linkworkers/measures/person_measures.html", {
        "section": "caseload", "person": person, "history": history, "swemwbs_answers": _swemwbs_answers(history),
        "threshold": wellbeing.meaningful_change_threshold().normalize(),
    })


urlpatterns = [
    path("staff/people/<uuid:public_id>/wellbeing/", person_measures, name="person_measures"),
    path("staff/episodes/<uuid:public_id>/wellbeing/swemwbs/", record_swemwbs, name="record_swemwbs"),
    path("staff/episodes/<uuid:public_id>/wellbeing/ons4/", record_ons4, name="record_ons4"),
]
