"""Shape and text rules every request input passes before any handler logic runs.

Decoded JSON bodies, path parameters and query parameters are all client text. Two rules hold
for all of them, on SQLite and PostgreSQL alike:

- no NUL character (U+0000): PostgreSQL cannot store it in a text column, so a NUL that reached
  a query failed the whole transaction (and, with group commit, other clients' creates in it);
- JSON bodies nest at most ``MAX_JSON_DEPTH`` levels: orjson refuses to render more than 254,
  so a deeper body was stored and then failed every response that echoed it.

``text_problems`` lists every NUL it finds, naming the field by its path (``recipient.name``,
``courierCode[1]``), so that a bulk request can answer per item.
"""

from __future__ import annotations

from typing import Any

#: Deepest JSON nesting accepted; the deepest documented body (a bulk request wrapped in
#: ``{"trackers": [...]}`` with a ``recipient``) nests 4 levels.
MAX_JSON_DEPTH = 32

_NUL = "\x00"


def _show(name: str) -> str:
    return name.replace(_NUL, "\\u0000")


def nul_message(field: str) -> str:
    return (
        f"{_show(field)} contains a NUL character (\\u0000), which shiptrack does not accept in "
        "any text; remove it."
    )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def text_problems(value: Any, path: str = "") -> list[str]:
    """A message for every string (object keys included) holding a NUL, naming its path."""
    problems: list[str] = []
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if _NUL in item:
                problems.append(nul_message(where or "The body"))
        elif isinstance(item, dict):
            for key, child in item.items():
                name = _join(where, key)
                if _NUL in key:
                    problems.append(nul_message(f"The key '{name}'"))
                stack.append((name, child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{n}]", child) for n, child in enumerate(item))
    problems.sort()
    return problems


def depth(value: Any) -> int:
    """How deeply ``value`` nests (a scalar is 0, ``[]`` and ``{}`` are 1), without recursion."""
    deepest = 0
    stack: list[tuple[int, Any]] = [(0, value)]
    while stack:
        level, item = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        if level > deepest:
            deepest = level
            if deepest > MAX_JSON_DEPTH:
                return deepest
        stack.extend((level, child) for child in children)
    return deepest
