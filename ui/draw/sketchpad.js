// The Draw page's canvas: white strokes on black, with Undo and Clear beside it, never over it.
//
// A Streamlit Components v2 module. Streamlit calls the default export on mount and again
// whenever the Python side passes new `data` ({side, strokeWidth, labels: {undo, clear}}, the
// buttons' words in the page's language); the drawing lives in a WeakMap keyed by the mount
// point, so reruns keep it. After every stroke, Undo and Clear it
// sends the canvas as a PNG data URL (state "drawing"; null when nothing is drawn) at once:
// no debounce, so the prediction follows the mouse-up as fast as the server answers.
const pads = new WeakMap();

function build(root) {
  const box = document.createElement("div");
  box.className = "sketchpad";
  const canvas = document.createElement("canvas");
  canvas.className = "sketchpad-surface";
  const tools = document.createElement("div");
  tools.className = "sketchpad-tools";
  const undo = button("Undo", "sketchpad-undo");
  const clear = button("Clear", "sketchpad-clear");
  tools.append(undo, clear);
  box.append(canvas, tools);
  root.appendChild(box);
  return { box, canvas, context: canvas.getContext("2d"), undo, clear, strokes: [], current: null, data: null, send: null };
}

function button(label, className) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  relabel(element, label);
  return element;
}

function relabel(element, label) {
  if (!label || element.textContent === label) return;
  element.textContent = label;
  element.setAttribute("aria-label", label);
}

function paint(pad) {
  const { context, canvas } = pad;
  context.fillStyle = "#000000";  // opaque black, like MNIST's background: ink is in RGB
  context.fillRect(0, 0, canvas.width, canvas.height);
  for (const stroke of pad.strokes) trace(context, stroke, 0);
  pad.undo.disabled = pad.clear.disabled = pad.strokes.length === 0;
}

// Draws `stroke` from point `from` on: a dot for a single point, else round-joined segments.
function trace(context, stroke, from) {
  const points = stroke.points;
  context.strokeStyle = context.fillStyle = "#ffffff";
  context.lineWidth = stroke.width;
  context.lineCap = context.lineJoin = "round";
  if (points.length === 1) {
    context.beginPath();
    context.arc(points[0][0], points[0][1], stroke.width / 2, 0, 2 * Math.PI);
    context.fill();
    return;
  }
  context.beginPath();
  context.moveTo(...points[Math.max(from - 1, 0)]);
  for (let i = Math.max(from, 1); i < points.length; i++) context.lineTo(...points[i]);
  context.stroke();
}

function point(pad, event) {
  const rect = pad.canvas.getBoundingClientRect();
  return [event.clientX - rect.left, event.clientY - rect.top];
}

function publish(pad) {
  pad.send("drawing", pad.strokes.length ? pad.canvas.toDataURL("image/png") : null);
}

function listen(pad) {
  const { canvas } = pad;
  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);  // a stroke that leaves the canvas still ends here
    pad.current = { width: pad.data.strokeWidth, points: [point(pad, event)] };
    pad.strokes.push(pad.current);
    trace(pad.context, pad.current, 0);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!pad.current) return;
    pad.current.points.push(point(pad, event));
    trace(pad.context, pad.current, pad.current.points.length - 1);
  });
  const finish = () => {
    if (!pad.current) return;
    pad.current = null;
    paint(pad);
    publish(pad);
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  pad.undo.addEventListener("click", () => { pad.strokes.pop(); paint(pad); publish(pad); });
  pad.clear.addEventListener("click", () => { pad.strokes = []; paint(pad); publish(pad); });
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let pad = pads.get(parentElement);
  if (!pad) {
    pad = build(parentElement);
    pads.set(parentElement, pad);
    listen(pad);
  }
  pad.data = data;
  pad.send = setStateValue;
  relabel(pad.undo, data.labels?.undo);
  relabel(pad.clear, data.labels?.clear);
  if (pad.canvas.width !== data.side) {
    pad.canvas.width = pad.canvas.height = data.side;
    pad.canvas.style.width = pad.canvas.style.height = `${data.side}px`;
  }
  paint(pad);
  return () => { pad.box.remove(); pads.delete(parentElement); };
}
