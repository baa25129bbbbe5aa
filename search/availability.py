"""Whether a person can join a service now, in one phrase: the one rule for result cards, listing
pages, printed and emailed shortlists.

A temporarily closed service says so and nothing else about joining: "open to new people" beside
"temporarily closed" would contradict itself, and a waiting list or a full group matters again only
once it reopens. Works from the status and capacity strings, so listings and search documents
read the same.
"""

from dataclasses import dataclass

from .contract import TEMPORARILY_CLOSED

# Tag colours follow NHS.UK's: green for good news, orange for caution, red for stop.
_CAPACITY = {
    "open": ("Open to new people", "nhsuk-tag--green"),
    "waiting_list": ("Waiting list", "nhsuk-tag--orange"),
    "full": ("Full", "nhsuk-tag--red"),
}


@dataclass(frozen=True)
class Availability:
    label: str
    modifier: str  # the NHS.UK tag colour
    closed: bool = False

    @property
    def notable(self) -> bool:
        """Worth a tag in a list of results: anything but simply open to new people."""
        return self.closed or self.label != _CAPACITY["open"][0]


CLOSED = Availability("Temporarily closed", "nhsuk-tag--red", closed=True)


def availability(status: str, capacity: str) -> Availability | None:
    """How joining stands; None for a capacity this module does not know."""
    if status == TEMPORARILY_CLOSED:
        return CLOSED
    if capacity not in _CAPACITY:
        return None
    return Availability(*_CAPACITY[capacity])
