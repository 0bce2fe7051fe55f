"""URL-encoded forms parsed with the "extended" syntax Express uses (``qs``).

``a=1&b[c]=2&d[]=x&d[]=y`` -> ``{"a": "1", "b": {"c": "2"}, "d": ["x", "y"]}``.
"""

import re
from typing import Any
from urllib.parse import parse_qsl

_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_MAX_DEPTH = 5


def parse_form(body: bytes) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        _assign(result, _path(key), value)
    return result


def _path(key: str) -> list[str]:
    head, bracket, _rest = key.partition("[")
    if not bracket or not head:
        return [key]
    segments = _SEGMENT.findall(key[len(head) :])
    return [head, *segments[:_MAX_DEPTH]]


def _assign(target: dict[str, Any], path: list[str], value: str) -> None:
    node: Any = target
    for index, segment in enumerate(path):
        last = index == len(path) - 1
        following = None if last else path[index + 1]
        if isinstance(node, list):
            if last:
                node.append(value)
                return
            child: Any = [] if following == "" else {}
            node.append(child)
            node = child
            continue
        if last:
            _set_or_extend(node, segment, value)
            return
        default: Any = [] if following == "" else {}
        existing = node.get(segment)
        if not isinstance(existing, dict | list):
            node[segment] = existing = default
        node = existing


def _set_or_extend(node: dict[str, Any], key: str, value: str) -> None:
    if key not in node:
        node[key] = value
    elif isinstance(node[key], list):
        node[key].append(value)
    else:
        node[key] = [node[key], value]
