"""Spreadsheet safety for text from social media.

A CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets ("CSV injection"). Such text cells get a leading
apostrophe, which spreadsheets show as plain text. Plain numbers (``-100``, ``+7``) are left as
they are, and so are identifiers made only of digits and separators (VK's ``-100_123``): a
spreadsheet may show them as an error, but without letters or operators nothing can be called.
XLSX cells are written as typed string cells, which spreadsheets never evaluate, so XLSX needs no
prefix.
"""

from __future__ import annotations

import re

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"^[+-]?\d[\d_.,]*(?:[eE][+-]?\d+)?$")


def neutralise(cell: str) -> str:
    """``cell`` made safe to open in a spreadsheet."""
    if cell and cell.lstrip(" ").startswith(_TRIGGERS) and not _NUMBER.match(cell.strip()):
        return "'" + cell
    return cell
