"""PCA against an SVD oracle, and Procrustes recovering a known rotation."""
import math

import pytest
import torch

from core.map.maps import pca_layout
from core.map.projection import EXACT_UP_TO, fit_pca, procrustes


@pytest.mark.parametrize("width", [12, EXACT_UP_TO + 6])  # the exact (covariance) and the randomised path
def test_pca_axes_match_the_svd_of_the_centred_data(width):
    generator = torch.Generator().manual_seed(0)
    data = torch.randn(1200, width, generator=generator) * torch.cat([torch.tensor([8.0, 4.0]), torch.full((width - 2,), 0.1)])
    pca = fit_pca(data, dims=2)
    _, singular, right = torch.linalg.svd(data - data.mean(0), full_matrices=False)
    for axis in range(2):
        assert abs(float(pca.components[:, axis] @ right[axis])) > 0.999  # same axis, sign free
    assert torch.allclose(pca.explained, singular[:2] ** 2 / (singular**2).sum(), rtol=1e-3)
    assert torch.equal(fit_pca(data).components, pca.components)  # repeatable


def test_procrustes_recovers_a_rotation_and_a_mirror():
    generator = torch.Generator().manual_seed(1)
    target = torch.randn(200, 2, generator=generator)
    angle = math.radians(70)
    turn = torch.tensor([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    for transform in (turn, turn @ torch.tensor([[1.0, 0.0], [0.0, -1.0]])):
        source = target @ transform.T
        rotation = procrustes(source, target)
        assert torch.allclose(source @ rotation, target, atol=1e-4)


def test_an_epochs_pca_layout_is_turned_onto_the_final_one_and_places_new_points_the_same_way():
    generator = torch.Generator().manual_seed(2)
    features = torch.randn(300, 6, generator=generator) * torch.tensor([4.0, 2.0, 1.0, 0.5, 0.2, 0.1])
    final = pca_layout(features)
    flipped = pca_layout(-features, target=final.coords)  # the same map, mirrored: Procrustes undoes it
    assert torch.allclose(flipped.coords, final.coords, atol=1e-3)
    assert torch.allclose(flipped.place(-features[:3]), final.coords[:3], atol=1e-3)
    assert torch.allclose(final.place(features[:3]), final.coords[:3], atol=1e-5)
