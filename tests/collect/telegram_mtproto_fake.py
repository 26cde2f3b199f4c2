"""A fake MTProto for the Telegram connector: a server handler and the client that reaches it.

:class:`FakeMtproto` is the connector's :class:`MtprotoClient` in tests. It carries each call to
the suite's local fake server (``POST /<method>`` with the parameters as a form field), so the
contract suite injects faults into MTProto exactly as into HTTP; :class:`MtprotoFake` answers
``{"result": <to_dict() shape>}`` built from ``tests/cases/telegram/*.json`` (generated from
Telethon's TL types) or ``{"rpc_error": {"code", "message"}}``. The client turns a 420/429 into a
FloodWait of the ``Retry-After`` seconds, a 5xx into ``RPC_CALL_FAIL``, a body it cannot read
into a lost connection and a timeout into ``TimeoutError``: what Telethon raises in each case.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx

from civicpulse.collect.telegram.errors import RpcFault
from tests.collect.fakeserver import Reply, Request, json_reply
from tests.collect.telegram_fake import TOKEN, Channel, Message, TelegramWorld, case, iso

# -- MTProto ---------------------------------------------------------------------------------


class MtprotoFake:
    """``POST /<method>`` handler answering ``{"result": ...}`` or ``{"rpc_error": ...}``."""

    def __init__(self, world: TelegramWorld, drift: str | None = None, session: str = TOKEN) -> None:
        self.world = world
        self.drift = drift
        self.session = session
        history = case("messages.getHistory.json")
        self.post = history["messages"][0]
        self.channel_obj = history["chats"][0]
        replies = case("messages.getReplies.json")
        self.comment = replies["messages"][2]
        self.group_obj = replies["chats"][0]
        self.user_obj = replies["users"][0]
        self.full = case("channels.getFullChannel.json")

    def __call__(self, request: Request) -> Reply:
        if request.headers.get("x-session") != self.session:
            return json_reply({"rpc_error": {"code": 401, "message": "AUTH_KEY_UNREGISTERED"}})
        method = request.path.strip("/").rsplit("/", 1)[-1]
        params = json.loads(request.form.get("params", "{}"))
        name = params.get("channel") or params.get("peer")
        channel = self.world.channels.get(str(name))
        if channel is None or channel.missing:
            return json_reply({"rpc_error": {"code": 400, "message": "USERNAME_NOT_OCCUPIED"}})
        if channel.private:
            return json_reply({"rpc_error": {"code": 400, "message": "CHANNEL_PRIVATE"}})
        if method == "channels.getFullChannel":
            result = self.full_channel(channel)
        elif method == "messages.getHistory":
            result = self.history(channel, params)
        elif method == "messages.getReplies":
            result = self.replies(channel, params)
            if result is None:
                return json_reply({"rpc_error": {"code": 400, "message": "MSG_ID_INVALID"}})
        else:
            return json_reply({"rpc_error": {"code": 400, "message": "METHOD_INVALID"}})
        return json_reply({"result": apply_drift(result, self.drift)})

    def chat(self, channel: Channel) -> dict[str, Any]:
        return {**copy.deepcopy(self.channel_obj), "id": channel.id, "username": channel.username}

    def full_channel(self, channel: Channel) -> dict[str, Any]:
        out = copy.deepcopy(self.full)
        out["full_chat"].update(id=channel.id, participants_count=channel.subscribers, linked_chat_id=channel.group)
        out["chats"] = [self.chat(channel)]
        return out

    def message(self, channel: Channel, m: Message, part: int) -> dict[str, Any]:
        obj = copy.deepcopy(self.post)
        obj.update(
            id=m.id + part,
            date=iso(m.date),
            message=m.text if part == 0 else "",
            views=m.views,
            forwards=m.forwards if part == 0 else 0,
        )
        obj["peer_id"] = {"_": "PeerChannel", "channel_id": channel.id}
        obj["reactions"] = {
            "_": "MessageReactions",
            "results": [
                {
                    "_": "ReactionCount",
                    "reaction": {"_": "ReactionEmoji", "emoticon": e},
                    "count": n,
                    "chosen_order": None,
                }
                for e, n in m.reactions.items()
            ]
            if part == 0
            else [],
            "min": None,
            "recent_reactions": [],
            "top_reactors": [],
        }
        obj["replies"] = (
            {
                "_": "MessageReplies",
                "replies": len(m.comments),
                "replies_pts": 1,
                "comments": True,
                "recent_repliers": [],
                "channel_id": channel.group,
                "max_id": None,
                "read_max_id": None,
            }
            if channel.group
            else None
        )
        obj["media"] = _media(m.media)
        obj["grouped_id"] = 10_000 + m.id if m.album > 1 else None
        obj["fwd_from"] = None
        if m.forward:
            obj["fwd_from"] = {
                "_": "MessageFwdHeader",
                "date": iso(m.date - 3600),
                "from_id": {"_": "PeerChannel", "channel_id": m.forward[1]},
                "channel_post": m.forward[2],
                "from_name": None,
            }
        if m.service:
            return {
                "_": "MessageService",
                "id": m.id,
                "peer_id": obj["peer_id"],
                "date": iso(m.date),
                "action": {"_": "MessageActionChatEditPhoto", "photo": {"_": "PhotoEmpty", "id": 0}},
            }
        return obj

    def history(self, channel: Channel, params: dict[str, Any]) -> dict[str, Any]:
        offset, limit = int(params.get("offset_id") or 0), int(params.get("limit") or 100)
        raw = [self.message(channel, m, part) for m in channel.messages for part in range(m.album)]
        raw = sorted((r for r in raw if offset == 0 or r["id"] < offset), key=lambda r: r["id"], reverse=True)[:limit]
        source = {**self.chat(channel), "id": 1_500_000_099, "username": "kz_news"}
        return {
            "_": "messages.ChannelMessages",
            "pts": 1,
            "count": len(channel.messages),
            "messages": raw,
            "topics": [],
            "chats": [self.chat(channel), source],
            "users": [],
            "inexact": None,
            "offset_id_offset": None,
        }

    def replies(self, channel: Channel, params: dict[str, Any]) -> dict[str, Any] | None:
        post = next((m for m in channel.messages if m.id == int(params["msg_id"])), None)
        if post is None or not channel.group:
            return None
        offset, limit = int(params.get("offset_id") or 0), int(params.get("limit") or 100)
        copy_id = 90_000 + post.id  # the post's copy in the discussion group
        found = sorted((c for c in post.comments if offset == 0 or c.id < offset), key=lambda c: c.id, reverse=True)
        messages = []
        for c in found[:limit]:
            obj = copy.deepcopy(self.comment)
            obj.update(id=c.id, date=iso(c.date), message=c.text)
            obj["peer_id"] = {"_": "PeerChannel", "channel_id": channel.group}
            obj["from_id"] = {"_": "PeerUser", "user_id": c.user}
            obj["reactions"] = {
                "_": "MessageReactions",
                "results": [
                    {"_": "ReactionCount", "reaction": {"_": "ReactionEmoji", "emoticon": "👍"}, "count": c.likes}
                ]
                if c.likes
                else [],
            }
            obj["reply_to"] = {
                "_": "MessageReplyHeader",
                "reply_to_msg_id": c.answers or copy_id,
                "reply_to_top_id": copy_id if c.answers else None,
            }
            messages.append(obj)
        group = {**copy.deepcopy(self.group_obj), "id": channel.group, "username": channel.group_username}
        users = []
        for uid in sorted({c.user for c in found[:limit]}):
            users.append(
                {
                    **copy.deepcopy(self.user_obj),
                    "id": uid,
                    "username": self.world.users[uid],
                    "first_name": self.world.users[uid],
                }
            )
        return {
            "_": "messages.ChannelMessages",
            "pts": 1,
            "count": len(found),
            "messages": messages,
            "topics": [],
            "chats": [group, self.chat(channel)],
            "users": users,
        }


def _media(kind: str | None) -> dict[str, Any] | None:
    if kind is None:
        return None
    if kind == "photo":
        return {"_": "MessageMediaPhoto", "photo": {"_": "PhotoEmpty", "id": 1}, "spoiler": None, "ttl_seconds": None}
    if kind == "poll":
        return {"_": "MessageMediaPoll", "poll": {"_": "Poll", "id": 1, "answers": []}, "results": {"_": "PollResults"}}
    mime, attributes = (
        ("video/mp4", [{"_": "DocumentAttributeVideo", "duration": 5, "w": 1, "h": 1}])
        if kind == "video"
        else ("application/pdf", [{"_": "DocumentAttributeFilename", "file_name": "a.pdf"}])
    )
    return {
        "_": "MessageMediaDocument",
        "document": {"_": "Document", "id": 2, "mime_type": mime, "attributes": attributes},
    }


OPTIONAL = {
    "views",
    "forwards",
    "edit_date",
    "recent_repliers",
    "top_reactors",
    "recent_reactions",
    "chosen_order",
    "post_author",
    "ttl_period",
    "restriction_reason",
    "username_extra",
    "read_max_id",
    "max_id",
    "about",
    "photo",
    "offset_id_offset",
    "inexact",
    "topics",
}


def apply_drift(body: Any, drift: str | None, key: str | None = None) -> Any:
    """A result as an older or newer layer (or Telethon version) would give it."""
    if drift is None:
        return body
    if isinstance(body, dict):
        out: dict[str, Any] = {}
        for k, v in body.items():
            if drift == "missing_optional" and k in OPTIONAL:
                continue
            if drift == "older_shapes" and k in ("reactions_are_possible", "factcheck", "effect", "views"):
                continue  # before views existed on every message (older layers, old Telethon dumps)
            out[k] = apply_drift(v, drift, k)
        if drift == "newer_shapes" and out.get("_") == "MessageService":
            out["_"] = "Message"  # newer layers send service messages as a Message with an action
        if drift == "newer_shapes" and "_" in out:
            out["a_field_added_in_layer_300"] = {"_": "TextWithEntities", "text": "", "entities": []}
        return out
    if isinstance(body, list):
        return [apply_drift(v, drift, key) for v in body]
    if drift == "bools_as_ints" and isinstance(body, bool):
        return int(body)
    if drift == "counts_as_strings" and isinstance(body, int) and not isinstance(body, bool) and key not in ("id",):
        return str(body)
    return body


class FakeMtproto:
    """The connector's MTProto client in tests: each call goes to the fake server's ``POST /<method>``."""

    def __init__(self, base_url: str, timeout: float, session: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = httpx.Client(timeout=timeout)
        self.session = session
        self.closed = False

    def call(self, method: str, params: Any) -> dict[str, Any]:
        try:
            response = self.client.post(
                f"{self.base_url}/{method}",
                data={"params": json.dumps(dict(params))},
                headers={"x-session": self.session},
            )
        except httpx.TimeoutException:
            raise TimeoutError(method) from None
        except httpx.TransportError as exc:
            raise ConnectionError(type(exc).__name__) from None
        if response.status_code in (420, 429):
            seconds = int(float(response.headers.get("retry-after") or 5))
            raise RpcFault(420, f"FLOOD_WAIT_{seconds}", seconds)
        if response.status_code >= 500:
            raise RpcFault(500, "RPC_CALL_FAIL")
        try:
            body = response.json()
        except ValueError:
            raise ConnectionError("the answer could not be read") from None
        if not isinstance(body, dict):
            raise ConnectionError("the answer could not be read")
        if "rpc_error" in body:
            error = body["rpc_error"]
            raise RpcFault(int(error["code"]), str(error["message"]))
        if not isinstance(body.get("result"), dict):
            raise ConnectionError("the answer could not be read")
        result: dict[str, Any] = body["result"]
        return result

    def close(self) -> None:
        self.closed = True
        self.client.close()
