"""CSV cells that a spreadsheet application cannot read as a formula (CSV injection).

A CSV file the tool writes (marks, manifest) holds names and paths a student or a roster
chose.  Following the OWASP guidance, a text cell starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return gets a single quote in front, so Excel and LibreOffice show it as
text instead of running it.  A text already starting with a quote gets one too, so reading
back (``plain``) is exact: strip one leading quote.  Numbers we write as numbers are left
alone (a negative number is not a formula).
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutral(value: object) -> str:
    """The cell text for ``value``: numbers as written, text neutralised."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(TRIGGERS) else text


def plain(text: str) -> str:
    """The text ``neutral`` was given, from what it wrote."""
    return text[1:] if text.startswith("'") else text
