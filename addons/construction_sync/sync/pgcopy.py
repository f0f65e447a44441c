"""Rows written with PostgreSQL's COPY: a publish writes thousands of messages in one business
transaction, and an INSERT of arrays spent a third of its time parsing them."""

import io

# COPY's text format: a backslash escapes itself and the characters that end a value or a row.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text(value):
    """`value` as COPY's text format reads it: None is NULL, booleans t and f."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value).translate(_ESCAPES)


def copy_rows(cr, table, columns, rows):
    """Writes `rows` (tuples in the order of `columns`) into `table` in one COPY, in the
    cursor's transaction."""
    lines = io.StringIO()
    for row in rows:
        lines.write("\t".join(map(text, row)))
        lines.write("\n")
    lines.seek(0)
    cr.copy_expert("COPY %s (%s) FROM STDIN" % (table, ", ".join(columns)), lines)
