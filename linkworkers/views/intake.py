"""Referral intake: public professional and self-referral forms, and referrals staff take by phone, email or in person.

The public forms ask the crisis screening questions on a page of their own first (a POST step that
works without JavaScript); the answers travel to the referral form signed in a hidden field, and a
crisis answer puts the crisis route at the top of that very next page. Spam handling, and why
nothing is held back, is described in linkworkers.intake. The thank-you page is reached by a
redirect and carries no personal data: the reference is kept in the session and shown once.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from themes.crisis import crisis_route

from .. import access, intake
from ..audit import Actor
from ..services.intake import submit_referral
from ..services.common import CaseRecordError
from ..forms.intake import CrisisScreeningForm, ProfessionalReferralForm, SelfReferralForm, StaffReferralForm
from ..models import ReferralChannel, ReferralSource, Team
from ..uploads import refuse_uploads

_RECEIVED = "linkworkers:referral_received"
_RATE_LIMITED = (
    "We could not send this referral: a lot of referrals have been sent from this network recently. "
    "Nothing has been stored. Try again in an hour, or phone your GP practice or the link-worker team instead."
)


def _public_referral(request, *, form_class, channel: str, template: str, done: str):
    """Screening first, then the referral form; the same flow for professionals and for residents."""
    about_self = form_class.about_self
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "referral":
        form = form_class(request.POST)
        if form.is_valid():
            return _send(request, form, channel=channel, done=done, template=template)
        if "screening" in form.errors:  # altered or missing: the screening questions must be answered first
            return render(request, "linkworkers/intake/screening.html", {
                "form": CrisisScreeningForm(about_self=about_self), "about_self": about_self, "restart": True,
            })
        return _referral_page(request, form, template)

    screening = CrisisScreeningForm(request.POST if step == "screening" else None, about_self=about_self)
    if screening.is_valid():
        answers = screening.screening()
        form = form_class(initial={"screening": intake.sign_screening(answers)})
        return _referral_page(request, form, template, crisis=answers["crisis"])
    return render(request, "linkworkers/intake/screening.html", {"form": screening, "about_self": about_self})


def _referral_page(request, form, template, *, crisis=None, rate_limited=False):
    if crisis is None:  # a bound form, whose signed screening answers were read in cleaning
        crisis = form.cleaned_data.get("screening", {}).get("crisis", False)
    context = {
        "form": form, "about_self": form.about_self, "crisis": crisis, "crisis_route": crisis_route(),
        "rate_limited": rate_limited,
    }
    return render(request, template, context, status=429 if rate_limited else 200)


def _send(request, form, *, channel: str, done: str, template: str):
    """Store the referral and redirect to the thank-you page, or show the form again with why not."""
    data = form.cleaned_data
    screening = data["screening"]
    if data["website"]:  # a robot: nothing stored, and the usual thank-you page
        request.session[_RECEIVED] = {"reference": intake.decoy_reference(), "crisis": screening["crisis"]}
        return redirect(done)
    if not intake.within_rate_limit(request):
        form.add_error(None, _RATE_LIMITED)
        return _referral_page(request, form, template, rate_limited=True)
    try:
        referral = submit_referral(
            channel=channel,
            source=data.get("source") or ReferralSource.SELF,
            person=form.person(),
            referrer=form.referrer(),
            reasons=data["reasons"],
            needs=data["needs"],
            consent_to_contact=data["consent_to_contact"],
            crisis_answers=screening["answers"],
            crisis_indicated=screening["crisis"],
            actor=Actor.from_request(request),
        )
    except CaseRecordError as error:
        form.add_error(None, str(error))
        return _referral_page(request, form, template)
    request.session[_RECEIVED] = {"reference": intake.reference(referral.public_id), "crisis": screening["crisis"],
                                   "team": referral.team_id}
    return redirect(done)


@refuse_uploads
@require_http_methods(["GET", "POST"])
def refer_professional(request):
    return _public_referral(
        request, form_class=ProfessionalReferralForm, channel=ReferralChannel.PROFESSIONAL_FORM,
        template="linkworkers/intake/refer_professional.html", done="linkworkers:refer_professional_done",
    )


@refuse_uploads
@require_http_methods(["GET", "POST"])
def refer_self(request):
    return _public_referral(
        request, form_class=SelfReferralForm, channel=ReferralChannel.SELF_REFERRAL_FORM,
        template="linkworkers/intake/refer_self.html", done="linkworkers:refer_self_done",
    )


def _thank_you(request, *, about_self: bool):
    # Shown once: on a shared computer the next person to open this address sees no reference.
    received = request.session.pop(_RECEIVED, None) or {}
    team = Team.objects.filter(pk=received["team"]).first() if received.get("team") else None
    return render(request, "linkworkers/intake/thank_you.html", {
        "about_self": about_self,
        "team": team,
        "reference": received.get("reference"),
        "crisis": received.get("crisis", False),
        "crisis_route": crisis_route(),
        "first_contact_days": settings.LINKWORKERS_FIRST_CONTACT_DAYS,
    })


@refuse_uploads
@require_GET
def refer_professional_done(request):
    return _thank_you(request, about_self=False)


@refuse_uploads
@require_GET
def refer_self_done(request):
    return _thank_you(request, about_self=True)


@refuse_uploads
@require_http_methods(["GET", "POST"])
def referral_new(request):
    """A referral taken by phone, email or in person, keyed in by a link worker or supervisor."""
    access.require_team_member(request.user)
    teams = [membership.team for membership in access.memberships(request.user)]
    form = StaffReferralForm(request.POST if request.method == "POST" else None, teams=teams)
    if form.is_valid():
        data = form.cleaned_data
        screening = form.screening()
        try:
            referral = submit_referral(
                channel=data["channel"],
                source=data["source"],
                person=form.person(),
                referrer=form.referrer(),
                reasons=data["reasons"],
                needs=data["needs"],
                consent_to_contact=data["consent_to_contact"],
                crisis_answers=screening["answers"],
                crisis_indicated=screening["crisis"],
                team=form.chosen_team(),
                keyed_by=request.user,
                received_at=data["received_at"],
                actor=Actor.from_request(request),
            )
        except CaseRecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Referral saved. Reference {intake.reference(referral.public_id)}.")
            if screening["crisis"]:
                route = "; ".join(f"{step['name']}: {step['number']}" for step in crisis_route())
                messages.warning(request, "Crisis indicated: the referral is marked urgent. "
                                          f"Make sure the person has the crisis route. {route}.")
            return redirect(reverse("linkworkers:referral_detail", args=[referral.public_id]))
    return render(request, "linkworkers/intake/referral_new.html", {
        "form": form, "section": "new_referral", "crisis_route": crisis_route(),
    })


urlpatterns = [
    path("refer/", refer_professional, name="refer_professional"),
    path("refer/thank-you/", refer_professional_done, name="refer_professional_done"),
    path("refer-yourself/", refer_self, name="refer_self"),
    path("refer-yourself/thank-you/", refer_self_done, name="refer_self_done"),
    path("staff/referrals/new/", referral_new, name="referral_new"),
]
