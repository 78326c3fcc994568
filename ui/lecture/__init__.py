"""The Lecture page's pieces: one module per step (data, layers and model, training, testing)."""
from __future__ import annotations

from core.lecture import Lecture
from ui.i18n import _


def title(lecture: Lecture) -> str:
    """What the page calls the lecture's network, in the current language."""
    return _(lecture.title)
