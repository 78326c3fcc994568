"""The Train page's pieces: the hyperparameter form and the live job panel (the designer is ui.train.designer)."""
from __future__ import annotations

import streamlit as st

from core.data import handwriting
from core.data.datasets import DATASETS
from core.training.augment import LEVEL_TITLES, LEVELS
from core.training.jobs import JobSnapshot
from core.training.models import CUSTOM, MODELS
from core.training.presets import PRESET_TITLES, PRESETS
from ui import charts, page_links
from ui.train import form as train_form, live as train_live
from ui.resources import choose_run, job_registry
from ui.train.form import WIDGETS

OTHER_PAGES = {page_links.MISTAKES: "Study its mistakes", page_links.DRAW: "Test it on your drawing"}


def hyperparameter_form() -> None:
    """Preset picker and one widget per hyperparameter, all keyed by train_form.WIDGETS."""
    state = st.session_state
    st.selectbox(
        "Preset", list(PRESETS), key=train_form.PRESET_KEY, format_func=PRESET_TITLES.get,
        on_change=train_form.apply_preset, args=(state,), help="Fills every setting below.",
    )
    left, middle, right = st.columns(3)
    left.selectbox("Dataset", list(DATASETS), key=WIDGETS["dataset"], format_func=lambda name: DATASETS[name].title,
                   help="MNIST's handwritten digits, or Fashion-MNIST's clothing images: same size, harder to tell apart.")
    left.selectbox("Model", [*MODELS, CUSTOM], key=WIDGETS["model"], format_func=model_title, on_change=train_form.apply_model,
                   args=(state,), help="Fills the network designer below; a design unlike every named one is custom.")
    left.selectbox("Optimizer", list(train_form.OPTIMIZER_TITLES), key=WIDGETS["optimizer"],
                   format_func=train_form.OPTIMIZER_TITLES.get)
    middle.select_slider("Learning rate", options=train_form.LR_CHOICES, key=WIDGETS["lr"],
                         format_func=lambda lr: f"{lr:g}", help="Log scale; the lecture uses 0.001.")
    middle.slider("Epochs", *train_form.EPOCH_RANGE, step=1, key=WIDGETS["epochs"], help="The lecture trains 15.")
    right.select_slider("Batch size", options=train_form.BATCH_CHOICES, key=WIDGETS["batch_size"],
                        help="Images per step; the lecture uses 100.")
    right.number_input("Seed", min_value=0, step=1, key=WIDGETS["seed"],
                       help="Type an exact value: the same seed repeats a run exactly; the lecture's is 777.")
    right.selectbox("Augmentation", list(LEVELS), key=WIDGETS["augment"], format_func=LEVEL_TITLES.get,
                    help="Each training image gets its own random turn, slant, size and shift (and, when strong, "
                         "wobble and pen thickness), so the network also reads digits unlike MNIST's.")
    drawings = len(handwriting.stamp(handwriting.set_dir()))
    right.checkbox(f"Also learn my handwriting ({drawings} drawings)", key=WIDGETS["handwriting"], disabled=drawings == 0,
                   help="Fine-tune on MNIST plus the drawings you saved on the Draw page, each repeated so they make "
                        "about 2% of every epoch. Its score on your set is then not a fair test: it has seen them.")


def model_title(name: str) -> str:
    return "Custom (your design)" if name == CUSTOM else MODELS[name].title


def job_panel() -> None:
    """Live progress while a job runs (polled once a second); its result once it has ended."""
    registry = job_registry()
    snapshot = registry.snapshot()
    if snapshot.kind == "lr_find":  # ui/train/lr_finder.py shows it
        return
    if snapshot.kind == "sweep":  # the one job slot holds a sweep: its page shows it
        if snapshot.active:
            st.info(f"The sweep of {snapshot.title} is running; training can start once it ends.")
            page_links.link(page_links.SWEEPS)
        return
    if snapshot.active:
        st.subheader(f"Training {snapshot.title}")
        # outside the once-a-second fragment, so the button is not redrawn under the user's pointer
        st.button("Stop", key="train_stop", on_click=registry.stop,
                  help="Ends the run after the current batch; finished epochs stay saved.")
        train_live.controls(registry, snapshot)
        _live()
    elif snapshot.status != "idle":
        _result(snapshot)


@st.fragment(run_every=1.0)  # only ever drawn while a job runs, so an idle page never polls
def _live() -> None:
    registry = job_registry()
    snapshot = registry.snapshot()
    if not snapshot.active:
        st.rerun()  # it just ended: redraw the whole page once, which shows the result and stops polling
    if snapshot.status == "loading":
        st.info(f"Loading {DATASETS[snapshot.config.dataset].title} and building the model…")
    else:
        st.progress(_fraction(snapshot), text=_progress_text(snapshot))
    if snapshot.stopping:
        st.info("Stopping after the current batch…")
    _curves(snapshot)
    train_live.internals(snapshot)


def _fraction(snapshot: JobSnapshot) -> float:
    done = (snapshot.epoch - 1) * snapshot.batches + snapshot.batch if snapshot.epoch else 0
    return min(1.0, done / max(1, snapshot.epochs * snapshot.batches))


def _progress_text(snapshot: JobSnapshot) -> str:
    left = "estimating time left" if snapshot.eta is None else f"about {format_seconds(snapshot.eta)} left"
    return (f"Epoch {max(snapshot.epoch, 1)}/{snapshot.epochs} · batch {snapshot.batch}/{snapshot.batches} · "
            f"{left} · {format_seconds(snapshot.elapsed)} so far on {snapshot.device}")


def format_seconds(seconds: float) -> str:
    """12 s, 3 min 05 s, 1 h 02 min."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def _curves(snapshot: JobSnapshot) -> None:
    cost, accuracy = st.columns(2)
    cost.plotly_chart(charts.cost_figure(snapshot.history, snapshot.batch_costs, snapshot.batches, snapshot.epochs), key="train_cost")
    if snapshot.history:
        accuracy.metric("Test accuracy", f"{snapshot.test_accuracy:.2%}")
        accuracy.plotly_chart(charts.accuracy_figure(snapshot.history), key="train_accuracy")
    else:
        accuracy.caption("Test accuracy appears after the first epoch.")


def _result(snapshot: JobSnapshot) -> None:
    epochs = len(snapshot.history)
    if snapshot.status == "finished":
        st.success(f"{snapshot.title} finished: test accuracy {snapshot.test_accuracy:.2%} after {epochs} epoch{'s' if epochs > 1 else ''}.")
    elif snapshot.status == "stopped" and epochs:
        st.info(f"{snapshot.title} stopped; its {epochs} finished epoch(s) are saved.")
    elif snapshot.status == "stopped":
        st.info(f"{snapshot.title} stopped before its first epoch finished, so nothing was saved.")
    elif snapshot.status == "diverged":
        st.warning(snapshot.message)
    else:
        st.error(snapshot.message)
    if not epochs:
        return
    _curves(snapshot)
    train_live.internals(snapshot)
    st.write("Open this run on the other pages:")
    columns = st.columns(len(OTHER_PAGES) + 1)
    for column, (page, label) in zip(columns, OTHER_PAGES.items()):
        if column.button(label, key=f"train_open_{page.split('_')[-1].removesuffix('.py').lower()}"):
            choose_run(snapshot.run_name)
            st.switch_page(page)
    with columns[-1]:
        page_links.link(page_links.RUNS, "Compare it on Runs")
