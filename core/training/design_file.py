"""A design given on the command line: its text form, or a JSON file holding its data form.

    design_argument("c32-max,c64-max,fc10")
    design_argument("my_net.json")   # {"blocks": [...], ...}, or a run.json (its config's design)
"""
from __future__ import annotations

import json
from pathlib import Path

from core.training.design import Design, DesignError
from core.training.design_text import parse


def design_argument(argument: str) -> Design:
    """The design `argument` names; DesignError with a sentence when it is neither a design nor a readable file."""
    if not argument.strip().lower().endswith(".json"):
        return parse(argument)
    path = Path(argument).expanduser()
    try:
        values = json.loads(path.read_text())
    except OSError as error:
        raise DesignError(f"cannot read the design file {argument} ({error.strerror or error}).") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DesignError(f"{argument} is not valid JSON ({error}).") from error
    if isinstance(values, dict) and isinstance(values.get("config"), dict) and "design" in values["config"]:
        values = values["config"]["design"]  # a run.json: take its design
    return Design.from_dict(values)
