"""CrowdTangle CSV exports: Facebook page and group lists (and Instagram lists) as posts and snapshots.

Columns (as 4CAT's ``datasources/upload`` reads them): Facebook exports carry "Page Name" (or
"Group Name"), "User Name", "Facebook Id", "Page Category", "Page Admin Top Country", "Likes at
Posting", "Followers at Posting", "Post Created" (older exports: "Created") such as
``2021-01-31 10:00:00 EST``, "Type", "Total Interactions" (with thousands separators), "Likes",
"Comments", "Shares", "Love", "Wow", "Haha", "Sad", "Angry", "Care", "Post Views", "URL",
"Message", "Link"... Instagram exports carry "Account", "User Name", "Followers at Posting",
"Post Created", "Type", "Likes", "Comments", "Views", "URL", "Description". Cells may say "N/A".

Mapping:

* Facebook: account = "User Name" (the page's vanity name, as registries list pages) else
  "Facebook Id"; post id = ``<Facebook Id>_<post number from the URL>`` (the Graph API's id) or
  the URL when it holds no number; ``likes`` = all reactions (Likes + Love + Wow + Haha + Sad +
  Angry + Care (+ Thankful in old exports)), each kind kept in the raw row (table ``raw``,
  source ``import:crowdtangle``); ``reposts`` = Shares; views = "Post Views" for videos only.
* Instagram: account = "User Name" in lower case; post id = the shortcode in the URL (as the
  instaloader importer and the Graph API permalink give it); text = "Description".
* "Followers at Posting" (else, on Facebook, "Likes at Posting", the page's fans) becomes a
  follower snapshot observed at the post's time.
* "Post Created" ends in a zone: the abbreviations of :data:`cells.ZONE_ABBREVIATIONS` or a
  numeric offset (``+06``); any other is an error naming the row. "N/A" or an empty count is 0
  for interactions and unknown for views and followers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import orjson
from pydantic import ValidationError

from civicpulse.errors import Problem
from civicpulse.importers.base import Item, Progress, problems_of
from civicpulse.importers.cells import CellError, parse_count, zone_offset
from civicpulse.importers.tabular import TableError, open_table
from civicpulse.records.models import PostRecord, SnapshotRecord

BOM: Final = b"\xef\xbb\xbf"
FACEBOOK_REACTIONS: Final = ("Likes", "Love", "Wow", "Haha", "Sad", "Angry", "Care", "Thankful")
FACEBOOK_REQUIRED: Final = ("Facebook Id", "Type", "Likes", "Comments", "Shares", "URL", "Message")
INSTAGRAM_REQUIRED: Final = ("Account", "User Name", "Type", "Likes", "Comments", "URL", "Description")
CREATED: Final = ("Post Created", "Created")
VIDEO_TYPES: Final = frozenset(
    {"native video", "video", "live video", "live video complete", "live video scheduled", "igtv", "reel"}
)
MEDIA_BY_TYPE: Final = {
    "photo": "photo",
    "album": "photo",
    "link": "link",
    "youtube": "link",
    "status": "text",
    "native video": "video",
    "video": "video",
    "igtv": "video",
    "reel": "video",
    "live video": "live",
    "live video complete": "live",
    "live video scheduled": "live",
}
_CREATED = re.compile(r"(?P<time>\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}(?::\d{2})?)\s+(?P<zone>\S+)")
_SHORTCODE = re.compile(r"instagram\.com/(?:p|reel|tv)/([^/?#]+)")


class _Bad(Exception):
    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason


def _header_names(head: bytes) -> list[str]:
    line = head.removeprefix(BOM).split(b"\n", 1)[0].decode("utf-8", errors="replace")
    separator = ";" if line.count(";") > line.count(",") else ","
    return [name.strip().strip('"').strip() for name in line.split(separator)]


class CrowdTangleImporter:
    """A CrowdTangle "historical data" CSV export of a Facebook or Instagram list."""

    name = "crowdtangle"

    def __init__(self, encoding: str = "auto") -> None:
        self.encoding = encoding

    def detect(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() != ".csv":
            return False
        names = set(_header_names(head))
        if not names & set(CREATED):
            return False
        return "Facebook Id" in names or {"Account", "User Name", "Followers at Posting"} <= names

    def items(self, path: Path, progress: Progress | None = None) -> Iterator[Item]:
        try:
            header, rows = open_table(path, encoding=self.encoding, progress=progress)
        except TableError as exc:
            yield Item(exc.line, None, problems=[Problem(f"{path}:{exc.line}", exc.field, exc.reason)])
            return
        names = header.names
        instagram = "Facebook Id" not in names and "Account" in names
        required = (*(INSTAGRAM_REQUIRED if instagram else FACEBOOK_REQUIRED), "Post Created|Created")
        missing = [c for c in required if not any(alt in names for alt in c.split("|"))]
        if missing:
            reason = f"column(s) missing from the header: {', '.join(missing)}"
            if len(names) == 1:
                reason += " (the header has one column: is the file separated by something else than , or ;?)"
            yield Item(header.line, names, problems=[Problem(f"{path}:{header.line}", "(header)", reason)])
            return
        row_items = _instagram_items if instagram else _facebook_items
        try:
            for line, cells in rows:
                where = f"{path}:{line}"
                if len(cells) != len(names):
                    reason = f"{len(cells)} cells for {len(names)} columns"
                    yield Item(line, cells, problems=[Problem(where, "(row)", reason)])
                    continue
                row = dict(zip(names, cells, strict=True))
                try:
                    yield from row_items(row, line, where)
                except _Bad as bad:
                    yield Item(line, row, problems=[Problem(where, bad.field, bad.reason)])
        except TableError as exc:
            yield Item(exc.line, None, problems=[Problem(f"{path}:{exc.line}", exc.field, exc.reason)])


def _facebook_items(row: dict[str, str], line: int, where: str) -> Iterator[Item]:
    facebook_id = row.get("Facebook Id", "").strip()
    account = row.get("User Name", "").strip() or facebook_id
    if not account:
        raise _Bad("User Name", "empty, and so is Facebook Id: the page cannot be named")
    created = _created(row)
    kind = row.get("Type", "").strip().lower()
    reactions = {name: _count(row, name) for name in FACEBOOK_REACTIONS if name in row}
    _count(row, "Total Interactions")  # not stored (the parts are), but a malformed value is an error
    url = row.get("URL", "").strip()
    if not url:
        raise _Bad("URL", "empty: the post cannot be identified")
    number = _post_number(url)
    data = {
        "record": "post",
        "platform": "facebook",
        "id": f"{facebook_id}_{number}" if facebook_id and number else url,
        "account": account,
        "published_at": created,
        "text": row.get("Message", ""),
        "likes": sum(reactions.values()),
        "comments": _count(row, "Comments"),
        "reposts": _count(row, "Shares"),
        "views": _optional_count(row, "Post Views") if kind in VIDEO_TYPES else None,
        "url": url,
        "media": MEDIA_BY_TYPE.get(kind, "other"),
    }
    followers = _optional_count(row, "Followers at Posting")
    if followers is None:
        followers = _optional_count(row, "Likes at Posting")
    # every cell is read before anything is yielded, so a bad row is rejected whole
    post = _post_item(data, row, line, where)
    yield post
    if followers is not None and post.record is not None:
        yield _snapshot_item("facebook", account, created, followers, line, where)


def _instagram_items(row: dict[str, str], line: int, where: str) -> Iterator[Item]:
    account = row.get("User Name", "").strip().lstrip("@").lower()
    if not account:
        raise _Bad("User Name", "empty: the account cannot be named")
    created = _created(row)
    kind = row.get("Type", "").strip().lower()
    url = row.get("URL", "").strip()
    match = _SHORTCODE.search(url)
    if match is None:
        raise _Bad("URL", f"no post shortcode in {url!r} (expected https://www.instagram.com/p/<code>/)")
    data = {
        "record": "post",
        "platform": "instagram",
        "id": match.group(1),
        "account": account,
        "published_at": created,
        "text": row.get("Description", ""),
        "likes": _count(row, "Likes"),
        "comments": _count(row, "Comments"),
        "reposts": 0,
        "views": _optional_count(row, "Views"),
        "url": url,
        "media": MEDIA_BY_TYPE.get(kind, "other"),
    }
    followers = _optional_count(row, "Followers at Posting")
    post = _post_item(data, row, line, where)
    yield post
    if followers is not None and post.record is not None:
        yield _snapshot_item("instagram", account, created, followers, line, where)


def _post_item(data: dict[str, Any], row: dict[str, str], line: int, where: str) -> Item:
    try:
        record = PostRecord.model_validate(data)
    except ValidationError as exc:
        return Item(line, row, problems=problems_of(exc, where))
    return Item(line, None, record=record, keep=orjson.dumps(row).decode())


def _snapshot_item(
    platform: str, account: str, observed_at: dt.datetime, followers: int, line: int, where: str
) -> Item:
    data = {
        "record": "snapshot",
        "platform": platform,
        "account": account,
        "observed_at": observed_at,
        "followers": followers,
    }
    try:
        return Item(line, None, record=SnapshotRecord.model_validate(data))
    except ValidationError as exc:
        return Item(line, data, problems=problems_of(exc, where))


def _created(row: dict[str, str]) -> dt.datetime:
    column = next(c for c in CREATED if c in row)
    text = row[column].strip()
    match = _CREATED.fullmatch(text)
    if match is None:
        raise _Bad(column, f"expected 'YYYY-MM-DD HH:MM:SS ZONE' (e.g. 2021-01-31 10:00:00 EST), got {text!r}")
    try:
        zone = zone_offset(match["zone"])
    except CellError as exc:
        raise _Bad(column, str(exc)) from exc
    moment = match["time"] if match["time"].count(":") == 2 else match["time"] + ":00"
    try:
        return dt.datetime.strptime(moment, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
    except ValueError as exc:
        raise _Bad(column, f"not a real date and time: {text!r} ({exc})") from exc


def _count(row: dict[str, str], column: str) -> int:
    """A count that an interaction column must hold; "N/A" and empty cells mean none (0)."""
    return _optional_count(row, column) or 0


def _optional_count(row: dict[str, str], column: str) -> int | None:
    if column not in row:
        return None
    try:
        return parse_count(row[column])
    except CellError as exc:
        raise _Bad(column, str(exc)) from exc


def _post_number(url: str) -> str | None:
    """The last all-digit part of a Facebook post URL (``.../posts/123/``, ``.../videos/456``)."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    parts = [p for p in path.split("/") if p.isdigit()]
    return parts[-1] if parts else None
