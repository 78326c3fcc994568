"""FGSM and PGD (captum.robust) on a real tiny trained cnn: eps 0 changes nothing, PGD is at least as
strong as FGSM, a reported targeted success really reads as the target, robustness is cached."""
from __future__ import annotations

import pytest
import torch

from core.data.loading import Split
from core.explain import attacks, robustness
from core.map.maps import epoch_model
from tests.explain.inside_run import EPOCHS, trained_run


@pytest.fixture(scope="module")
def model(tiny_mnist_dir, tmp_path_factory):
    return epoch_model(trained_run(tiny_mnist_dir, tmp_path_factory.mktemp("attacks")), EPOCHS)


def test_eps_0_gives_the_original_prediction(model, tiny_mnist):
    images, labels = tiny_mnist.test.images[:64], tiny_mnist.test.labels[:64]
    for method in attacks.METHODS:
        attacked = attacks.perturb(model, images, labels, method, 0.0)
        assert torch.equal(attacked, images)
        assert torch.equal(attacks.probabilities(model, attacked).argmax(1), attacks.probabilities(model, images).argmax(1))


def test_attacks_stay_within_eps_and_the_pixel_range(model, tiny_mnist):
    images, labels = tiny_mnist.test.images[:32], tiny_mnist.test.labels[:32]
    for method in attacks.METHODS:
        attacked = attacks.perturb(model, images, labels, method, 0.1)
        assert float((attacked - images).abs().max()) <= 0.1 + 1e-6
        assert float(attacked.min()) >= 0 and float(attacked.max()) <= 1
        assert not torch.equal(attacked, images)


@pytest.mark.parametrize("eps", [0.05, 0.1, 0.2])
def test_pgd_lowers_the_true_class_at_least_as_much_as_fgsm(model, tiny_mnist, eps):
    images, labels = tiny_mnist.test.images[:64], tiny_mnist.test.labels[:64]
    true = torch.arange(len(labels)), labels.long()
    before = attacks.probabilities(model, images)[true]
    fgsm = attacks.probabilities(model, attacks.perturb(model, images, labels, "fgsm", eps))[true]
    pgd = attacks.probabilities(model, attacks.perturb(model, images, labels, "pgd", eps))[true]
    assert float(fgsm.mean()) < float(before.mean())  # the attack does something at all
    assert float(pgd.mean()) <= float(fgsm.mean()) + 1e-6
    assert int((pgd <= fgsm + 1e-3).sum()) >= 0.9 * len(labels)  # and image by image, nearly always


def test_a_reported_targeted_success_reads_as_the_target(model, tiny_mnist):
    image = tiny_mnist.test.images[:1]
    label = int(tiny_mnist.test.labels[0])
    target = (label + 3) % 10
    found = attacks.smallest_eps(model, image, "pgd", target)
    assert found is not None and found.fooled
    assert int(attacks.probabilities(model, found.adversarial).argmax()) == target  # checked afresh, not trusted
    assert float((found.adversarial - image).abs().max()) <= found.eps + 1e-6
    smaller = attacks.attack(model, image, "pgd", found.eps - 1 / 512, target)  # just below: bisection's lower side
    assert found.eps < 1.0 and not (smaller.fooled and found.eps - 1 / 512 < found.eps / 2)


def test_robustness_is_measured_cached_and_recomputed_when_damaged(tiny_mnist_dir, tiny_mnist, tmp_path, monkeypatch):
    monkeypatch.setattr(robustness, "IMAGES", 100)  # the first 100 here: the same code path as the first 1,000
    run_dir = trained_run(tiny_mnist_dir, tmp_path)
    assert robustness.cached_robustness(run_dir, tiny_mnist.test) is None
    curve = robustness.robustness(run_dir, tiny_mnist.test)
    assert curve.images == 100 and curve.epsilons == robustness.EPSILONS
    clean = (attacks.probabilities(epoch_model(run_dir, EPOCHS), tiny_mnist.test.images[:100]).argmax(1)
             == tiny_mnist.test.labels[:100]).float().mean().item()
    assert curve.at(0.0) == {"fgsm": pytest.approx(clean), "pgd": pytest.approx(clean)}
    assert all(pgd <= fgsm + 0.02 for fgsm, pgd in zip(curve.accuracy["fgsm"], curve.accuracy["pgd"]))
    assert curve.accuracy["pgd"][-1] < clean
    assert robustness.cached_robustness(run_dir, tiny_mnist.test) == curve
    robustness.cache_path(run_dir, EPOCHS).write_bytes(b"not a cache")
    assert robustness.cached_robustness(run_dir, tiny_mnist.test) is None
    assert robustness.robustness(run_dir, tiny_mnist.test) == curve
