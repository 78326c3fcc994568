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
from ui.i18n import N_, _, ngettext, titled
from ui.train.form import WIDGETS

OTHER_PAGES = {page_links.MISTAKES: N_("Study its mistakes"), page_links.DRAW: N_("Test it on your drawing")}


def hyperparameter_form() -> None:
    """Preset picker and one widget per hyperparameter, all keyed by train_form.WIDGETS."""
    state = st.session_state
    st.selectbox(
        _("Preset"), list(PRESETS), key=train_form.PRESET_KEY, format_func=titled(PRESET_TITLES),
        on_change=train_form.apply_preset, args=(state,), help=_("Fills every setting below."),
    )
    left, middle, right = st.columns(3)
    left.selectbox(_("Dataset"), list(DATASETS), key=WIDGETS["dataset"], format_func=lambda name: DATASETS[name].title,
                   help=_("MNIST's handwritten digits, or Fashion-MNIST's clothing images: same size, harder to tell apart."))
    left.selectbox(_("Model"), [*MODELS, CUSTOM], key=WIDGETS["model"], format_func=titled(model_titles()),
                   on_change=train_form.apply_model, args=(state,),
                   help=_("Fills the network designer below; a design unlike every named one is custom."))
    left.selectbox(_("Optimizer"), list(train_form.OPTIMIZER_TITLES), key=WIDGETS["optimizer"],
                   format_func=titled(train_form.OPTIMIZER_TITLES))
    middle.select_slider(_("Learning rate"), options=train_form.LR_CHOICES, key=WIDGETS["lr"],
                         format_func=lambda lr: f"{lr:g}", help=_("Log scale; the lecture uses 0.001."))
    middle.slider(_("Epochs"), *train_form.EPOCH_RANGE, step=1, key=WIDGETS["epochs"], help=_("The lecture trains 15."))
    right.select_slider(_("Batch size"), options=train_form.BATCH_CHOICES, key=WIDGETS["batch_size"],
                        help=_("Images per step; the lecture uses 100."))
    right.number_input(_("Seed"), min_value=0, step=1, key=WIDGETS["seed"],
                       help=_("Type an exact value: the same seed repeats a run exactly; the lecture's is 777."))
    right.selectbox(_("Augmentation"), list(LEVELS), key=WIDGETS["augment"], format_func=titled(LEVEL_TITLES),
                    help=_("Each training image gets its own random turn, slant, size and shift (and, when strong, "
                           "wobble and pen thickness), so the network also reads digits unlike MNIST's."))
    drawings = len(handwriting.stamp(handwriting.set_dir()))
    right.checkbox(ngettext("Also learn my handwriting ({count} drawing)", "Also learn my handwriting ({count} drawings)",
                            drawings).format(count=drawings), key=WIDGETS["handwriting"], disabled=drawings == 0,
                   help=_("Fine-tune on MNIST plus the drawings you saved on the Draw page, each repeated so they make "
                          "about 2% of every epoch. Its score on your set is then not a fair test: it has seen them."))


def model_titles() -> dict[str, str]:
    """The Model box's choices -> their titles (translated where drawn)."""
    return {**{name: info.title for name, info in MODELS.items()}, CUSTOM: N_("Custom (your design)")}


def run_title(snapshot: JobSnapshot) -> str:
    """A training job's name as messages give it, e.g. 'cnn-20260101-120000 (cnn)' (JobSnapshot.title, translated)."""
    model = snapshot.config.model if snapshot.config else "?"
    if snapshot.run_name is None:
        return _("a new run ({model})").format(model=model)
    return f"{snapshot.run_name} ({model})"


def job_panel() -> None:
    """Live progress while a job runs (polled once a second); its result once it has ended."""
    registry = job_registry()
    snapshot = registry.snapshot()
    if snapshot.kind == "lr_find":  # ui/train/lr_finder.py shows it
        return
    if snapshot.kind == "sweep":  # the one job slot holds a sweep: its page shows it
        if snapshot.active:
            st.info(_("The sweep of study {study} is running; training can start once it ends.").format(study=snapshot.study))
            page_links.link(page_links.SWEEPS)
        return
    if snapshot.active:
        st.subheader(_("Training {run}").format(run=run_title(snapshot)))
        # outside the once-a-second fragment, so the button is not redrawn under the user's pointer
        st.button(_("Stop"), key="train_stop", on_click=registry.stop,
                  help=_("Ends the run after the current batch; finished epochs stay saved."))
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
        st.info(_("Loading {dataset} and building the model…").format(dataset=DATASETS[snapshot.config.dataset].title))
    else:
        st.progress(_fraction(snapshot), text=_progress_text(snapshot))
    if snapshot.stopping:
        st.info(_("Stopping after the current batch…"))
    _curves(snapshot)
    train_live.internals(snapshot)


def _fraction(snapshot: JobSnapshot) -> float:
    done = (snapshot.epoch - 1) * snapshot.batches + snapshot.batch if snapshot.epoch else 0
    return min(1.0, done / max(1, snapshot.epochs * snapshot.batches))


def _progress_text(snapshot: JobSnapshot) -> str:
    numbers = dict(epoch=max(snapshot.epoch, 1), epochs=snapshot.epochs, batch=snapshot.batch, batches=snapshot.batches,
                   elapsed=format_seconds(snapshot.elapsed), device=snapshot.device)
    if snapshot.eta is None:
        return _("Epoch {epoch}/{epochs} · batch {batch}/{batches} · estimating time left · "
                 "{elapsed} so far on {device}").format(**numbers)
    return _("Epoch {epoch}/{epochs} · batch {batch}/{batches} · about {left} left · "
             "{elapsed} so far on {device}").format(left=format_seconds(snapshot.eta), **numbers)


def format_seconds(seconds: float) -> str:
    """12 s, 3 min 05 s, 1 h 02 min."""
    seconds = int(round(seconds))
    if seconds < 60:
        return _("{seconds} s").format(seconds=seconds)
    if seconds < 3600:
        return _("{minutes} min {seconds:02d} s").format(minutes=seconds // 60, seconds=seconds % 60)
    return _("{hours} h {minutes:02d} min").format(hours=seconds // 3600, minutes=seconds % 3600 // 60)


def _curves(snapshot: JobSnapshot) -> None:
    cost, accuracy = st.columns(2)
    cost.plotly_chart(charts.cost_figure(snapshot.history, snapshot.batch_costs, snapshot.batches, snapshot.epochs), key="train_cost")
    if snapshot.history:
        accuracy.metric(_("Test accuracy"), f"{snapshot.test_accuracy:.2%}")
        accuracy.plotly_chart(charts.accuracy_figure(snapshot.history), key="train_accuracy")
    else:
        accuracy.caption(_("Test accuracy appears after the first epoch."))


def _result(snapshot: JobSnapshot) -> None:
    epochs = len(snapshot.history)
    title = run_title(snapshot)
    if snapshot.status == "finished":
        st.success(ngettext("{run} finished: test accuracy {accuracy:.2%} after {epochs} epoch.",
                            "{run} finished: test accuracy {accuracy:.2%} after {epochs} epochs.", epochs)
                   .format(run=title, accuracy=snapshot.test_accuracy, epochs=epochs))
    elif snapshot.status == "stopped" and epochs:
        st.info(ngettext("{run} stopped; its {epochs} finished epoch is saved.",
                         "{run} stopped; its {epochs} finished epochs are saved.", epochs).format(run=title, epochs=epochs))
    elif snapshot.status == "stopped":
        st.info(_("{run} stopped before its first epoch finished, so nothing was saved.").format(run=title))
    elif snapshot.status == "diverged":
        st.warning(snapshot.message)  # core's words (the CLI prints them too): English
    else:
        st.error(snapshot.message)
    if not epochs:
        return
    _curves(snapshot)
    train_live.internals(snapshot)
    st.write(_("Open this run on the other pages:"))
    columns = st.columns(len(OTHER_PAGES) + 1)
    for column, (page, label) in zip(columns, OTHER_PAGES.items()):
        if column.button(_(label), key=f"train_open_{page.split('_')[-1].removesuffix('.py').lower()}"):
            choose_run(snapshot.run_name)
            st.switch_page(page)
    with columns[-1]:
        page_links.link(page_links.RUNS, _("Compare it on Runs"))
