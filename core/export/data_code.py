"""The exported code's dataset cell: the files from $MNIST_DATA_DIR (or the dataset's variable), else a download.

torchvision's MNIST class reads extracted IDX files from `<root>/<Name>/raw/`; the studio's folder
may hold them `.gz` or not, directly or in that layout (core.data.loading), so the cell copies
(or unpacks) the four files into that layout in a temporary folder and points torchvision there.
"""
from __future__ import annotations

from core.data.datasets import DatasetSpec

_TEMPLATE = '''\
def data_root():
    """(root, download): a {torchvision} layout of ${env_var}'s four files (.gz or not), else '{default}' to download into."""
    folder = os.environ.get('{env_var}')
    if not folder:
        return '{default}', True
    root = tempfile.mkdtemp(prefix='dataset-')
    raw = os.path.join(root, '{torchvision}', 'raw')
    os.makedirs(raw)
    for name in {names!r}:
        places = [os.path.join(base, name + ending) for base in (folder, os.path.join(folder, '{torchvision}', 'raw'))
                  for ending in ('', '.gz')]
        found = [place for place in places if os.path.isfile(place)]
        if not found:
            raise FileNotFoundError(name + '(.gz) is not in ' + folder)
        with (gzip.open if found[0].endswith('.gz') else open)(found[0], 'rb') as source, open(os.path.join(raw, name), 'wb') as target:
            shutil.copyfileobj(source, target)
    return root, False


root, download = data_root()
mnist_train = dsets.{torchvision}(root=root, train=True, transform=transforms.ToTensor(), download=download)
mnist_test = dsets.{torchvision}(root=root, train=False, transform=transforms.ToTensor(), download=download)
{validation}
data_loader = torch.utils.data.DataLoader(dataset=train_set, batch_size=batch_size, shuffle=True, drop_last=True)


def accuracy_on(dataset):
    """Share of `dataset` classified right, in batches of 1,000 (the model in eval mode)."""
    # its own generator: a DataLoader draws a seed when it starts, and from the global generator that
    # would change the next epoch's batch order and dropout
    loader = torch.utils.data.DataLoader(dataset, batch_size=1000, generator=torch.Generator())
    correct = 0
    with torch.no_grad():
        for X, Y in loader:
            correct += (model(X.to(device)).argmax(1) == Y.to(device)).sum().item()
    return correct / len(dataset)'''

_VALIDATION = '''
# the validation split: the same 1/{fraction} of the training images is held out in every run (its own
# generator, seed {seed}, not the run's), and the rest, in their original order, are trained on
order = torch.randperm(len(mnist_train), generator=torch.Generator().manual_seed({seed}))
held = len(mnist_train) // {fraction}
validation_set = torch.utils.data.Subset(mnist_train, order[:held].sort().values.tolist())
train_set = torch.utils.data.Subset(mnist_train, order[held:].sort().values.tolist())'''


def data_source(spec: DatasetSpec, validation: bool, fraction: int, seed: int, files: dict[str, str]) -> str:
    """The cell that makes mnist_train, mnist_test, train_set, data_loader and accuracy_on."""
    held = _VALIDATION.format(fraction=fraction, seed=seed) if validation else "train_set = mnist_train"
    default = f"{spec.torchvision_class}_data/"
    return _TEMPLATE.format(
        torchvision=spec.torchvision_class, env_var=spec.env_var, default=default,
        names=list(files.values()), validation=held,
    )
