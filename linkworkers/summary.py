"""The short summary sent back to the GP or referrer at acceptance and at closure, as page data and as a PDF.

What it carries follows the person's choice, recorded on the episode (`Episode.gp_sharing`): the full
summary adds their plan (goals in their own words with how each went, the review date) and the closure
note; otherwise, and until they are asked, it carries the coded facts only: who the person is, the
SNOMED CT referral code, the support offered and the outcome, with no free text at all. The plan's
contingency (other people's names and numbers) is never sent: it is for the person.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO
from unicodedata import combining, normalize
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import selectors
from .models import CarePlanVersion, ClosureReason, Episode, EpisodeStatus, GoalOutcome, ReferralSource, Tier
from .models.episodes import GpSharing
from .plans import agreement_in_words


@dataclass(frozen=True)
class ClinicalCode:
    system: str
    code: str
    display: str


# SNOMED CT concepts the GP practice can file in the person's record (domain.md, "Codes and standards").
REFERRAL_TO_SOCIAL_PRESCRIBING = ClinicalCode("SNOMED CT", "871731000000106", "Referral to social prescribing service")
SOCIAL_PRESCRIBING_DECLINED = ClinicalCode("SNOMED CT", "871711000000103", "Social prescribing declined")

ACCEPTANCE = "acceptance"
CLOSURE = "closure"
KINDS = (ACCEPTANCE, CLOSURE)

_TITLES = {
    ACCEPTANCE: "Accepted for social prescribing",
    CLOSURE: "Social prescribing support has ended",
}

# What the person can expect, by tier (the three tiers of support in Leeds, 001:2094-2100).
_NEXT_STEPS = {
    Tier.SIGNPOST: (
        "{name}'s link worker will talk with them about what matters to them and point them to local "
        "activities and support that fit. There is no ongoing support at this tier."
    ),
    Tier.PLAN: (
        "{name}'s link worker will meet them to talk about what matters to them and agree a simple plan "
        "together, usually over 6 to 12 contacts, connecting them with local activities and support."
    ),
    Tier.FOLLOW_UP: (
        "{name}'s link worker will support them more closely, usually for up to three months, agreeing a "
        "plan together and following it up."
    ),
}


@dataclass(frozen=True)
class Section:
    heading: str
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Summary:
    kind: str
    title: str
    reference: str
    produced_on: date
    team: str
    addressed_to: list[str]
    sections: list[Section]
    next_steps: list[str] = field(default_factory=list)
    codes: list[ClinicalCode] = field(default_factory=list)
    # What the person agreed to share, in words for the GP; `full` is False for the coded facts only.
    sharing: str = ""
    full: bool = False

    @property
    def filename(self) -> str:
        # The reference only: a file name ends up in download folders and mail attachments.
        return f"social-prescribing-{self.kind}-summary-{self.reference}.pdf"


_LAY_SOURCES = {ReferralSource.SELF, ReferralSource.FAMILY_OR_FRIEND}


class SummaryNotAvailable(Exception):
    """The episode has no summary of this kind (yet): a closure summary of an open episode, say."""


def _day(value) -> str:
    if value is None:
        return "Not recorded"
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def _worker_name(episode: Episode) -> str:
    return str(episode.link_worker) if episode.link_worker_id else "Not yet allocated"


def _addressed_to(episode: Episode) -> list[str]:
    """A professional referrer, and the person's GP practice unless the referrer wrote from it.

    Summaries go back to professionals (domain.md: "GP / professional referrer"); a friend or
    relative who referred someone is not sent their NHS number and support details.
    """
    referral = episode.referral
    lines = []
    organisation = ""
    if referral is not None and referral.source not in _LAY_SOURCES:
        organisation = referral.referrer_organisation
        referrer = ", ".join(part for part in (referral.referrer_name, referral.referrer_role, organisation) if part)
        if referrer:
            lines.append(f"For the referrer: {referrer}")
    gp_practice = episode.person.gp_practice
    if gp_practice and gp_practice != organisation:
        lines.append(f"For the GP practice: {gp_practice}")
    return lines or ["For the person's GP practice"]


def _person_rows(episode: Episode) -> list[tuple[str, str]]:
    person = episode.person
    return [
        ("Name", person.full_name),
        ("Date of birth", _day(person.date_of_birth)),
        ("NHS number", person.formatted_nhs_number or "Not recorded"),
        ("GP practice", person.gp_practice or "Not recorded"),
    ]


def _referral_rows(episode: Episode) -> list[tuple[str, str]]:
    referral = episode.referral
    if referral is None:
        return [("Referral received", "Not recorded")]
    return [
        ("Referral received", _day(referral.received_at)),
        ("Referral source", referral.get_source_display()),
        ("How it arrived", referral.get_channel_display()),
    ]


def _acceptance(episode: Episode) -> tuple[Section, list[str]]:
    section = Section("Support", [
        ("Accepted on", _day(episode.opened_at)),
        ("Link worker", _worker_name(episode)),
        ("Team", episode.team.name),
        ("Level of support", episode.get_tier_display()),
    ])
    name = episode.person.preferred_name or episode.person.given_name
    steps = [_NEXT_STEPS.get(episode.tier, _NEXT_STEPS[Tier.PLAN]).format(name=name)]
    if episode.first_contact_at:
        steps.append(f"The first contact took place on {_day(episode.first_contact_at)}.")
    else:
        received = episode.referral.received_at if episode.referral else episode.opened_at
        due = received + timedelta(days=settings.LINKWORKERS_FIRST_CONTACT_DAYS)
        steps.append(f"The link worker aims to make first contact by {_day(due)}.")
    if episode.next_contact_on:
        steps.append(f"The next planned contact is on {_day(episode.next_contact_on)}.")
    steps.append("You will receive another summary when the support ends.")
    return section, steps


def _closure(episode: Episode, *, full: bool) -> Section:
    attended = episode.contacts.filter(attended=True).count()
    planned = {True: "Planned", False: "Unplanned", None: "Not recorded"}[episode.closure_planned]
    rows = [
        ("Accepted on", _day(episode.opened_at)),
        ("Closed on", _day(episode.closed_at)),
        ("Link worker", _worker_name(episode)),
        ("Team", episode.team.name),
        ("Level of support", episode.get_tier_display()),
        ("Contacts attended", str(attended)),
        ("Reason for closing", episode.get_closure_reason_display() or "Not recorded"),
        ("Planned or unplanned", planned),
    ]
    if full:  # the note is the worker's free text: only with the person's agreement
        rows.append(("Note", episode.closure_note or "None"))
    return Section("Support", rows)


_SHARING_FOR_THE_GP = {
    GpSharing.FULL: "the full summary, with their plan.",
    GpSharing.CODED: "the coded facts only.",
    GpSharing.NOT_ASKED: "the coded facts only (they have not yet been asked to share more).",
}


def _plan_version(episode: Episode, kind: str) -> CarePlanVersion | None:
    """The plan as it stood when the summary is about: at closure the version closed with, else the latest."""
    plan = selectors.plan_of(episode)
    if plan is None:
        return None
    if kind == CLOSURE and episode.closure_plan_version_id:
        closed_with = CarePlanVersion.objects.filter(pk=episode.closure_plan_version_id)
        return selectors.plan_version(plan, closed_with.values_list("number", flat=True).get())
    return selectors.latest_plan_version(plan)


def _plan(episode: Episode, kind: str) -> Section:
    """The plan's summary for the GP: each goal in the person's words and how it went, the review date.

    Not its actions, barriers, assets or contingency: those name other people and are for the person.
    """
    version = _plan_version(episode, kind)
    if version is None:
        return Section("Their plan", [("Plan", "No plan has been written down.")])
    progress = "Outcome" if kind == CLOSURE else "Progress"
    rows = [(f"Goal {number}", f"{goal.in_own_words}\n{progress}: {GoalOutcome(goal.outcome).label}")
            for number, goal in enumerate(version.goals.all(), start=1)]
    rows += [
        ("Review date", _day(version.review_on)),
        ("Agreed with the person", agreement_in_words(version.agreed_how, version.agreed_on)),
    ]
    return Section("Their plan", rows)


def build_summary(episode: Episode, kind: str) -> Summary:
    """The summary of `kind` for `episode`, carrying what the person agreed to share (module docstring).

    A closure summary exists only once the episode is closed.
    """
    if kind not in KINDS:
        raise SummaryNotAvailable(kind)
    full = episode.gp_sharing == GpSharing.FULL
    next_steps: list[str] = []
    if kind == ACCEPTANCE:
        support, next_steps = _acceptance(episode)
    elif episode.status != EpisodeStatus.CLOSED:
        raise SummaryNotAvailable("The episode is still open.")
    else:
        support = _closure(episode, full=full)
    sections = [
        Section("About the person", _person_rows(episode)),
        Section("Referral", _referral_rows(episode)),
        support,
    ]
    if full:
        sections.append(_plan(episode, kind))
    codes = [REFERRAL_TO_SOCIAL_PRESCRIBING]
    if kind == CLOSURE and episode.closure_reason == ClosureReason.DECLINED:
        codes.append(SOCIAL_PRESCRIBING_DECLINED)
    return Summary(
        kind=kind,
        title=_TITLES[kind],
        reference=str(episode.public_id),
        produced_on=timezone.localdate(),
        team=episode.team.name,
        addressed_to=_addressed_to(episode),
        sections=sections,
        next_steps=next_steps,
        codes=codes,
        sharing=_SHARING_FOR_THE_GP[GpSharing(episode.gp_sharing)],
        full=full,
    )


# Letters without a decomposition into a base letter and an accent.
_PLAIN_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "Ħ": "H", "ħ": "h"})


def pdf_text(value: str) -> str:
    """`value` in the standard PDF fonts' character set (Windows-1252), escaped for reportlab's markup.

    The standard fonts keep the PDF small and its text plain; a character they lack would print as
    a wrong glyph, so it loses its accent instead (Żaneta as Zaneta). The printable page is exact.
    """
    return escape("".join(ch if _in_cp1252(ch) else _plain(ch) for ch in value))


def _in_cp1252(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _plain(ch: str) -> str:
    plain = "".join(c for c in normalize("NFKD", ch.translate(_PLAIN_LETTERS)) if not combining(c))
    return plain if plain and all(_in_cp1252(c) for c in plain) else "?"


def summary_pdf(summary: Summary) -> bytes:
    """The summary as an A4 PDF.

    Uncompressed and invariant (no creation time in the file), so its text can be checked as it
    is and the same summary gives the same bytes; it is a page or two, so size does not matter.
    Document metadata carry no personal data.
    """
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("Small", fontSize=9, leading=11)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=f"Social prescribing {summary.kind} summary", author=summary.team, lang="en-GB",
        invariant=1, pageCompression=0,
    )

    def table(rows, widths):
        cells = [[Paragraph(pdf_text(label), small), Paragraph(pdf_text(value).replace("\n", "<br/>"), body)]
                 for label, value in rows]
        result = Table(cells, colWidths=widths, hAlign="LEFT")
        result.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
        ]))
        return result

    story = [
        Paragraph(pdf_text(summary.title), styles["Title"]),
        Paragraph(pdf_text(f"From {summary.team}, {_day(summary.produced_on)}. Reference {summary.reference}"), small),
        Spacer(1, 4 * mm),
    ]
    story += [Paragraph(pdf_text(line), body) for line in summary.addressed_to]
    story.append(Paragraph(pdf_text(f"What the person agreed to share: {summary.sharing}"), body))
    for section in summary.sections:
        story += [Paragraph(pdf_text(section.heading), styles["Heading2"]), table(section.rows, [45 * mm, 125 * mm])]
    if summary.next_steps:
        story.append(Paragraph("What happens next", styles["Heading2"]))
        story += [Paragraph(pdf_text(step), body) for step in summary.next_steps]
    story.append(Paragraph("Clinical codes", styles["Heading2"]))
    story.append(table([(f"{code.system} {code.code}", code.display) for code in summary.codes], [45 * mm, 125 * mm]))
    document.build(story)
    return buffer.getvalue()
