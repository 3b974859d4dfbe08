"""Yes/no questions that take the answer in French or English: o, oui, y, yes / n, non, no."""

from __future__ import annotations

from collections.abc import Callable

from newsletter.i18n import _

YES = frozenset({"o", "oui", "y", "yes"})
NO = frozenset({"n", "non", "no"})


def parse_answer(answer: str, *, default: bool) -> bool | None:
    """True, False, or None when the answer is neither (an empty answer is the default)."""
    word = answer.strip().lower()
    if not word:
        return default
    if word in YES:
        return True
    if word in NO:
        return False
    return None


def ask_yes_no(question: str, *, default: bool, read: Callable[[str], str], say: Callable[[str], None]) -> bool:
    """Ask until the answer is yes or no; the choices show as `[o/N]` in French, `[y/N]` in English.

    `read` prints the prompt and returns the line typed (it raises at the end of input); `say`
    prints the reminder after an answer that is neither.
    """
    choices = _("[y/N]") if not default else _("[Y/n]")
    while True:
        answer = parse_answer(read(f"{question} {choices} "), default=default)
        if answer is not None:
            return answer
        say(_("Please answer y (yes) or n (no)."))
