"""The Lecture page's pieces: one module per step (data, layers and model, training, testing)."""
from __future__ import annotations

from core.lecture import Lecture
from ui.i18n import N_, _

# core.lecture.LECTURES' titles, marked here for the catalog (Babel does not read core/lecture.py)
TITLES = (N_("The lecture's CNN"), N_("For more deep: the deeper CNN"))


def title(lecture: Lecture) -> str:
    """What the page calls the lecture's network, in the current language."""
    return _(lecture.title)
