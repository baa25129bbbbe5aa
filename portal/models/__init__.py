"""Portal models: site pages, per-site theme and privacy notice settings, site feedback, and the worker heartbeat."""

from .feedback import SiteFeedback
from .heartbeat import WorkerHeartbeat
from .pages import HomePage
from .privacy import PrivacyNoticeSettings
from .theme import ThemeSettings

__all__ = ["HomePage", "PrivacyNoticeSettings", "SiteFeedback", "ThemeSettings", "WorkerHeartbeat"]
