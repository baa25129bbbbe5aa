"""The form for the co-produced plan: the plan's own parts, then each goal with its needs, outcome and actions.

A form for N goals has N + 1 goal slots (the last one empty, for a new goal), and each goal one empty
action slot more than it has: saving with the empty slots filled in adds a goal or an action, and
saving again gives another empty slot. Slot counts travel with the form, so a post is read with the
slots it was shown with.
"""

import uuid

from django import forms
from django.utils import timezone

from themes.fields import ModelMultipleChoiceField

from ..models import Agreement, CarePlanVersion, GoalOutcome, PlanActionStatus
from ..plans import ActionDraft, GoalDraft, PlanDraft
from .intake import needs_terms
from .records import _date, _text

MAX_GOALS = 10
MAX_ACTIONS = 10


def _count(data, key: str, default: int, most: int) -> int:
    try:
        return max(1, min(most, int((data or {}).get(key, default))))
    except (TypeError, ValueError):
        return default


def _thread(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


class CarePlanForm(forms.Form):
    contingency = _text("If things go wrong, who should they call?",
                        error_messages={"required": "Say who to call if things go wrong"}, rows=3,
                        help_text="Names and numbers: the link worker, a family member, the crisis line.")
    barriers = _text("What might get in the way (optional)", required=False, rows=3)
    assets = _text("Strengths, people and places to draw on (optional)", required=False, rows=3)
    review_on = _date("When will you look at the plan again?",
                      error_messages={"required": "Enter the date to review the plan"})
    agreed_how = forms.ChoiceField(label="Has the person agreed this plan?", choices=Agreement.choices,
                                   widget=forms.RadioSelect, required=False)
    agreed_on = _date("Date they agreed it", required=False,
                      help_text="Leave empty if they have not agreed it yet.")
    change_note = forms.CharField(label="What changed, in a few words (optional)", max_length=300, required=False,
                                  error_messages={"max_length": "Keep it to 300 characters or fewer"})
    # How many slots the form was shown with; read by _count, which clamps whatever comes back.
    goals = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, version: CarePlanVersion | None = None, **kwargs):
        goals = list(version.goals.all()) if version else []
        initial = kwargs.pop("initial", {}) or self._initial(version, goals)
        super().__init__(data, initial=initial, **kwargs)
        self.goal_count = _count(data, "goals", min(len(goals) + 1, MAX_GOALS), MAX_GOALS)
        self.fields["goals"].initial = self.goal_count
        terms = needs_terms()
        self.slots = []
        for g in range(self.goal_count):
            goal = goals[g] if g < len(goals) else None
            existing = list(goal.actions.all()) if goal else []
            action_count = _count(data, f"goal_{g}_actions", min(len(existing) + 1, MAX_ACTIONS), MAX_ACTIONS)
            number = g + 1
            self.fields[f"goal_{g}_words"] = _text(
                f"Goal {number}, in their own words" + (" (optional)" if goal is None else ""),
                required=False, rows=2)
            self.fields[f"goal_{g}_needs"] = ModelMultipleChoiceField(
                label=f"Needs goal {number} meets (optional)", queryset=terms, required=False,
                widget=forms.CheckboxSelectMultiple)
            self.fields[f"goal_{g}_outcome"] = forms.ChoiceField(
                label=f"How is goal {number} going?", choices=GoalOutcome.choices, initial=GoalOutcome.NOT_YET,
                widget=forms.RadioSelect, required=False)
            self.fields[f"goal_{g}_thread"] = forms.CharField(widget=forms.HiddenInput, required=False)
            self.fields[f"goal_{g}_actions"] = forms.CharField(widget=forms.HiddenInput, required=False,
                                                               initial=action_count)
            actions = []
            for a in range(action_count):
                prefix = f"goal_{g}_action_{a}"
                label = f"goal {number}, action {a + 1}"
                self.fields[f"{prefix}_what"] = forms.CharField(
                    label=f"What will be done ({label})", max_length=300, required=False,
                    error_messages={"max_length": "Keep the action to 300 characters or fewer"})
                self.fields[f"{prefix}_who"] = forms.CharField(
                    label=f"Who will do it ({label})", max_length=150, required=False,
                    error_messages={"max_length": "Keep who to 150 characters or fewer"})
                self.fields[f"{prefix}_due"] = _date(f"By when ({label})", required=False)
                self.fields[f"{prefix}_status"] = forms.ChoiceField(
                    label=f"Status ({label})", choices=PlanActionStatus.choices, initial=PlanActionStatus.TO_DO,
                    required=False)
                self.fields[f"{prefix}_thread"] = forms.CharField(widget=forms.HiddenInput, required=False)
                actions.append(prefix)
            self.slots.append({"number": number, "prefix": f"goal_{g}", "actions": actions, "is_new": goal is None})

    @staticmethod
    def _initial(version, goals) -> dict:
        if version is None:
            return {"agreed_how": Agreement.NOT_YET}
        initial = {
            "contingency": version.contingency, "barriers": version.barriers, "assets": version.assets,
            "review_on": version.review_on, "agreed_how": version.agreed_how, "agreed_on": version.agreed_on,
        }
        for g, goal in enumerate(goals):
            initial.update({f"goal_{g}_words": goal.in_own_words, f"goal_{g}_needs": list(goal.needs.all()),
                            f"goal_{g}_outcome": goal.outcome, f"goal_{g}_thread": str(goal.thread)})
            for a, action in enumerate(goal.actions.all()):
                prefix = f"goal_{g}_action_{a}"
                initial.update({f"{prefix}_what": action.what, f"{prefix}_who": action.who,
                                f"{prefix}_due": action.due_on, f"{prefix}_status": action.status,
                                f"{prefix}_thread": str(action.thread)})
        return initial

    def bound_slots(self) -> list[dict]:
        """Each goal slot's bound fields, for the template to lay out as a fieldset per goal."""
        return [
            {
                **slot,
                "words": self[f"{slot['prefix']}_words"], "needs": self[f"{slot['prefix']}_needs"],
                "outcome": self[f"{slot['prefix']}_outcome"], "thread": self[f"{slot['prefix']}_thread"],
                "count": self[f"{slot['prefix']}_actions"],
                "action_fields": [
                    {"number": n, "what": self[f"{p}_what"], "who": self[f"{p}_who"], "due": self[f"{p}_due"],
                     "status": self[f"{p}_status"], "thread": self[f"{p}_thread"]}
                    for n, p in enumerate(slot["actions"], start=1)
                ],
            }
            for slot in self.slots
        ]

    def clean_review_on(self):
        day = self.cleaned_data["review_on"]
        if day and day < timezone.localdate():
            raise forms.ValidationError("The review date must be today or later")
        return day

    def clean_agreed_on(self):
        day = self.cleaned_data["agreed_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date they agreed the plan cannot be in the future")
        return day

    def clean(self):
        data = super().clean()
        if data.get("agreed_how") and not data.get("agreed_on") and "agreed_on" not in self.errors:
            self.add_error("agreed_on", "Enter the date they agreed the plan")
        if data.get("agreed_on") and not data.get("agreed_how"):
            self.add_error("agreed_how", "Select how they agreed the plan, or leave the date empty")
        any_goal = False
        for slot in self.slots:
            words = data.get(f"{slot['prefix']}_words", "").strip()
            any_goal = any_goal or bool(words)
            for prefix in slot["actions"]:
                parts = {part: data.get(f"{prefix}_{part}") for part in ("what", "who", "due")}
                if not any(parts.values()):
                    continue
                if not words:
                    self.add_error(f"{slot['prefix']}_words", f"Write goal {slot['number']} for its actions, "
                                                              "or clear the actions")
                messages = {"what": "Say what will be done", "who": "Say who will do it",
                            "due": "Enter the date it will be done by"}
                for part, value in parts.items():
                    if not value and f"{prefix}_{part}" not in self.errors:
                        self.add_error(f"{prefix}_{part}", messages[part])
        if not any_goal:
            self.add_error("goal_0_words", "Write at least one goal, in the person's own words")
        return data

    def draft(self) -> PlanDraft:
        data = self.cleaned_data
        goals = []
        for slot in self.slots:
            words = data.get(f"{slot['prefix']}_words", "").strip()
            if not words:
                continue
            actions = tuple(
                ActionDraft(what=data[f"{p}_what"], who=data[f"{p}_who"], due_on=data[f"{p}_due"],
                            status=data.get(f"{p}_status") or PlanActionStatus.TO_DO,
                            thread=_thread(data.get(f"{p}_thread")))
                for p in slot["actions"] if data.get(f"{p}_what")
            )
            goals.append(GoalDraft(in_own_words=words, needs=tuple(data.get(f"{slot['prefix']}_needs") or ()),
                                   outcome=data.get(f"{slot['prefix']}_outcome") or GoalOutcome.NOT_YET,
                                   actions=actions, thread=_thread(data.get(f"{slot['prefix']}_thread"))))
        return PlanDraft(
            goals=tuple(goals), contingency=data["contingency"], review_on=data["review_on"],
            barriers=data.get("barriers", ""), assets=data.get("assets", ""),
            agreed_how=data.get("agreed_how") or "", agreed_on=data.get("agreed_on"),
            change_note=data.get("change_note", ""),
        )


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label="Compare version", coerce=int,
                                 error_messages={"required": "Choose the earlier version",
                                                 "invalid_choice": "Choose one of the plan's versions"})
    new = forms.TypedChoiceField(label="with version", coerce=int,
                                 error_messages={"required": "Choose the later version",
                                                 "invalid_choice": "Choose one of the plan's versions"})

    def __init__(self, data=None, *, versions):
        super().__init__(data)
        choices = [(str(v.number), f"Version {v.number}, {v.created_at:%d %b %Y}") for v in versions]
        for name in ("old", "new"):
            self.fields[name].choices = choices
        if len(versions) >= 2:
            self.fields["old"].initial, self.fields["new"].initial = versions[1].number, versions[0].number

    def clean(self):
        data = super().clean()
        if data.get("old") is not None and data.get("old") == data.get("new"):
            self.add_error("new", "Choose two different versions")
        return data
