"""Recording the person's choice of what their GP and referrer receive: the full summary or the coded facts only."""

from django.db import transaction
from django.utils import timezone

from .. import audit
from ..audit import Actor
from ..models import Episode
from ..models.episodes import GpSharing
from .common import CaseRecordError


@transaction.atomic
def record_gp_sharing(*, episode: Episode, actor: Actor, choice: str) -> Episode:
    """Store the person's choice, who recorded it and when, with an audit event naming the old and new choice.

    Allowed on a closed episode too: the closure summary is sent after closing, and the person may
    change their mind before it goes. The same choice again changes nothing and writes nothing.
    """
    if choice not in GpSharing.values or choice == GpSharing.NOT_ASKED:
        raise CaseRecordError("Choose what the person agreed their GP and referrer receive.")
    episode = Episode.objects.select_for_update().select_related("person").get(pk=episode.pk)
    old = episode.gp_sharing
    if choice == old:
        return episode
    episode.gp_sharing = choice
    episode.gp_sharing_recorded_by = actor.user
    episode.gp_sharing_recorded_at = timezone.now()
    episode.save(update_fields=["gp_sharing", "gp_sharing_recorded_by", "gp_sharing_recorded_at"])
    audit.record(
        actor, action=audit.Action.CHANGE, what="what the GP receives changed", person=episode.person,
        detail={"episode": str(episode.public_id), "from": GpSharing(old).label, "to": GpSharing(choice).label,
                "from_value": old, "to_value": choice},
    )
    return episode
