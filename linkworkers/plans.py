"""The co-produced plan as plain data: drafts a form hands to the service, snapshots of saved versions,
and the comparison of any two versions. No I/O here beyond reading an already-fetched version."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from .models import Agreement, CarePlanVersion, GoalOutcome, PlanActionStatus


@dataclass(frozen=True)
class ActionDraft:
    what: str
    who: str
    due_on: date
    status: str = PlanActionStatus.TO_DO
    thread: uuid.UUID | None = None  # the same action in the version before, if any


@dataclass(frozen=True)
class GoalDraft:
    in_own_words: str
    needs: tuple = ()  # directory TaxonomyTerms
    outcome: str = GoalOutcome.NOT_YET
    actions: tuple[ActionDraft, ...] = ()
    thread: uuid.UUID | None = None  # the same goal in the version before, if any


@dataclass(frozen=True)
class PlanDraft:
    goals: tuple[GoalDraft, ...]
    contingency: str
    review_on: date
    barriers: str = ""
    assets: str = ""
    agreed_how: str = ""
    agreed_on: date | None = None
    change_note: str = ""


# --- Snapshots: a version as the words a person reads ---------------------------------------------

def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def agreement_in_words(agreed_how: str, agreed_on: date | None) -> str:
    if not agreed_how:
        return "Not agreed yet"
    return f"{Agreement(agreed_how).label}, {_day(agreed_on)}" if agreed_on else Agreement(agreed_how).label


def snapshot(version: CarePlanVersion) -> dict:
    """A saved version (goals, their needs and actions prefetched) as plain words, for showing and comparing.

    Each goal and action has its words under short keys for templates, and the same under `fields`
    (label: words) for a comparison to set side by side.
    """
    goals = []
    for goal in version.goals.all():
        actions = []
        for action in goal.actions.all():
            words = {"what": action.what, "who": action.who, "due": _day(action.due_on),
                     "status": PlanActionStatus(action.status).label}
            actions.append({"thread": action.thread, **words, "fields": {
                "Action": words["what"], "Who": words["who"], "By when": words["due"], "Status": words["status"],
            }})
        words = {"words": goal.in_own_words, "needs": ", ".join(sorted(term.name for term in goal.needs.all())),
                 "outcome": GoalOutcome(goal.outcome).label}
        goals.append({"thread": goal.thread, **words, "actions": actions, "fields": {
            "Goal": words["words"], "Needs": words["needs"], "Outcome": words["outcome"],
        }})
    return {
        "number": version.number,
        "goals": goals,
        "fields": {
            "What might get in the way": version.barriers,
            "Strengths, people and places to draw on": version.assets,
            "If things go wrong, who to call": version.contingency,
            "Review date": _day(version.review_on),
            "Agreed with the person": agreement_in_words(version.agreed_how, version.agreed_on),
        },
        "contingency": version.contingency,
        "barriers": version.barriers,
        "assets": version.assets,
        "review_on": version.review_on,
        "agreement": agreement_in_words(version.agreed_how, version.agreed_on),
    }


# --- Comparing two versions ------------------------------------------------------------------------

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"


@dataclass
class Row:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class Item:
    """A goal or action in either version: what happened to it, and its fields side by side."""

    change: str
    rows: list[Row]
    actions: list["Item"] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.rows[0].new or self.rows[0].old


def _rows(old: dict | None, new: dict | None) -> list[Row]:
    labels = (new or old)["fields"].keys()
    before, after = (old or {"fields": {}})["fields"], (new or {"fields": {}})["fields"]
    return [Row(label, before.get(label, ""), after.get(label, "")) for label in labels]


def _pair(olds: list[dict], news: list[dict], nested: bool) -> list[Item]:
    """Pair items by thread: the newer version's in its order, then those it no longer has."""
    old_by_thread = {item["thread"]: item for item in olds}
    new_threads = {item["thread"] for item in news}
    kept_or_added = [_item(old_by_thread.get(new["thread"]), new, nested) for new in news]
    removed = [_item(old, None, nested) for old in olds if old["thread"] not in new_threads]
    return kept_or_added + removed


def _item(old: dict | None, new: dict | None, nested: bool) -> Item:
    rows = _rows(old, new)
    actions = _pair(old["actions"] if old else [], new["actions"] if new else [], False) if nested else []
    if old is None:
        change = ADDED
    elif new is None:
        change = REMOVED
    elif any(row.changed for row in rows) or any(action.change != UNCHANGED for action in actions):
        change = CHANGED
    else:
        change = UNCHANGED
    return Item(change, rows, actions)


def compare(old: dict, new: dict) -> dict:
    """What changed from snapshot `old` to snapshot `new`: the plan's own fields, then each goal with its actions."""
    rows = [Row(label, old["fields"][label], new["fields"][label]) for label in new["fields"]]
    goals = _pair(old["goals"], new["goals"], True)
    return {
        "old": old["number"],
        "new": new["number"],
        "fields": rows,
        "goals": goals,
        "changed": any(row.changed for row in rows) or any(goal.change != UNCHANGED for goal in goals),
    }
