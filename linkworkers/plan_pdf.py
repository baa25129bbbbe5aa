"""The person's own copy of their plan as a PDF: the printable page's plain words, in large print."""

from io import BytesIO

from django.utils import timezone
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from .models import CarePlanVersion, PlanActionStatus, Team
from .summary import pdf_text

# Large print (RNIB's clear print guidance): 16 point text at the least, generous line spacing, a plain
# sans-serif face, left aligned, headings larger and bold rather than in capitals or italics.
_BODY = ParagraphStyle("Body", fontName="Helvetica", fontSize=16, leading=23, alignment=TA_LEFT, spaceAfter=8)
_TITLE = ParagraphStyle("Title", parent=_BODY, fontName="Helvetica-Bold", fontSize=28, leading=34, spaceAfter=12)
_HEADING = ParagraphStyle("Heading", parent=_BODY, fontName="Helvetica-Bold", fontSize=22, leading=28,
                          spaceBefore=14, spaceAfter=8)
_GOAL = ParagraphStyle("Goal", parent=_BODY, fontName="Helvetica-Bold", fontSize=18, leading=25, spaceBefore=6)


def _day(value) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _lines(text: str) -> str:
    return pdf_text(text).replace("\n", "<br/>")


def _bullets(items: list[str]) -> ListFlowable:
    return ListFlowable([ListItem(Paragraph(item, _BODY), leftIndent=18) for item in items],
                        bulletType="bullet", bulletFontSize=16, leftIndent=18)


def plan_pdf(*, person, version: CarePlanVersion, plan: dict, team: Team, crisis_route: list[dict]) -> bytes:
    """`plan` (a `plans.snapshot` of `version`) as an A4 PDF in large print, with the same words as the page.

    Uncompressed and invariant, as the summary's PDF is, so its text can be checked as it is. The
    document metadata carry no personal data.
    """
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title="My plan", author=team.name, lang="en-GB", invariant=1, pageCompression=0,
    )
    written_on = _day(timezone.localtime(version.created_at))
    written = f"{person.full_name}. Written with {version.created_by} from {team.name} on {written_on}."
    story = [Paragraph("My plan", _TITLE), Paragraph(pdf_text(written), _BODY),
             Paragraph("What I want to achieve", _HEADING)]
    for number, goal in enumerate(plan["goals"], start=1):
        part = [Paragraph(pdf_text(f"{number}. {goal['words']}"), _GOAL)]
        actions = []
        for action in goal["actions"]:
            status = "" if action["status"] == PlanActionStatus.TO_DO.label else f" ({action['status'].lower()})"
            actions.append(pdf_text(f"{action['what']}: {action['who']}, by {action['due']}{status}"))
        if actions:
            part.append(_bullets(actions))
        story.append(KeepTogether(part))
    if plan["barriers"]:
        story += [Paragraph("What might get in the way", _HEADING), Paragraph(_lines(plan["barriers"]), _BODY)]
    if plan["assets"]:
        story += [Paragraph("What I can draw on", _HEADING), Paragraph(_lines(plan["assets"]), _BODY)]
    story += [Paragraph("If things go wrong, who to call", _HEADING), Paragraph(_lines(plan["contingency"]), _BODY)]
    if team.phone:
        hours = f" ({team.hours})" if team.hours else ""
        story.append(Paragraph(pdf_text(f"{team.name}: {team.phone}{hours}."), _BODY))
    story.append(Paragraph("If you need help urgently", _GOAL))
    story.append(_bullets([pdf_text(f"{step['name']}: {step['number']}. {step['when']}") for step in crisis_route]))
    agreed = (f"We agreed this plan together: {plan['agreement'].lower()}." if version.agreed_how
              else "This plan has not been agreed yet.")
    story += [
        Spacer(1, 4 * mm),
        KeepTogether([Paragraph("When we will look at this plan again", _HEADING),
                      Paragraph(pdf_text(f"{_day(plan['review_on'])}."), _BODY), Paragraph(pdf_text(agreed), _BODY)]),
    ]
    document.build(story)
    return buffer.getvalue()
