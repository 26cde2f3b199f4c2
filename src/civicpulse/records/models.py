"""Canonical records as they arrive in files and from connectors, validated with pydantic.

Three kinds, told apart by the ``record`` field: ``snapshot`` (an observation of an account's
counters), ``post`` (posts, comments, replies and reposts alike) and ``author`` (an observation of
any account's profile, for bot scoring and follower samples). Times must carry an offset; they
are stored in UTC.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

import orjson
from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    field_validator,
)

from civicpulse.platforms import PLATFORMS

MEDIA_TYPES: Final = ("text", "photo", "video", "live", "link", "audio", "poll", "document", "other")
POST_KINDS: Final = ("post", "comment", "repost")


# Validation runs entirely in pydantic-core (no Python validators on hot fields): it is the
# import's inner loop. Ids may arrive as JSON numbers (VK ids often do) and are stored as text;
# times keep their offset here and are converted to UTC when written (store/sink.py).
UtcTime = AwareDatetime
Ident = Annotated[str, Field(min_length=1)] | int
Platform = Literal[PLATFORMS]  # type: ignore[valid-type]
Count = Annotated[int, Field(ge=0)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    platform: Platform


class SnapshotRecord(_Record):
    """Counters of an account at a moment."""

    record: Literal["snapshot"]
    account: Ident
    observed_at: UtcTime
    followers: Count
    posts_total: Count | None = None


class PostRecord(_Record):
    """A post, comment, reply or repost as seen at ``observed_at``."""

    record: Literal["post"]
    id: Ident
    account: Ident
    published_at: UtcTime
    text: str
    likes: Count
    comments: Count
    reposts: Count
    author: Ident | None = None
    views: Count | None = None
    url: str | None = None
    reply_to: Ident | None = None
    repost_of: Ident | None = None
    media: Literal[MEDIA_TYPES] | None = None  # type: ignore[valid-type]
    kind: Literal[POST_KINDS] | None = None  # type: ignore[valid-type]
    observed_at: UtcTime | None = None
    # columns of ``export posts`` that re-importing an export ignores (enrichment is recomputed)
    lang: Annotated[Any, Field(exclude=True)] = None
    entities: Annotated[Any, Field(exclude=True)] = None
    sentiment: Annotated[Any, Field(exclude=True)] = None
    sentiment_score: Annotated[Any, Field(exclude=True)] = None
    topics: Annotated[Any, Field(exclude=True)] = None
    flags: Annotated[Any, Field(exclude=True)] = None
    flag_reasons: Annotated[Any, Field(exclude=True)] = None

    def resolved_kind(self) -> str:
        """The given kind, else ``comment`` for replies, ``repost`` for shares, else ``post``."""
        if self.kind:
            return str(self.kind)
        if self.reply_to:
            return "comment"
        if self.repost_of:
            return "repost"
        return "post"


def _follows(value: object) -> object:
    # CSV cells carry lists as JSON ("[...]") or as a ";"-separated string
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return orjson.loads(text)
        return [part.strip() for part in text.split(";") if part.strip()]
    return value


class AuthorRecord(_Record):
    """An observation of an account's profile; unknown profile fields are kept in ``extra``."""

    model_config = ConfigDict(extra="allow", frozen=True)

    record: Literal["author"]
    id: Ident
    observed_at: UtcTime
    name: str | None = None
    handle: str | None = None
    url: str | None = None
    followers: Count | None = None
    following: Count | None = None
    posts_total: Count | None = None
    created_at: UtcTime | None = None
    has_avatar: bool | None = None
    deactivated: str | None = None
    verified: bool | None = None
    follows: Annotated[list[Ident] | None, BeforeValidator(_follows)] = None

    @field_validator("deactivated", mode="before")
    @classmethod
    def _deactivated(cls, value: object) -> object:
        # VK says "deleted"/"banned"; other sources say true/false
        if value is True:
            return "yes"
        if value is False:
            return None
        return value

    def extra_json(self) -> str | None:
        extra = self.model_extra or {}
        return orjson.dumps(extra, default=str).decode() if extra else None


Record = Annotated[SnapshotRecord | PostRecord | AuthorRecord, Field(discriminator="record")]
RECORD_ADAPTER: TypeAdapter[SnapshotRecord | PostRecord | AuthorRecord] = TypeAdapter(Record)
RECORD_KINDS: Final = ("snapshot", "post", "author")
