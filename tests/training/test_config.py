"""TrainConfig: the lecture's defaults and one clear sentence per bad value."""
import math

import pytest

from core.training.config import ConfigError, TrainConfig


def test_defaults_are_the_lectures():
    config = TrainConfig()
    assert (config.model, config.lr, config.epochs, config.batch_size, config.seed, config.optimizer) == (
        "cnn", 0.001, 15, 100, 777, "adam"
    )


def test_config_is_frozen():
    with pytest.raises(Exception):
        TrainConfig().lr = 0.1


@pytest.mark.parametrize(
    "field, value",
    [
        ("lr", 0), ("lr", -0.1), ("lr", math.nan), ("lr", math.inf), ("lr", "fast"),
        ("epochs", 0), ("epochs", -3), ("epochs", 2.5), ("epochs", "ten"),
        ("batch_size", 0), ("batch_size", 60_001), ("model", "resnet"), ("optimizer", "rmsprop"),
        ("dropout", 1.0), ("dropout", -0.1), ("seed", -1), ("schedule", "cosine"), ("max_batches", 0),
    ],
)
def test_bad_values_name_the_field(field, value):
    with pytest.raises(ConfigError, match=field):
        TrainConfig(**{field: value})


def test_round_trip_through_dict_ignores_unknown_keys():
    config = TrainConfig(model="deep_cnn", lr=0.01, epochs=3)
    assert TrainConfig.from_dict({**config.to_dict(), "from_the_future": 1}) == config


def test_with_changes_validates():
    with pytest.raises(ConfigError):
        TrainConfig().with_changes(epochs=0)
    assert TrainConfig().with_changes(epochs=2).epochs == 2
