"""The sidebar's note on saved runs that cannot be used, each with its reason: on every page, since a
damaged run is left out of every run picker, and a user who finds a run missing should learn why."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.runs import checkpoints
from ui.i18n import _, ngettext
from ui.resources import runs_root


def sidebar_note() -> None:
    """Nothing when every run is usable; else how many are not, and why, with where to delete them."""
    root = runs_root()
    damaged = _damaged(str(root), _stamp(root))
    if not damaged:
        return
    count = ngettext("{n} saved run cannot be used", "{n} saved runs cannot be used", len(damaged)).format(n=len(damaged))
    with st.sidebar.expander(f":material/warning: {count}"):
        for reason in damaged:
            st.caption(reason)  # core's words (CheckpointError), English as its CLIs are
        st.caption(_("Delete them on the Runs page, or mend their files."))


@st.cache_data(max_entries=8, show_spinner=False)
def _damaged(root: str, stamp: tuple) -> list[str]:  # stamp: only the cache key
    return [run.damaged for run in checkpoints.list_runs(Path(root)) if run.damaged]


def _stamp(root: Path) -> tuple:
    """Each run folder's files with their sizes and times: a cheap key that changes when a run does."""
    if not root.is_dir():
        return ()
    stamp = []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        for name in (checkpoints.META, checkpoints.WEIGHTS):
            try:
                stat = (folder / name).stat()
                stamp.append((folder.name, name, stat.st_size, stat.st_mtime_ns))
            except OSError:
                stamp.append((folder.name, name, None, None))
    return tuple(stamp)
