"""The datasets a run can train on: a registry by name, like core.training.models.

Each entry says where its four IDX files are found offline, how torchvision downloads
it online, the checksums of the real files, and its class names. Nothing outside this
registry assumes "10 digits": pages, charts and CLI lines take class names from here.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.words import N_


@dataclass(frozen=True)
class DatasetSpec:
    name: str  # the key, as typed on the command line: mnist | fashion-mnist
    title: str  # as shown to a user
    classes: tuple[str, ...]  # class names, indexed by label
    env_var: str  # the environment variable that names its folder
    default_subdir: str  # under the project's data/ when nothing else is given
    system_dirs: tuple[str, ...]  # folders a system package installs it into, used when present
    torchvision_class: str  # the torchvision.datasets class that downloads it
    md5: dict[str, str]  # md5 of each extracted real file, by FILES key
    install_hint: str  # how to get the files offline
    repair_hint: str  # how to get a fresh copy of a damaged file, as a sentence (or "")
    digits: bool  # drawn digits make sense for its runs (the Draw page)

    @property
    def noun(self) -> str:
        """What one class is called in a sentence: "digit" or "class"."""
        return N_("digit") if self.digits else N_("class")

    def class_name(self, label: int) -> str:
        """The name of one class, e.g. 7 -> "7" or "Sneaker"."""
        return self.classes[label]


MNIST = DatasetSpec(
    name="mnist",
    title="MNIST",
    classes=tuple(str(digit) for digit in range(10)),
    env_var="MNIST_DATA_DIR",
    default_subdir="",
    system_dirs=(),
    torchvision_class="MNIST",
    # shared/datasets/mnist/README.md; the .gz wrappers differ from the mirrors', the contents do not
    md5={
        "train_images": "6bbc9ace898e44ae57da46a324031adb",
        "train_labels": "a25bea736e30d166cdddb491f175f624",
        "test_images": "2646ac647ad5339dbf082846283269ea",
        "test_labels": "27ae3e4e09519cfbb04c329615203637",
    },
    install_hint="connect to the internet and let the app download them",
    repair_hint="",
    digits=True,
)

FASHION_MNIST = DatasetSpec(
    name="fashion-mnist",
    title="Fashion-MNIST",
    classes=(
        N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"),
        N_("Sandal"), N_("Shirt"), N_("Sneaker"), N_("Bag"), N_("Ankle boot"),
    ),
    env_var="FASHION_MNIST_DATA_DIR",
    default_subdir="fashion-mnist",
    system_dirs=("/usr/share/datasets/fashion-mnist",),
    torchvision_class="FashionMNIST",
    # md5 of the extracted files as published beside the .gz ones; Debian's package re-gzips them
    md5={
        "train_images": "f4a8712d7a061bf5bd6d2ca38dc4d50a",
        "train_labels": "9018921c3c673c538a1fc5bad174d6f9",
        "test_images": "8181f5470baa50b63fa0f6fddb340f0a",
        "test_labels": "15d484375f8d13e6eb1aabb0c3f46965",
    },
    install_hint="install Debian's package (apt-get install dataset-fashion-mnist), "
    "or connect to the internet and let the app download them",
    repair_hint=" Debian's copy comes back with: apt-get install --reinstall dataset-fashion-mnist.",
    digits=False,
)

DATASETS: dict[str, DatasetSpec] = {spec.name: spec for spec in (MNIST, FASHION_MNIST)}


class UnknownDataset(ValueError):
    """A dataset name that is not in the registry."""


def get(name: str) -> DatasetSpec:
    """The registry entry for `name`; raises UnknownDataset with the known names."""
    try:
        return DATASETS[name]
    except (KeyError, TypeError):
        raise UnknownDataset(f"dataset must be one of {', '.join(DATASETS)}; got {name!r}.") from None


def class_names(name: str) -> tuple[str, ...]:
    """The class names of dataset `name`, indexed by label."""
    return get(name).classes
