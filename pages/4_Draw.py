"""Draw: write a digit with the mouse and watch a saved run read it, live."""
import streamlit as st

from core.checkpoints import CheckpointError
from core.evaluate import predict_digit
from core.preprocess import canvas_to_tensor, drawing_problem
from ui import canvas, inside_state, page_links, resources
from ui.pixels import enlarge
from ui.probability_chart import probability_figure
from ui.run_picker import pick_run

page_links.configure(page_links.DRAW)
st.title("Draw a digit")
st.session_state.setdefault("draw_canvas_version", 0)


def clear_canvas() -> None:
    # a new key mounts a fresh, empty canvas
    st.session_state["draw_canvas_version"] += 1


run = pick_run("draw")
if run is None:
    st.stop()
try:
    model = resources.model(str(run.path), resources.weights_stamp(run.path))
except CheckpointError as error:
    st.error(f"{error} Pick another run, or delete this one on the Runs page.")
    st.stop()

draw_column, seen_column, answer_column = st.columns([3, 2, 3])
with draw_column:
    stroke_width = st.slider("Stroke width", 8, 40, 20, key="draw_stroke_width")
    rgba = canvas.draw_canvas(stroke_width, key=f"draw_canvas_{st.session_state['draw_canvas_version']}")
    st.button("Clear", key="draw_clear", on_click=clear_canvas, icon=":material/delete:")
    st.caption("White ink on black, like MNIST. Draw one digit, large, in the middle.")

problem = drawing_problem(rgba)
if problem is not None:
    st.session_state["drawing_28x28"] = None
    answer_column.info(problem)
    st.stop()

image = canvas_to_tensor(rgba)  # (1,1,28,28), what the model sees
st.session_state["drawing_28x28"] = image[0, 0].numpy()  # the Map page places it on the map
probabilities = predict_digit(model, image)  # (10,)
with seen_column:
    st.image(enlarge(image, 10), output_format="PNG", caption="What the model sees: 28x28, cropped, fitted to 20x20, centred by mass")
with answer_column:
    st.metric("Prediction", int(probabilities.argmax()))
    st.caption(f"{float(probabilities.max()):.0%} sure")
    st.plotly_chart(probability_figure(probabilities), key="draw_probabilities")
    page_links.link(page_links.INSIDE, "Look inside", inside_state.links_to_drawing(run.name, image))
    page_links.link(page_links.MAP, "See where it lands on the map")
