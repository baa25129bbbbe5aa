"""Portal models: site pages, per-site theme and privacy notice settings, and the worker heartbeat."""

from .heartbeat import WorkerHeartbeat
from .pages import HomePage
from .privacy import PrivacyNoticeSettings
from .theme import ThemeSettings

__all__ = ["HomePage", "PrivacyNoticeSettings", "ThemeSettings", "WorkerHeartbeat"]
