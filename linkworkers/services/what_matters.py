"""What-matters conversations: recording what the person said matters to them, dated and attributed."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from .. import audit
from ..audit import Actor
from ..models import Concern, Episode, WhatMattersConversation
from .common import CaseRecordError, require_open

AuditAction = audit.Action

_TEXT_FIELDS = (
    "what_matters", "working_well", "not_working", "hopes", "strength_people", "strength_skills",
    "strength_interests", "strength_places", "own_words",
)


@transaction.atomic
def record_conversation(
    *, episode: Episode, actor: Actor, held_on: date, what_matters: str, concerns=(), other_concern: str = "",
    **answers: str,
) -> WhatMattersConversation:
    """Record one conversation. `answers` are the other text fields (working_well, not_working, hopes,
    strength_people, strength_skills, strength_interests, strength_places, own_words)."""
    require_open(episode)
    if held_on > timezone.localdate():
        raise CaseRecordError("The conversation cannot be in the future. Record it after it has happened.")
    if not what_matters.strip():
        raise CaseRecordError("Write what matters to the person.")
    unknown = set(answers) - set(_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    chosen = [value for value in Concern.values if value in set(concerns)]
    if other_concern.strip() and Concern.OTHER not in chosen:
        chosen.append(Concern.OTHER)
    conversation = WhatMattersConversation.objects.create(
        episode=episode, held_on=held_on, what_matters=what_matters.strip(), concerns=chosen,
        other_concern=other_concern.strip() if Concern.OTHER in chosen else "", held_by=actor.user,
        **{field: (answers.get(field) or "").strip() for field in _TEXT_FIELDS if field != "what_matters"},
    )
    audit.record(
        actor, action=AuditAction.CREATE, what="what-matters conversation recorded", person=episode.person,
        record=conversation, detail={"episode": str(episode.public_id), "held_on": held_on.isoformat()},
    )
    return conversation
