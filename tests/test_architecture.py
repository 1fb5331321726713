"""docs/architecture.md names modules, classes and functions by their dotted paths: each
must exist, so that the page stays true when code is renamed or moved."""

import importlib
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
# `module.path` or `module.path.Class.function` in backticks (file paths have slashes).
DOTTED = re.compile(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)`")


def named():
    return sorted(set(DOTTED.findall(PAGE.read_text())))


def resolved(dotted):
    """The module, or the module's attribute, a dotted path names; raises if none."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        module = ".".join(parts[:split])
        try:
            found = importlib.import_module(module)
        except ModuleNotFoundError as error:
            if not f"{module}.".startswith(f"{error.name}."):
                raise  # the module exists, and fails to import something else
            continue
        for attribute in parts[split:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(dotted)


def test_the_page_names_code():
    assert len(named()) > 30


@pytest.mark.parametrize("dotted", named())
def test_each_name_in_the_page_exists(dotted):
    resolved(dotted)
