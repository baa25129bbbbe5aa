"""Wellbeing measures: recording a SWEMWBS or ONS4 the person answered, or that they chose not to answer."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from .. import audit, wellbeing
from ..audit import Actor
from ..models import Episode, EpisodeStatus, MeasurePoint, Scale, WellbeingMeasure
from .common import CaseRecordError

AuditAction = audit.Action
# One of each per scale and episode; reviews may be taken as often as is useful.
_ONCE = (MeasurePoint.BASELINE, MeasurePoint.CLOSURE)


def _scored(scale: str, answers) -> dict:
    """The fields a measure stores for these answers; CaseRecordError, with the scale's message, if not scorable."""
    try:
        if scale == Scale.SWEMWBS:
            checked = wellbeing.swemwbs_answers(answers)
            raw = sum(checked.values())
            return {"answers": checked, "raw_score": raw, "metric_score": wellbeing.swemwbs_metric(raw)}
        if scale == Scale.ONS4:
            return {"answers": wellbeing.ons4_answers(answers)}
    except wellbeing.AnswersError as error:
        raise CaseRecordError(str(error)) from None
    raise CaseRecordError(f"Unknown wellbeing scale {scale!r}.")


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _check(episode: Episode, *, scale: str, point: str, taken_on: date, declined: bool) -> None:
    if point not in MeasurePoint.values:
        raise CaseRecordError("Choose baseline, review or closure.")
    if scale not in Scale.values:
        raise CaseRecordError(f"Unknown wellbeing scale {scale!r}.")
    if taken_on > timezone.localdate():
        raise CaseRecordError("The date the measure was taken cannot be in the future.")
    opened = timezone.localdate(episode.opened_at)
    if taken_on < opened:
        raise CaseRecordError(f"The date cannot be before the episode opened on {_day(opened)}.")
    if episode.status == EpisodeStatus.CLOSED and point != MeasurePoint.CLOSURE:
        raise CaseRecordError("This episode is closed: only a closure measure can be added. Reopen it first.")
    label = Scale(scale).label
    earlier = WellbeingMeasure.objects.filter(episode=episode, scale=scale)
    if point in _ONCE:
        # A person who declined may agree later; an answered measure is not replaced.
        same = earlier.filter(point=point).order_by("taken_on").first()
        if same is not None and (not same.declined or declined):
            already = "recorded as declined" if same.declined else "recorded"
            raise CaseRecordError(
                f"A {MeasurePoint(point).label.lower()} {label} is already {already} for this episode, "
                f"taken on {_day(same.taken_on)}."
            )
    if point != MeasurePoint.BASELINE:
        baseline = earlier.filter(point=MeasurePoint.BASELINE, declined=False).first()
        if baseline is not None and taken_on < baseline.taken_on:
            raise CaseRecordError(
                f"A {MeasurePoint(point).label.lower()} cannot be before the baseline, taken on "
                f"{_day(baseline.taken_on)}."
            )


def _audited(measure: WellbeingMeasure, actor: Actor, what: str) -> WellbeingMeasure:
    episode = measure.episode
    audit.record(
        actor, action=AuditAction.CHANGE, what=what, person=episode.person, record=measure,
        detail={"episode": str(episode.public_id), "scale": measure.scale, "point": measure.point,
                "taken_on": measure.taken_on.isoformat(), "declined": measure.declined},
    )
    return measure


@transaction.atomic
def record_measure(
    *, episode: Episode, actor: Actor, scale: str, point: str, taken_on: date, answers: dict
) -> WellbeingMeasure:
    """Store the person's answers with their scores (SWEMWBS raw and metric; ONS4 has no total)."""
    _check(episode, scale=scale, point=point, taken_on=taken_on, declined=False)
    scored = _scored(scale, answers)
    measure = WellbeingMeasure.objects.create(
        episode=episode, scale=scale, point=point, taken_on=taken_on, recorded_by=actor.user, **scored
    )
    return _audited(measure, actor, f"{Scale(scale).label} recorded")


@transaction.atomic
def record_declined(*, episode: Episode, actor: Actor, scale: str, point: str, taken_on: date) -> WellbeingMeasure:
    """The person was offered the measure and chose not to answer: recorded, never forced."""
    _check(episode, scale=scale, point=point, taken_on=taken_on, declined=True)
    measure = WellbeingMeasure.objects.create(
        episode=episode, scale=scale, point=point, taken_on=taken_on, declined=True, recorded_by=actor.user
    )
    return _audited(measure, actor, f"{Scale(scale).label} declined")
