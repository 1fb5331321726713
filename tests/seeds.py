"""The seed documents, as tests read them."""

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def seed_path(prefix):
    """The seed document whose name starts with `prefix` (e.g. "003")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def seed_text(prefix):
    return seed_path(prefix).read_text(encoding="utf-8")
