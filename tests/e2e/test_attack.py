"""Inside's attack panel in a real browser: moving the eps slider changes the prediction shown."""
import pytest

from core.data.loading import load_mnist
from core.explain import attacks
from core.runs.epochs import load_epoch_model
from core.training.config import TrainConfig
from core.training.fit import fit, new_run
from tests.e2e.streamlit_dom import PAGE_TIMEOUT, assert_no_exception, keyed, open_page, poll, slide_to_end

pytestmark = pytest.mark.e2e
RUN = "e2e-attack"


@pytest.fixture(scope="module")
def attacked(e2e_data_dir, e2e_runs_dir):
    """A run trained a little, and a test image whose FGSM prediction differs at eps 0.1 (the panel's start) and 0.5."""
    data = load_mnist(e2e_data_dir, allow_download=False)
    trainer, run_dir = new_run(TrainConfig(epochs=2, batch_size=64, max_batches=4), data, e2e_runs_dir, "cpu", RUN)
    list(fit(trainer, run_dir))
    model = load_epoch_model(run_dir, 2)
    for index in range(64):
        image = data.test.images[index : index + 1]
        start, end = (int(attacks.attack(model, image, "fgsm", eps).after.argmax()) for eps in (0.1, 0.5))
        if start != end:
            return index, str(start), str(end)
    pytest.fail("no test image flips between eps 0.1 and 0.5")


def test_moving_the_eps_slider_changes_the_prediction(server, page, attacked):
    index, start, end = attacked
    open_page(page, f"{server}/Inside?run={RUN}&test={index}", ".st-key-inside_attack_eps")
    metric = page.get_by_test_id("stMetric").filter(has_text="Prediction after the attack")
    metric.wait_for(timeout=PAGE_TIMEOUT)
    read = lambda: metric.get_by_test_id("stMetricValue").inner_text().strip()  # noqa: E731
    assert poll(read, lambda value: value == start) == start
    slide_to_end(page, "inside_attack_eps", "End", "0.50")
    assert poll(read, lambda value: value == end, timeout=60) == end
    assert_no_exception(page)
