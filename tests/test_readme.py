"""README is the landing page: its pictures exist, one per page, each under 500 KB; its links resolve;
its quick-start commands are ones dev.sh runs."""
from __future__ import annotations

import re
from pathlib import Path

from ui.page_links import PAGES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_one_screenshot_per_page_each_under_500_kb():
    pictures = re.findall(r"!\[[^\]]*\]\((docs/images/[^)]+\.png)\)", README)
    names = {Path(picture).stem for picture in pictures}
    assert {title.lower() for title, _, _ in PAGES.values()} <= names
    for picture in pictures:
        assert (ROOT / picture).stat().st_size < 500_000, picture


def test_every_relative_link_resolves():
    for target in re.findall(r"\]\((?!https?://)([^)#]+)\)", README):
        assert (ROOT / target).exists(), target
    for doc in (ROOT / "docs").glob("*.md"):
        for target in re.findall(r"\]\((?!https?://)([^)#]+)\)", doc.read_text()):
            assert (doc.parent / target).exists(), (doc.name, target)


def test_the_quick_start_commands_are_dev_sh_commands():
    dev = (ROOT / "dev.sh").read_text()
    for command in ("app", "test", "screenshots"):
        assert f"./dev.sh {command}" in README and f"\n  {command})\n" in dev, command
