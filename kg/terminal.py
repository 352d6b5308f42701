"""Text from the inputs made safe for a terminal: no escape sequences, no control characters."""

import json
import re
from typing import Any

__all__ = ["printable", "printable_json", "without_escapes"]

# Terminal escape sequences, whole: CSI (colours, cursor moves), OSC (window titles, links)
# and the DCS/SOS/PM/APC strings up to their terminator, then any other ESC + one byte.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
# What is left of C0 (but tab and newline), DEL and C1.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The same but NUL (a reader rejects a record holding it) and whitespace (a reader collapses it).
_CONTROLS_IN_TEXT = re.compile(r"[\x01-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# Characters json.dumps(ensure_ascii=False) leaves raw: DEL and C1 (C0 it escapes).
_JSON_RAW = re.compile(r"[\x7f-\x9f]")


def printable(text: str) -> str:
    r"""Return ``text`` without terminal escape sequences and control characters.

    Tabs and newlines stay. Run on every piece of input text kg prints (titles, names,
    warnings quoting a record), so a fetched title cannot colour, move or retitle the
    terminal.

    >>> printable("\x1b[31mRed\x1b[0m title\x07")
    'Red title'
    >>> printable("tab\tand\nnewline\r")
    'tab\tand\nnewline'
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def without_escapes(text: str) -> str:
    r"""Return input text without terminal escapes and control characters, for storing.

    Readers run it on titles and abstracts, so ``on \x1b[31mRedNet`` is read as ``on RedNet``
    (not the entity ``31mRedNet``). NUL stays, for the reader to reject the record;
    whitespace stays, for the reader to collapse.

    >>> without_escapes("on \x1b[31mRedNet\x1b[0m\x07 and\tmore\x00")
    'on RedNet and\tmore\x00'
    """
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPES.sub("", text)
    return _CONTROLS_IN_TEXT.sub("", text)


def printable_json(value: Any, **options: Any) -> str:
    r"""``json.dumps(value, ensure_ascii=False)`` with DEL and C1 characters escaped too.

    The JSON means the same (they can only occur inside strings), and holds no byte a
    terminal would act on.

    >>> printable_json({"title": "a\x1b[31m\x9b"})
    '{"title": "a\\u001b[31m\\u009b"}'
    """
    text = json.dumps(value, ensure_ascii=False, **options)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
