"""The Mistakes filters read "any" in a real browser (it shows a None choice as the placeholder, which AppTest cannot see)."""
import pytest

from tests.e2e.streamlit_dom import assert_no_exception, choose_option, keyed, open_page, poll

pytestmark = pytest.mark.e2e
FILTERS = ("mistakes_true", "mistakes_predicted")


def shown_choice(page, key: str) -> str:
    box = keyed(page, key).get_by_role("combobox")
    return box.input_value() or box.get_attribute("placeholder")


def test_mistake_filters_say_any_until_a_digit_is_chosen(server, page, draw_run):
    open_page(page, f"{server}/Mistakes", ".st-key-mistakes_true")
    assert [shown_choice(page, key) for key in FILTERS] == ["any", "any"]
    choose_option(page, "mistakes_true", "3")
    poll(lambda: shown_choice(page, "mistakes_true"), lambda shown: shown == "3")
    assert shown_choice(page, "mistakes_predicted") == "any"
    assert_no_exception(page)
