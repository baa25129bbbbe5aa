"""Development settings: the embedded defaults, DEBUG on, emails printed to the console."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403

DEBUG = True
