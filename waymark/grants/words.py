"""Counting words the way the form's live counter does, so the page and the limit agree.

A word is a run of characters between spaces; Urdu, Polish and Bengali are spaced the same way. The counter in
the browser (``static/js/word_count.js``) counts with the same rule, and without JavaScript the page counts
on each save.
"""

import re

_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    return len(_WORD.findall(text or ""))
