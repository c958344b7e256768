"""Small wording helpers shared by everything that writes to a person (the app, the commands,
the exports). Plain Python: no Rich, no Textual."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` with ``noun`` in the singular or plural: ``plural(1, "word")`` is ``"1 word"``,
    ``plural(0, "word")`` is ``"0 words"``. ``many`` is the plural where it is not ``noun + "s"``
    (``plural(2, "story", "stories")``)."""
    return f"{n} {noun if n == 1 else (many or noun + 's')}"

