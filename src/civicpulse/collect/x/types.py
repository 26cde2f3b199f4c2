"""X API v2 objects as the parsers need them, read leniently from any shape the API has sent.

Schema drift is absorbed here: counts may arrive as strings, flags as 0/1, optional fields
(``impression_count`` since late 2022, ``bookmark_count``, ``note_tweet``, ``conversation_id``)
may be missing. Object shapes: the tweet and user objects of the X API v2 data dictionary
(developer.x.com, "Data dictionary": ``tweet``, ``user``, ``media``). A field a record cannot do
without (an id, ``created_at``) that is missing raises ``ValueError`` naming it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from civicpulse.collect.values import as_bool, as_count, as_str, as_time, items, mapping, required_str, required_time

# media ``type`` -> canonical media type
MEDIA: Final = {"photo": "photo", "video": "video", "animated_gif": "video"}
DEFAULT_AVATAR: Final = "default_profile_images"


@dataclass(frozen=True)
class XTweet:
    """A tweet of a user timeline or a search result."""

    id: str
    text: str
    created_at: dt.datetime
    author_id: str | None
    likes: int
    replies: int
    retweets: int
    quotes: int
    impressions: int | None
    reply_to: str | None
    retweet_of: str | None
    quote_of: str | None
    media_keys: tuple[str, ...]

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> XTweet:
        metrics = mapping(item.get("public_metrics"))
        refs: dict[str, str] = {}
        for ref in items(item.get("referenced_tweets")):
            ref = mapping(ref)
            kind, ref_id = as_str(ref.get("type")), as_str(ref.get("id"))
            if kind and ref_id:
                refs.setdefault(kind, ref_id)
        note = mapping(item.get("note_tweet"))
        # a long post (over 280 characters) carries its whole text in note_tweet; text is cut
        text = note.get("text") if isinstance(note.get("text"), str) else item.get("text")
        return cls(
            id=required_str(item, "id"),
            text=text if isinstance(text, str) else "",
            created_at=required_time(item, "created_at"),
            author_id=as_str(item.get("author_id")),
            likes=as_count(metrics.get("like_count")) or 0,
            replies=as_count(metrics.get("reply_count")) or 0,
            retweets=as_count(metrics.get("retweet_count")) or 0,
            quotes=as_count(metrics.get("quote_count")) or 0,
            impressions=as_count(metrics.get("impression_count")),
            reply_to=refs.get("replied_to"),
            retweet_of=refs.get("retweeted"),
            quote_of=refs.get("quoted"),
            media_keys=_keys(mapping(item.get("attachments")).get("media_keys")),
        )

    @property
    def kind(self) -> str:
        """``repost`` for a retweet, ``comment`` for a reply, else ``post`` (a quote is a post of its own)."""
        if self.retweet_of:
            return "repost"
        if self.reply_to:
            return "comment"
        return "post"


@dataclass(frozen=True)
class XUser:
    """A user object (``/2/users/by/username``, ``includes.users``)."""

    id: str
    username: str | None
    name: str | None
    followers: int | None
    following: int | None
    tweets: int | None
    listed: int | None
    created_at: dt.datetime | None
    verified: bool | None
    protected: bool | None
    has_avatar: bool | None

    @classmethod
    def from_payload(cls, item: Mapping[str, Any]) -> XUser:
        metrics = mapping(item.get("public_metrics"))
        image = item.get("profile_image_url")
        return cls(
            id=required_str(item, "id"),
            username=as_str(item.get("username")),
            name=item["name"] if isinstance(item.get("name"), str) else None,
            followers=as_count(metrics.get("followers_count")),
            following=as_count(metrics.get("following_count")),
            tweets=as_count(metrics.get("tweet_count")),
            listed=as_count(metrics.get("listed_count")),
            created_at=as_time(item.get("created_at")),
            verified=as_bool(item["verified"]) if "verified" in item else None,
            protected=as_bool(item["protected"]) if "protected" in item else None,
            has_avatar=(DEFAULT_AVATAR not in image) if isinstance(image, str) and image else None,
        )


def _keys(value: Any) -> tuple[str, ...]:
    return tuple(key for key in (as_str(v) for v in items(value)) if key)


def media_types(includes: Mapping[str, Any]) -> dict[str, str]:
    """``media_key`` -> canonical media type, from ``includes.media``."""
    out = {}
    for media in items(includes.get("media")):
        media = mapping(media)
        key, kind = as_str(media.get("media_key")), as_str(media.get("type"))
        if key and kind:
            out[key] = MEDIA.get(kind, "other")
    return out


def users_by_id(includes: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """``includes.users`` by id (objects without an id are left out)."""
    out = {}
    for user in items(includes.get("users")):
        user = mapping(user)
        uid = as_str(user.get("id"))
        if uid:
            out[uid] = user
    return out
