"""The home page's data-set panel: where each dataset was found, or the exact fix and a download button."""
from __future__ import annotations

import streamlit as st

from core.data import loading as data
from core.data.datasets import DATASETS, DatasetSpec
from ui.i18n import _
from ui.resources import dataset


def dataset_status() -> bool:
    """Show whether each dataset is usable; True when MNIST, the one every page needs, loaded."""
    usable = {spec.name: _one_dataset(spec) for spec in DATASETS.values()}
    return usable["mnist"]


def _one_dataset(spec: DatasetSpec) -> bool:
    folder = data.data_dir(dataset=spec.name)
    if data.find_files(folder, spec.name) is None:
        problem = data.missing_help(folder, spec.name)
    else:
        try:
            loaded = dataset(spec.name)
        except data.DatasetError as error:
            problem = str(error)
        else:
            st.success(_("{dataset} found in `{folder}`: {train:,} training and {test:,} test images.").format(
                dataset=spec.title, folder=loaded.source, train=len(loaded.train), test=len(loaded.test)))
            return True
    # MNIST is what the lecture and the Draw page need; a second dataset is optional
    (st.error if spec.name == "mnist" else st.warning)(problem)
    if st.button(_("Download {dataset}").format(dataset=spec.title), key=f"home_download_{spec.name}",
                 help=_("Downloads the four files into {folder}.").format(folder=folder)):
        with st.spinner(_("Downloading {dataset}…").format(dataset=spec.title)):
            try:
                data.download(folder, spec.name)
            except data.DatasetError as error:
                st.error(str(error))
            else:
                st.rerun()
    return False
