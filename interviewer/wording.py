"""Small wording helpers shared by everything that writes to a person (the app, the commands,
the exports). Plain Python: no Rich, no Textual."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` with ``noun`` in the singular or plural: ``plural(1, "word")`` is ``"1 word"``,
    ``plural(0, "word")`` is ``"0 words"``. ``many`` is the plural where it is not ``noun + "s"``
    (``plural(2, "story", "stories")``)."""
    return f"{n} {noun if n == 1 else (many or noun + 's')}"



def middle_ellipsis(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters (``width`` >= 5): whole when it fits, else its
    start and end around a "…", so ids that share a start or an end stay told apart
    (``stories#q-tell-me…-made-alone``)."""
    if len(text) <= width:
        return text
    keep = width - 1
    head = (keep + 1) // 2
    return text[:head] + "…" + text[len(text) - (keep - head):]
