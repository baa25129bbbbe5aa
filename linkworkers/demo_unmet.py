"""The demo caseload's unmet needs: where the link worker looked for something and found it full, too far, at the
wrong times or too dear, as the commissioners' gap report will count them.

Keyed by family name, as `demo_plans.PLANS` is. Each is recorded just after the contact it follows (counting
only the contacts the person took part in, so from the "what matters" meeting on, where the plan is made),
against one of the plan's goals, and with the person's area as it is then.
"""

from dataclasses import dataclass

from . import selectors
from .audit import Actor
from .models import Episode, UnmetReason
from .services.connections import record_unmet_need


@dataclass(frozen=True)
class DemoUnmetNeed:
    after: int  # the attended contact it follows; the plan is made at the second
    need: str  # a term of the needs taxonomy
    reason: str
    note: str
    goal: int = 0  # which of the plan's goals it is for


UNMET_NEEDS = {
    "Begum": (
        DemoUnmetNeed(2, "loneliness", UnmetReason.FULL,
                      "The mums' coffee morning at the library is full until January; her name is on the list. "
                      "The stay-and-play has room, so she is starting there."),
    ),
    "Doyle": (
        DemoUnmetNeed(3, "anxiety-stress", UnmetReason.COST,
                      "The only anxiety course with a place this month is private, £90 for six sessions; the NHS "
                      "talking therapies wait is about ten weeks.", goal=1),
    ),
    "Price": (
        DemoUnmetNeed(3, "carers", UnmetReason.TIMES,
                      "The carers' group meets on Tuesday mornings, when there is no one to sit with Dennis. "
                      "Nothing for carers in the evenings or at weekends near Sandhurst."),
    ),
    "Pennington": (
        DemoUnmetNeed(2, "loneliness", UnmetReason.FULL,
                      "Asked for a befriender to ring in the evenings: the befriending scheme has no volunteer with "
                      "capacity in Crowthorne. On the waiting list, about three months."),
        DemoUnmetNeed(3, "physical-activity", UnmetReason.TOO_FAR,
                      "The over-60s swim is at the leisure centre in Bracknell: two buses each way from Crowthorne "
                      "and he has no car. Walking group instead for now.", goal=1),
    ),
}


def record_unmet_needs(story, episode: Episode, number: int, letter: str) -> None:
    """The unmet needs `story` (a `demo._Story`) has after its `number`-th contact, if the person took part."""
    if letter != "o":
        return
    attended = story.demo.contacts[:number].count("o")
    for unmet in UNMET_NEEDS.get(story.demo.family_name, ()):
        if unmet.after != attended:
            continue
        version = selectors.latest_plan_version(selectors.plan_of(episode))
        goals = list(version.goals.all()) if version else []
        with story.step(story.after_last(3, 12)):
            record_unmet_need(episode=episode, actor=Actor(story.worker), need=story.needs[unmet.need],
                              reason=unmet.reason, note=unmet.note,
                              goal_thread=goals[unmet.goal].thread if unmet.goal < len(goals) else None)
