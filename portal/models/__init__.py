"""Portal models: site pages, per-site theme settings and the worker heartbeat."""

from .heartbeat import WorkerHeartbeat
from .pages import HomePage
from .theme import ThemeSettings

__all__ = ["HomePage", "ThemeSettings", "WorkerHeartbeat"]
