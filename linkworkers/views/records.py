"""The person's record: their page, details, contacts, RAG, tier and next contact, actions, closure, carers and
safeguarding.

Every record is reached through `access` (another team's person is a 404), every page that shows
the record writes a VIEW audit event, and every change goes through `services`, which audits it.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import access, audit, selectors
from ..audit import Actor
from ..services import closure, episodes, safeguarding
from ..services.carers import link_carer, record_carer_action
from ..services.common import CaseRecordError
from ..forms.records import (
    ActionForm,
    CarerActionForm,
    CarerLinkForm,
    CarerStatusForm,
    ClosureForm,
    ContactForm,
    FindPersonForm,
    PersonDetailsForm,
    RagForm,
    ReopenForm,
    SafeguardingForm,
    SignOffForm,
    TierAndNextContactForm,
)
from ..models import (
    Action, CarePlanVersion, CarerLink, Contact, EpisodeStatus, Person, Rag, RagChange, UnmetNeed,
    WhatMattersConversation,
)
from ..plans import snapshot
from ..selectors import is_first_contact_overdue, with_caseload_figures
from ..uploads import refuse_uploads

# Enough for a name and date of birth shared by a few people; the chooser is not a way to browse the team.
_MAX_CANDIDATES = 10


def _page(request, template: str, context: dict, *, person: Person, what: str, carer_links=()):
    """Render a page that shows `person`'s record, with the VIEW event every such page writes.

    `carer_links` are the CarerLinks the page lists: the other person's name is on the page, so
    their record was seen too and gets its own VIEW event.
    """
    actor = Actor.from_request(request)
    audit.record(actor, action=audit.Action.VIEW, what=what, person=person)
    linked = [link.carer if link.cared_for_id == person.pk else link.cared_for for link in carer_links]
    audit.record_many(actor, action=audit.Action.VIEW, what=f"linked carer or cared-for person on {what}",
                      people=linked, detail={"shown_on": str(person.public_id)})
    return render(request, f"linkworkers/records/{template}", {"section": "caseload", "person": person, **context})


def _back_to_person(request, person: Person, message: str):
    messages.success(request, message)
    return redirect("linkworkers:person", public_id=person.public_id)


def _refused(form, error: CaseRecordError) -> None:
    # A change the record's state forbids is shown like any other form error, never a 500.
    form.add_error(None, str(error))


def _post(request):
    return request.POST if request.method == "POST" else None


# --- The person page ----------------------------------------------------------------------------

def _age(born, today) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _first_contact(episode) -> dict | None:
    """The first contact against the target (three days from the referral by default)."""
    referral = episode.referral
    if referral is None:
        return None
    return {
        "due": referral.first_contact_due,
        "at": episode.first_contact_at,
        "late": is_first_contact_overdue(referral, first_contact_at=episode.first_contact_at),
    }


@refuse_uploads
def person(request, public_id):
    user = request.user
    person = access.person_for(user, public_id)
    # Refused only once the person is known to be theirs: another team's person is a 404 whatever the method.
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    today = timezone.localdate()
    # One query per kind of thing, however many episodes, contacts or actions the person has.
    episodes = list(
        with_caseload_figures(
            person.episodes.select_related(
                "link_worker", "referral", "closure_signed_off_by", "care_plan"
            )
        )
        .prefetch_related(
            Prefetch("contacts", Contact.objects.select_related("recorded_by")),
            Prefetch("rag_history", RagChange.objects.select_related("changed_by")),
            "actions",
            Prefetch("what_matters", WhatMattersConversation.objects.select_related("held_by")),
            Prefetch("care_plan__versions", CarePlanVersion.objects.order_by("-number")),
            Prefetch("connections", selectors.connections_shown()),
            Prefetch("unmet_needs", UnmetNeed.objects.select_related("need__parent", "recorded_by", "service")),
        )
        .order_by("-opened_at", "-pk")
    )
    for episode in episodes:
        episode.first_contact = _first_contact(episode)
        plan = getattr(episode, "care_plan", None)  # a missing one-to-one raises an AttributeError
        episode.plan_latest = next(iter(plan.versions.all()), None) if plan else None
    current = next((episode for episode in episodes if episode.is_open), None)
    # Someone who may not read concerns sees no section at all: "none raised" would tell them something.
    may_see_concerns = access.may_see_safeguarding(user, person)
    concerns = person.safeguarding_concerns.all()
    context = {
        "today": today,
        "age": _age(person.date_of_birth, today),
        "current": current,
        "previous": [episode for episode in episodes if episode is not current],
        "contacts_norm": settings.LINKWORKERS_CONTACTS_NORM,
        "first_contact_days": settings.LINKWORKERS_FIRST_CONTACT_DAYS,
        "referrals": person.referrals.prefetch_related("needs").order_by("-received_at"),
        "cares_for": list(CarerLink.objects.filter(carer=person).select_related("cared_for")),
        "cared_for_by": list(CarerLink.objects.filter(cared_for=person).select_related("carer")),
        "carer_actions": person.carer_actions.all(),
        "may_see_concerns": may_see_concerns,
        "concerns": list(concerns.select_related("raised_by")) if may_see_concerns else [],
        "can_change": person.team_id in access.team_ids(user),
        "supervises": access.is_supervisor(user, person.team_id),
    }
    return _page(request, "person.html", context, person=person, what="person page",
                 carer_links=context["cares_for"] + context["cared_for_by"])


# --- Details ------------------------------------------------------------------------------------

@refuse_uploads
@require_http_methods(["GET", "POST"])
def person_edit(request, public_id):
    person = access.person_for(request.user, public_id, for_change=True)
    form = PersonDetailsForm.for_person(person, _post(request))
    if form.is_valid():
        changes = {field: form.cleaned_data[field] for field in PersonDetailsForm.FIELDS}
        try:
            episodes.update_person(person=person, actor=Actor.from_request(request), changes=changes)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _back_to_person(request, person, "Details saved")
    return _page(request, "person_edit.html", {"form": form}, person=person, what="edit details form")


# --- Contacts, RAG, tier and next contact, and actions ------------------------------------------------------------

@refuse_uploads
@require_http_methods(["GET", "POST"])
def contact_new(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    form = ContactForm(_post(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            episodes.record_contact(
                episode=episode, actor=Actor.from_request(request), occurred_at=data["occurred_at"],
                mode=data["mode"], duration_minutes=data["duration_minutes"], attended=data["attended"],
                note=data["note"],
            )
        except CaseRecordError as error:
            _refused(form, error)
        else:
            return _back_to_person(request, episode.person, "Contact recorded")
    return _page(request, "contact_form.html", {"form": form, "episode": episode},
                 person=episode.person, what="record a contact form")


@refuse_uploads
@require_http_methods(["GET", "POST"])
def rag(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    form = RagForm(_post(request), current=episode.rag, initial={"rag": episode.rag})
    if form.is_valid():
        episodes.set_rag(episode=episode, rag=form.cleaned_data["rag"], reason=form.cleaned_data["reason"],
                         actor=Actor.from_request(request))
        return _back_to_person(request, episode.person, f"RAG status changed to {Rag(episode.rag).label.lower()}")
    return _page(request, "rag_form.html", {"form": form, "episode": episode},
                 person=episode.person, what="RAG status form")


@refuse_uploads
@require_http_methods(["GET", "POST"])
def tier_and_next_contact(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    form = TierAndNextContactForm(_post(request),
                                  initial={"tier": episode.tier, "next_contact_on": episode.next_contact_on})
    if form.is_valid():
        episodes.update_tier_and_next_contact(
            episode=episode, actor=Actor.from_request(request), tier=form.cleaned_data["tier"],
            next_contact_on=form.cleaned_data["next_contact_on"],
        )
        return _back_to_person(request, episode.person, "Tier and next contact saved")
    return _page(request, "tier_form.html", {"form": form, "episode": episode},
                 person=episode.person, what="tier and next contact form")


@refuse_uploads
@require_http_methods(["GET", "POST"])
def action_new(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    form = ActionForm(_post(request))
    if form.is_valid():
        try:
            episodes.add_action(episode=episode, actor=Actor.from_request(request),
                                description=form.cleaned_data["description"], due_on=form.cleaned_data["due_on"])
        except CaseRecordError as error:
            _refused(form, error)
        else:
            return _back_to_person(request, episode.person, "Action added")
    return _page(request, "action_form.html", {"form": form, "episode": episode},
                 person=episode.person, what="add an action form")


@refuse_uploads
def action_done(request, pk):
    action = Action.objects.filter(pk=pk).select_related("episode").first()
    if action is None:
        raise Http404
    # The action is only as reachable as its episode; a GET is refused only after that.
    action.episode = access.episode_for(request.user, action.episode.public_id, for_change=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    episodes.complete_action(action=action, actor=Actor.from_request(request))
    return _back_to_person(request, action.episode.person, f"Action done: {action.description}")


# --- Closure ------------------------------------------------------------------------------------

@refuse_uploads
@require_http_methods(["GET", "POST"])
def close(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    form = ClosureForm(_post(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            closure.close_episode(episode=episode, actor=Actor.from_request(request), reason=data["reason"],
                                  planned=data["planned"], note=data["note"])
        except CaseRecordError as error:
            _refused(form, error)
        else:
            if episode.status == EpisodeStatus.AWAITING_SIGN_OFF:
                return _back_to_person(request, episode.person,
                                       "Closure sent to a supervisor: the episode closes when they sign it off")
            return _back_to_person(request, episode.person, "Episode closed")
    version = selectors.latest_plan_version(selectors.plan_of(episode))
    context = {"form": form, "episode": episode, "sign_off_needed": settings.LINKWORKERS_CLOSURE_SIGN_OFF,
               "plan": snapshot(version) if version else None}
    return _page(request, "close_form.html", context, person=episode.person, what="closure form")


@refuse_uploads
@require_http_methods(["GET", "POST"])
def sign_off(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    access.require_supervisor(request.user, episode.team)
    form = SignOffForm(_post(request))
    if form.is_valid():
        approve = form.cleaned_data["approve"]
        try:
            closure.sign_off_closure(episode=episode, actor=Actor.from_request(request), approve=approve)
        except CaseRecordError as error:
            _refused(form, error)
        else:
            return _back_to_person(
                request, episode.person,
                "Closure signed off: the episode is closed" if approve else "Closure sent back: the episode stays open",
            )
    return _page(request, "sign_off_form.html", {"form": form, "episode": episode},
                 person=episode.person, what="closure sign-off form")


@refuse_uploads
@require_http_methods(["GET", "POST"])
def reopen(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    form = ReopenForm(_post(request))
    if form.is_valid():
        try:
            closure.reopen_episode(episode=episode, actor=Actor.from_request(request),
                                   reason=form.cleaned_data["reason"])
        except CaseRecordError as error:
            _refused(form, error)
        else:
            return _back_to_person(request, episode.person, "Episode reopened")
    return _page(request, "reopen_form.html", {"form": form, "episode": episode},
                 person=episode.person, what="reopen form")


# --- Carers -------------------------------------------------------------------------------------

def _candidates(user, person: Person, find: FindPersonForm) -> list[Person]:
    """People of the same team matching the name and date of birth typed, never the whole team."""
    if not find.is_valid():
        return []
    people = access.people_for(user).filter(team_id=person.team_id, date_of_birth=find.cleaned_data["date_of_birth"])
    for word in find.cleaned_data["name"].split():
        people = people.filter(
            Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
        )
    return list(people.exclude(pk=person.pk).order_by("family_name", "given_name", "pk")[:_MAX_CANDIDATES])


@refuse_uploads
@require_http_methods(["GET", "POST"])
def carers(request, public_id):
    user = request.user
    person = access.person_for(user, public_id, for_change=True)
    posted = request.POST.get("form") if request.method == "POST" else None
    find = FindPersonForm(request.GET or None, prefix="find")
    candidates = _candidates(user, person, find)
    status_form = CarerStatusForm(
        request.POST if posted == "status" else None, prefix="status",
        initial={"is_carer": person.is_carer, "is_cared_for": person.is_cared_for},
    )
    link_form = CarerLinkForm(request.POST if posted == "link" else None, prefix="link",
                              person=person, candidates=candidates)
    action_form = CarerActionForm(request.POST if posted == "action" else None, prefix="action")

    if status_form.is_valid():
        episodes.update_person(person=person, actor=Actor.from_request(request), changes=status_form.cleaned_data)
        return _back_to_carers(request, person, "Carer status saved")
    if link_form.is_valid():
        other = access.person_for(user, link_form.cleaned_data["other"], for_change=True)
        carer, cared_for = (
            (person, other) if link_form.cleaned_data["direction"] == "person_is_carer" else (other, person)
        )
        try:
            link_carer(carer=carer, cared_for=cared_for, actor=Actor.from_request(request),
                       relationship=link_form.cleaned_data["relationship"])
        except CaseRecordError as error:
            _refused(link_form, error)
        else:
            return _back_to_carers(request, person, f"{carer.full_name} is now linked as {cared_for.full_name}'s carer")
    if action_form.is_valid():
        data = action_form.cleaned_data
        record_carer_action(person=person, actor=Actor.from_request(request), kind=data["kind"], on=data["on"],
                            note=data["note"])
        return _back_to_carers(request, person, "Carer action recorded")

    if candidates:
        # The chooser shows other people's names, dates of birth and postcodes: their records were seen too.
        audit.record_many(Actor.from_request(request), action=audit.Action.VIEW, what="carer link chooser",
                          people=candidates)
    failed = next((f for f in (status_form, link_form, action_form, find) if f.is_bound and f.errors), None)
    context = {
        "form": failed,  # the layout's error summary and "Error:" title follow the form that was sent
        "status_form": status_form,
        "find_form": find,
        "searched": find.is_bound,
        "candidates": candidates,
        "link_form": link_form,
        "action_form": action_form,
        "cares_for": list(CarerLink.objects.filter(carer=person).select_related("cared_for")),
        "cared_for_by": list(CarerLink.objects.filter(cared_for=person).select_related("carer")),
        "carer_actions": person.carer_actions.all(),
    }
    return _page(request, "carers.html", context, person=person, what="carers page",
                 carer_links=context["cares_for"] + context["cared_for_by"])


def _back_to_carers(request, person: Person, message: str):
    messages.success(request, message)
    return redirect("linkworkers:carers", public_id=person.public_id)


# --- Safeguarding -------------------------------------------------------------------------------

@refuse_uploads
@require_http_methods(["GET", "POST"])
def safeguarding_new(request, public_id):
    # Anyone in the team may raise a concern (they may be the one who noticed), though only the
    # named worker, supervisors and safeguarding leads read concerns afterwards.
    person = access.person_for(request.user, public_id, for_change=True)
    form = SafeguardingForm(_post(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            safeguarding.raise_safeguarding_concern(
                person=person, actor=Actor.from_request(request), description=data["description"],
                immediate_risk=data["immediate_risk"], escalated_to=data["escalated_to"],
            )
        except CaseRecordError as error:
            _refused(form, error)
        else:
            return _back_to_person(
                request, person,
                "Safeguarding concern recorded. Now follow the escalation route if you have not already",
            )
    context = {"form": form, "route": settings.LINKWORKERS_SAFEGUARDING_ROUTE}
    return _page(request, "safeguarding_form.html", context, person=person, what="safeguarding concern form")


urlpatterns = [
    path("staff/people/<uuid:public_id>/", person, name="person"),
    path("staff/people/<uuid:public_id>/edit/", person_edit, name="person_edit"),
    path("staff/people/<uuid:public_id>/carers/", carers, name="carers"),
    path("staff/people/<uuid:public_id>/safeguarding/new/", safeguarding_new, name="safeguarding_new"),
    path("staff/episodes/<uuid:public_id>/contacts/new/", contact_new, name="contact_new"),
    path("staff/episodes/<uuid:public_id>/rag/", rag, name="rag"),
    path("staff/episodes/<uuid:public_id>/tier/", tier_and_next_contact, name="tier_and_next_contact"),
    path("staff/episodes/<uuid:public_id>/actions/new/", action_new, name="action_new"),
    path("staff/actions/<int:pk>/done/", action_done, name="action_done"),
    path("staff/episodes/<uuid:public_id>/close/", close, name="close"),
    path("staff/episodes/<uuid:public_id>/sign-off/", sign_off, name="sign_off"),
    path("staff/episodes/<uuid:public_id>/reopen/", reopen, name="reopen"),
]
