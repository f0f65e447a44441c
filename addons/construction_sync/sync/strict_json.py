"""JSON as senders and PostgreSQL can agree on it.

Python's json module accepts documents that other parsers read differently or that cannot be
stored: duplicate keys (last wins here, first wins elsewhere), NaN / Infinity literals, numbers
that overflow to infinity (1e999), lone UTF-16 surrogates (\\ud800) and NUL characters (\\u0000,
refused by PostgreSQL's text type), and nesting deep enough to exhaust the recursion limit.
`loads` parses leniently and marks each such value; `problems` lists them with their JSON path,
so a batch can refuse only the event that holds one.
"""

import json
import math

# Deeper than any event payload needs; deep enough documents otherwise exhaust the recursion of
# the schema validator and of json.dumps when the event is stored.
MAX_DEPTH = 64


class Malformed:
    """Stands in the parsed document where a value was not acceptable JSON; `literal` is the text
    the sender wrote, so that `dumps` can show it back."""

    __slots__ = ("reason", "literal")

    def __init__(self, reason, literal=None):
        self.reason = reason
        self.literal = literal

    def __repr__(self):
        return "Malformed(%r)" % self.reason


class DuplicateKeys(dict):
    """An object that named a key more than once (the first value is kept; `pairs` holds them
    all, as sent, for display only)."""

    __slots__ = ("duplicates", "pairs")


class TooDeep(ValueError):
    pass


def _pairs(pairs):
    result = {}
    duplicates = []
    for key, value in pairs:
        if key in result:
            duplicates.append(key)
            continue
        result[key] = value
    if duplicates:
        marked = DuplicateKeys(result)
        marked.duplicates = duplicates
        marked.pairs = pairs
        return marked
    return result


def _float(text):
    value = float(text)
    if math.isinf(value):
        return Malformed("the number %s is too large" % (text if len(text) <= 40 else text[:40] + "..."), text)
    return value


def _constant(name):
    return Malformed("%s is not a JSON number" % name, name)


def loads(body):
    """Parses bytes or text; raises ValueError (with a sentence) when the body is not JSON at all
    or nests deeper than MAX_DEPTH. Unacceptable values inside come back as Malformed markers."""
    if isinstance(body, bytes):
        # Raw lone surrogates and other invalid UTF-8 are refused here, with the byte offset.
        body = body.decode("utf-8")
    try:
        document = json.loads(body, object_pairs_hook=_pairs, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise TooDeep("the document nests deeper than %d levels" % MAX_DEPTH) from None
    if depth(document) > MAX_DEPTH:
        raise TooDeep("the document nests deeper than %d levels" % MAX_DEPTH)
    return document


def depth(document):
    """Nesting depth of containers, without recursion."""
    deepest = 0
    stack = [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            deepest = max(deepest, level)
            stack.extend((item, level + 1) for item in value.values())
        elif isinstance(value, list):
            deepest = max(deepest, level)
            stack.extend((item, level + 1) for item in value)
    return deepest


def _string_problem(text):
    if "\x00" in text:
        return "contains a NUL character (\\u0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone UTF-16 surrogate (e.g. \\ud800), which is not a character"
    return None


def problems(document, path="", skip=None):
    """[{"field": json path, "message": ...}] for every unacceptable value in `document`, in
    document order; [] when it is clean. `skip` names a key of the top object whose value is not
    looked into (a batch checks its events one by one)."""
    found = []
    stack = [(document, path or "(root)")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, Malformed):
            found.append({"field": where, "message": value.reason})
        elif isinstance(value, str):
            problem = _string_problem(value)
            if problem:
                found.append({"field": where, "message": problem})
        elif isinstance(value, dict):
            if isinstance(value, DuplicateKeys):
                found.append({"field": where, "message": "names the key(s) %s more than once"
                              % ", ".join(sorted({json.dumps(k, ensure_ascii=True) for k in value.duplicates}))})
            prefix = "" if where == "(root)" else where + "."
            for key, item in reversed(list(value.items())):
                problem = _string_problem(key)
                if problem:
                    found.append({"field": where, "message": "a key " + problem})
                    continue
                if value is document and key == skip:
                    continue
                stack.append((item, prefix + key))
        elif isinstance(value, list):
            for index in reversed(range(len(value))):
                stack.append((value[index], "%s[%d]" % ("" if where == "(root)" else where, index)))
    return found


def storable(text):
    """`text` with NUL characters and lone surrogates written as JSON escapes (\\u0000, \\ud800):
    PostgreSQL's text type refuses the first, UTF-8 cannot encode the second. Clean text comes
    back unchanged."""
    if not isinstance(text, str) or not _string_problem(text):
        return text
    return text.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")


def dumps(document):
    """The document as compact JSON text that can be stored and shown, faithful to what the
    sender wrote even where it is not acceptable: Malformed values as their literal (NaN, 1e999),
    every pair of an object that repeats a key, strings with NUL or lone surrogates escaped.
    Documents come from `loads`, so they nest at most MAX_DEPTH levels."""
    if isinstance(document, Malformed):
        return document.literal or "null"
    if isinstance(document, str):
        return json.dumps(document, ensure_ascii=bool(_string_problem(document)))
    if isinstance(document, dict):
        pairs = document.pairs if isinstance(document, DuplicateKeys) else document.items()
        return "{%s}" % ",".join("%s:%s" % (dumps(key), dumps(value)) for key, value in pairs)
    if isinstance(document, list):
        return "[%s]" % ",".join(dumps(item) for item in document)
    return json.dumps(document)
