"""Exact k-NN in feature space: the chunked torch search against a brute-force oracle, and an image's own distance."""
import pytest
import torch

from core.map.embedding import embed
from core.training.models import build_model
from core.map.neighbours import nearest


def brute_force(query: torch.Tensor, base: torch.Tensor, k: int) -> torch.Tensor:
    """The k nearest by sorting every distance, computed one pair at a time in float64."""
    result = []
    for q in query.double():
        distances = [(float(((q - b.double()) ** 2).sum().sqrt()), index) for index, b in enumerate(base)]
        result.append([index for _, index in sorted(distances)[:k]])
    return torch.tensor(result)


@pytest.mark.parametrize("chunk", [7, 64, 10_000])  # chunks smaller than k, uneven, and one chunk
def test_chunked_search_equals_brute_force(chunk):
    generator = torch.Generator().manual_seed(3)
    base, query = torch.randn(300, 16, generator=generator), torch.randn(5, 16, generator=generator)
    distances, indices = nearest(query, base, k=8, chunk=chunk)
    assert torch.equal(indices, brute_force(query, base, 8))
    assert torch.allclose(distances, torch.cdist(query.double(), base.double()).gather(1, indices).float(), atol=1e-5)
    assert (distances[:, 1:] >= distances[:, :-1]).all()  # nearest first


def test_a_training_image_is_its_own_nearest_neighbour_at_distance_zero(tiny_mnist):
    torch.manual_seed(0)
    model = build_model("cnn")
    features, _ = embed(model, tiny_mnist.train.images)  # (512, 3136)
    picks = torch.tensor([0, 17, 511])
    distances, indices = nearest(features[picks], features, k=8, chunk=100)
    assert torch.equal(indices[:, 0], picks)
    assert (distances[:, 0] == 0).all()


def test_k_larger_than_the_base_returns_every_row():
    distances, indices = nearest(torch.zeros(1, 2), torch.tensor([[3.0, 4.0], [1.0, 0.0]]), k=8)
    assert indices.tolist() == [[1, 0]] and distances.tolist() == [[1.0, 5.0]]


def test_mismatched_widths_are_refused():
    with pytest.raises(ValueError, match="must be"):
        nearest(torch.zeros(1, 3), torch.zeros(5, 4))
