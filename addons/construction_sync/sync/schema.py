"""A small validator for the subset of JSON Schema (draft 2020-12) that event payload schemas use.

Odoo 18 brings no JSON Schema library and the addon adds no dependency, so this covers exactly the
keywords listed in SUPPORTED; a schema using anything else is refused when its handler registers,
so a typo never turns into a silently ignored rule. The same schema dicts are published in
/construction_sync/openapi.json, so what clients read is what the server enforces.
"""

import re
from datetime import date, datetime, timezone

SUPPORTED = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
    "minItems", "maxItems", "format", "description", "examples", "title",
}

_TYPE_CHECKS = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _is_date(value):
    try:
        date.fromisoformat(value)
        return len(value) == 10
    except ValueError:
        return False


def parse_iso_datetime(value):
    """ISO 8601 date-time with an offset or Z, as an aware datetime; None when not one. The
    result may lie outside what a datetime holds once converted to UTC (9999-12-31T23:00-05:00):
    see to_utc."""
    if not isinstance(value, str) or "T" not in value.upper():
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def to_utc(moment):
    """An aware datetime as the naive UTC datetime Odoo stores; None when UTC is out of
    datetime's range (years 1 to 9999), which fromisoformat does not check."""
    try:
        return moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None


def parse_datetime(value):
    """ISO 8601 date-time with an offset or Z that has a UTC equivalent, as an aware datetime;
    None when not one. This is the "date-time" format of payload schemas, so handlers may convert
    what it accepted to UTC without overflowing."""
    parsed = parse_iso_datetime(value)
    if parsed is None or to_utc(parsed) is None:
        return None
    return parsed


_FORMATS = {
    "date": _is_date,
    "date-time": lambda v: parse_datetime(v) is not None,
    "email": lambda v: re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v) is not None,
    "currency": lambda v: re.fullmatch(r"[A-Z]{3}", v) is not None,
}


def check_schema(schema, path="#"):
    """Raises ValueError when a schema uses a keyword or format this validator does not enforce."""
    unknown = set(schema) - SUPPORTED
    if unknown:
        raise ValueError("%s: unsupported schema keywords %s" % (path, sorted(unknown)))
    if "format" in schema and schema["format"] not in _FORMATS:
        raise ValueError("%s: unsupported format %r" % (path, schema["format"]))
    for name, sub in schema.get("properties", {}).items():
        check_schema(sub, "%s/properties/%s" % (path, name))
    if isinstance(schema.get("items"), dict):
        check_schema(schema["items"], path + "/items")


def _describe(path):
    return path or "(root)"


def validate(value, schema, path=""):
    """All violations of `schema` by `value`, as [{"field": "lines[0].amount", "message": ...}]."""
    errors = []

    def fail(message):
        errors.append({"field": _describe(path), "message": message})

    types = schema.get("type")
    if types:
        types = [types] if isinstance(types, str) else types
        if not any(_TYPE_CHECKS[t](value) for t in types):
            fail("must be %s" % " or ".join(types))
            return errors
    if "const" in schema and value != schema["const"]:
        fail("must be %r" % (schema["const"],))
    if "enum" in schema and value not in schema["enum"]:
        fail("must be one of %s" % ", ".join(repr(v) for v in schema["enum"]))
    if isinstance(value, str):
        _validate_string(value, schema, fail)
    if _TYPE_CHECKS["number"](value):
        _validate_number(value, schema, fail)
    if isinstance(value, dict):
        errors.extend(_validate_object(value, schema, path))
    if isinstance(value, list):
        _validate_array_size(value, schema, fail)
        if isinstance(schema.get("items"), dict):
            for index, item in enumerate(value):
                errors.extend(validate(item, schema["items"], "%s[%d]" % (path, index)))
    return errors


def _validate_string(value, schema, fail):
    if "minLength" in schema and len(value) < schema["minLength"]:
        fail("must not be empty" if schema["minLength"] == 1
             else "must be at least %d characters" % schema["minLength"])
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        fail("must be at most %d characters" % schema["maxLength"])
    if "pattern" in schema and not re.search(schema["pattern"], value):
        fail("must match %s" % schema["pattern"])
    if "format" in schema and not _FORMATS[schema["format"]](value):
        fail("must be a valid %s" % schema["format"])


def _validate_number(value, schema, fail):
    if "minimum" in schema and value < schema["minimum"]:
        fail("must be at least %s" % schema["minimum"])
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        fail("must be greater than %s" % schema["exclusiveMinimum"])
    if "maximum" in schema and value > schema["maximum"]:
        fail("must be at most %s" % schema["maximum"])


def _validate_object(value, schema, path):
    """The violations of an object's required fields, its properties and additionalProperties."""
    errors = []
    for name in schema.get("required", []):
        if name not in value:
            errors.append({"field": _join(path, name), "message": "is required"})
    properties = schema.get("properties", {})
    for name, item in value.items():
        if name in properties:
            errors.extend(validate(item, properties[name], _join(path, name)))
        elif schema.get("additionalProperties") is False:
            errors.append({"field": _join(path, name), "message": "is not an allowed field"})
    return errors


def _validate_array_size(value, schema, fail):
    if "minItems" in schema and len(value) < schema["minItems"]:
        fail("must hold at least %d item(s)" % schema["minItems"])
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        fail("must hold at most %d items" % schema["maxItems"])


def _join(path, name):
    return "%s.%s" % (path, name) if path else name
