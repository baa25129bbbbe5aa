"""What every service module shares: the error a change the record forbids raises, and the open-episode rule."""

from datetime import timedelta

from ..models import Episode, EpisodeStatus

# Something logged "now" from a device whose clock runs a little fast is still not in the future.
CLOCK_SKEW = timedelta(minutes=5)


class CaseRecordError(Exception):
    """A change that the record's state does not allow, with a message fit to show the user."""


def require_open(episode: Episode) -> None:
    if episode.status == EpisodeStatus.CLOSED:
        raise CaseRecordError("This episode is closed. Reopen it first.")
