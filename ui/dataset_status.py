"""The home page's data-set panel: where MNIST was found, or the exact fix and a download button."""
from __future__ import annotations

import streamlit as st

from core import data
from ui.resources import mnist


def dataset_status() -> bool:
    """Show whether MNIST is usable; True when it loaded."""
    folder = data.data_dir()
    if data.find_files(folder) is None:
        problem = data.missing_help(folder)
    else:
        try:
            loaded = mnist()
        except data.DatasetError as error:
            problem = str(error)
        else:
            st.success(
                f"MNIST found in `{loaded.source}`: {len(loaded.train):,} training and {len(loaded.test):,} test images."
            )
            return True
    st.error(problem)
    if st.button("Download MNIST", key="home_download", help=f"Downloads the four files into {folder}."):
        with st.spinner("Downloading MNIST…"):
            try:
                data.download(folder)
            except data.DatasetError as error:
                st.error(str(error))
            else:
                st.rerun()
    return False
