"""Finding every translatable message in the package, as the catalogues must hold them.

Used by the test that keeps the catalogues complete, and by translators::

    python -m civicpulse.i18n.extract ru          # msgids the Russian catalogue lacks or leaves empty
    python -m civicpulse.i18n.extract --update    # add new msgids (empty) to every catalogue, drop unused ones
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from civicpulse.i18n import DOMAIN, FALLBACK, LANGUAGES, catalogue_path

# Jinja2 templates (any folder called templates) and Python modules of the whole package
METHOD_MAP = [
    ("**/templates/**.j2", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
OPTIONS_MAP = {
    "**/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"},
}


def package_root() -> Path:
    return Path(str(resources.files("civicpulse")))


def messages(root: Path | None = None) -> dict[str, list[str]]:
    """Every msgid (plural msgids too) used under ``root``, with the ``file:line`` places that use it."""
    base = root or package_root()
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(base), method_map=METHOD_MAP, options_map=OPTIONS_MAP
    ):
        for msgid in _ids(message):
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def _ids(message: str | tuple[str, ...]) -> Iterable[str]:
    if isinstance(message, str):
        return [message] if message else []
    return [m for m in message if m]


def catalogue(lang: str) -> Catalog:
    """The parsed ``.po`` catalogue of ``lang``."""
    source = resources.files("civicpulse.i18n").joinpath(catalogue_path(lang))
    with source.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def missing(lang: str, root: Path | None = None) -> dict[str, list[str]]:
    """Messages used in the code that the catalogue of ``lang`` lacks, leaves empty or marks fuzzy."""
    translated: dict[str, bool] = {}
    for entry in catalogue(lang):
        if not entry.id:
            continue  # the header
        ids = entry.id if isinstance(entry.id, tuple | list) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple | list) else (entry.string,)
        done = not entry.fuzzy and all(strings)
        for msgid in ids:
            translated[msgid] = done
    return {msgid: places for msgid, places in messages(root).items() if not translated.get(msgid, False)}


def template(root: Path | None = None) -> Catalog:
    """A catalogue of every message used under ``root``, untranslated, in the order the code uses them."""
    cat = Catalog(domain=DOMAIN, fuzzy=False)
    base = root or package_root()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(base), method_map=METHOD_MAP, options_map=OPTIONS_MAP
    ):
        cat.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return cat


def update(lang: str, path: Path, root: Path | None = None) -> None:
    """Rewrite the catalogue at ``path``: new messages added untranslated, unused ones dropped.

    Existing translations are kept; nothing is guessed (no fuzzy matching), so a new message
    shows up as a gap in :func:`missing` until someone translates it. English is the exception:
    the msgids are English, so its catalogue takes them as they are.
    """
    with path.open("rb") as handle:
        cat = read_po(handle, locale=lang, domain=DOMAIN)
    cat.update(template(root), no_fuzzy_matching=True)
    if lang == FALLBACK:
        for message in cat:
            if isinstance(message.id, str):
                if message.id and not message.string:
                    message.string = message.id
            elif not message.string or not all(message.string):
                message.string = tuple(message.id[: cat.num_plurals])
    with path.open("wb") as handle:
        write_po(handle, cat, width=120, no_location=True, ignore_obsolete=True)


def main(argv: list[str]) -> int:
    if argv == ["--update"]:
        for lang in LANGUAGES:
            path = package_root() / "i18n" / catalogue_path(lang)
            update(lang, path)
            print(f"updated {path}")
        return 0
    langs = argv or ["ru", "en"]
    gaps = 0
    for lang in langs:
        for msgid, places in sorted(missing(lang).items()):
            gaps += 1
            print(f"{lang}: {msgid!r} ({', '.join(places[:3])})")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
