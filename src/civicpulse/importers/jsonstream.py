"""Walking a large JSON document without loading it: whole values handed out as their own bytes.

Telegram Desktop writes one ``result.json`` per export, easily gigabytes for a busy channel. The
:class:`JsonScanner` reads it in chunks and lets a caller walk the outer structure (object keys,
array items) while every inner value it asks for comes back as the exact bytes of the file, with
the line it starts on. Those bytes are parsed with orjson one message at a time and kept verbatim
as the raw payload, so a broken message is one located problem rather than a lost file.

Why not ijson: it gives neither line numbers nor the source bytes of a value, and the structure
walked here is two or three levels deep, so a small scanner that jumps between quotes and
brackets with ``bytes.find`` and one regular expression is enough.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import IO, Any, Final

import orjson

CHUNK: Final = 1 << 20
BOM: Final = b"\xef\xbb\xbf"
_BLANK: Final = frozenset(b" \t\r\n")
_STRUCTURE = re.compile(rb'["{}\[\]]')
_SCALAR_END = re.compile(rb"[\s,\]}:]")
_QUOTE, _BACKSLASH, _OPEN_BRACE, _OPEN_BRACKET = 0x22, 0x5C, 0x7B, 0x5B
_MAX_INDENTED: Final = 64 << 20  # longer values are left to the scanner rather than held whole


class _Unparsed:
    def __repr__(self) -> str:
        return "UNPARSED"


UNPARSED: Final = _Unparsed()
"""What :meth:`JsonScanner.read_parsed` gives for a value it did not parse."""


class JsonStreamError(Exception):
    """The document's structure is broken at ``line``; nothing after it can be trusted."""

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}")


class JsonScanner:
    """A pull reader over a JSON byte stream.

    :meth:`object_keys` and :meth:`array_items` walk a container; after each key or index they
    yield, the caller consumes exactly one value, with :meth:`read_value`, :meth:`skip_value`,
    :meth:`load_value` or by walking it. ``progress`` receives the bytes read from the stream.

    Invariant: ``self.buf[self.pos:]`` is unread, ``self.line`` is the line at ``self.pos``. The
    buffer only ever loses a prefix in :meth:`_more`, which shifts ``self.pos`` with it.
    """

    def __init__(self, stream: IO[bytes], progress: Callable[[int], None] | None = None, chunk: int = CHUNK) -> None:
        self.stream = stream
        self.progress = progress
        self.chunk = chunk
        self.buf = b""
        self.pos = 0
        self.line = 1
        self._eof = False
        self._first = True

    # -- buffer -----------------------------------------------------------------------------------

    def _more(self) -> bool:
        """Append the next chunk, dropping what is before ``self.pos``; False at the end of the stream."""
        if self._eof:
            return False
        data = self.stream.read(self.chunk)
        if self.progress is not None and data:
            self.progress(len(data))
        if self._first:
            self._first = False
            if data.startswith(BOM):
                data = data[len(BOM) :]
        if not data:
            self._eof = True
            return False
        self.buf = self.buf[self.pos :] + data
        self.pos = 0
        return True

    def _advance(self, to: int) -> None:
        self.line += self.buf.count(b"\n", self.pos, to)
        self.pos = to

    def _grow(self, scanned_to: int, keep: bool) -> int | None:
        """Read another chunk while scanning a value; returns the new index of ``scanned_to``.

        When the value is being skipped rather than kept, the bytes before ``scanned_to`` are
        consumed first so that they can be dropped. Returns None at the end of the stream.
        """
        if not keep:
            self._advance(scanned_to)
        base = self.pos
        if not self._more():
            return None
        return scanned_to - base

    # -- tokens -----------------------------------------------------------------------------------

    def peek(self) -> bytes:
        """The next non-blank byte without consuming it (``b""`` at the end of the document)."""
        while True:
            buf, pos, size = self.buf, self.pos, len(self.buf)
            while pos < size and buf[pos] in _BLANK:
                pos += 1
            self._advance(pos)
            if pos < size:
                return buf[pos : pos + 1]
            if not self._more():
                return b""

    def expect(self, token: bytes) -> None:
        found = self.peek()
        if found != token:
            raise JsonStreamError(self.line, _unexpected(found, repr(token.decode())))
        self._advance(self.pos + 1)

    def at_end(self) -> bool:
        return self.peek() == b""

    # -- containers -------------------------------------------------------------------------------

    def object_keys(self) -> Iterator[str]:
        """Each key of the object that starts here; the caller consumes its value before the next."""
        self.expect(b"{")
        if self.peek() == b"}":
            self._advance(self.pos + 1)
            return
        while True:
            if self.peek() != b'"':
                raise JsonStreamError(self.line, _unexpected(self.peek(), "an object key in double quotes"))
            key = self.load_value()
            self.expect(b":")
            yield str(key)
            token = self.peek()
            if token == b"}":
                self._advance(self.pos + 1)
                return
            if token != b",":
                raise JsonStreamError(self.line, _unexpected(token, "',' or '}' after an object value"))
            self._advance(self.pos + 1)

    def array_items(self) -> Iterator[int]:
        """The index of each item of the array that starts here; the caller consumes the item."""
        self.expect(b"[")
        if self.peek() == b"]":
            self._advance(self.pos + 1)
            return
        index = 0
        while True:
            yield index
            token = self.peek()
            if token == b"]":
                self._advance(self.pos + 1)
                return
            if token != b",":
                raise JsonStreamError(self.line, _unexpected(token, "',' or ']' after an array item"))
            self._advance(self.pos + 1)
            index += 1

    # -- values -----------------------------------------------------------------------------------

    def read_value(self) -> tuple[bytes, int]:
        """The bytes of the next whole value and the line it starts on."""
        data, line, _ = self.read_parsed()
        return data, line

    def read_parsed(self) -> tuple[bytes, int, Any]:
        """The bytes of the next value, its line, and the value parsed (:data:`UNPARSED` when it was not).

        Finding the end of a container is the hot loop of a large import. Pretty-printed JSON (as
        Telegram Desktop writes it) closes a container on a line indented like the line that opened
        it, so the first such line is a candidate end that orjson then confirms by parsing exactly
        that slice: one call in C per value, and the parse is not wasted. When the candidate fails
        (compact JSON, a broken value, the end of the file) the byte scanner finds the end and the
        value is left for the caller to parse and report.
        """
        first = self.peek()
        line = self.line
        found = self._indented_end(first) if first in (b"{", b"[") else None
        if found is not None:
            end, value = found
        else:
            end, value = self._scan(keep=True), UNPARSED
        data = self.buf[self.pos : end]
        self._advance(end)
        return data, line, value

    def _indented_end(self, first: bytes) -> tuple[int, Any] | None:
        start = self.pos
        line_start = self.buf.rfind(b"\n", 0, start) + 1
        indent = self.buf[line_start:start]
        if indent.strip(b" \t"):
            return None  # something else precedes the value on its line: not one value per line
        closing = b"\n" + indent + (b"}" if first == b"{" else b"]")
        searched = start
        while True:
            found = self.buf.find(closing, searched)
            if found >= 0:
                break
            searched = max(start, len(self.buf) - len(closing))
            if len(self.buf) - start > _MAX_INDENTED or not self._more():
                return None
            searched -= start - self.pos
            start = self.pos
        end = found + len(closing)
        try:
            return end, orjson.loads(memoryview(self.buf)[start:end])
        except orjson.JSONDecodeError:
            return None

    def skip_value(self) -> None:
        """Consume the next value without keeping it (it may be far larger than memory should hold)."""
        end = self._scan(keep=False)
        self._advance(end)

    def load_value(self) -> Any:
        """The next value, parsed (for small values such as a chat's name or id)."""
        data, line = self.read_value()
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise JsonStreamError(line, f"invalid JSON: {exc}") from exc

    def _scan(self, keep: bool) -> int:
        """The index just after the value that starts at ``self.pos`` (after blanks)."""
        first = self.peek()
        if not first:
            raise JsonStreamError(self.line, "the file ends where a value should be (truncated?)")
        if first == b'"':
            return self._string_end(self.pos + 1, keep)
        if first not in (b"{", b"["):
            return self._scalar_end()
        depth = 0
        i = self.pos
        while True:
            match = _STRUCTURE.search(self.buf, i)
            if match is None:
                grown = self._grow(len(self.buf), keep)
                if grown is None:
                    raise JsonStreamError(
                        self.line, f"the file ends inside this value at line {self._last_line()} (truncated?)"
                    )
                i = grown
                continue
            char = self.buf[match.start()]
            if char == _QUOTE:
                i = self._string_end(match.end(), keep)
                continue
            if char in (_OPEN_BRACE, _OPEN_BRACKET):
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return match.end()
            i = match.end()

    def _string_end(self, i: int, keep: bool) -> int:
        """The index just after the closing quote of the string whose body begins at ``i``."""
        while True:
            quote = self.buf.find(b'"', i)
            if quote < 0:
                # a run of backslashes at the end decides whether the next quote is escaped: keep it in view
                scanned = len(self.buf)
                while scanned > i and self.buf[scanned - 1] == _BACKSLASH:
                    scanned -= 1
                grown = self._grow(scanned, keep)
                if grown is None:
                    raise JsonStreamError(
                        self.line, f"the file ends inside a string at line {self._last_line()} (truncated?)"
                    )
                i = grown
                continue
            slashes = 0
            k = quote - 1
            while k >= self.pos and self.buf[k] == _BACKSLASH:
                slashes += 1
                k -= 1
            if slashes % 2 == 0:
                return quote + 1
            i = quote + 1

    def _last_line(self) -> int:
        return self.line + self.buf.count(b"\n", self.pos)

    def _scalar_end(self) -> int:
        i = self.pos
        while True:
            match = _SCALAR_END.search(self.buf, i)
            if match is not None:
                return match.start()
            grown = self._grow(len(self.buf), keep=True)
            if grown is None:
                return len(self.buf)
            i = grown


def _unexpected(found: bytes, wanted: str) -> str:
    if not found:
        return f"the file ends where {wanted} should be (truncated?)"
    return f"expected {wanted}, found {found.decode('latin-1')!r}"
