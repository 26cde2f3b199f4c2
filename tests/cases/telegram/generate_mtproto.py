"""Writes the MTProto fixtures of this folder from Telethon's own TL types (run by hand; needs telethon).

The shapes are those of the installed Telethon layer (``TLObject.to_dict()`` written as JSON the way
``to_json`` does: ISO times, base64 bytes); every value is invented. Run from the repository root:
``.venv/bin/python tests/cases/telegram/generate_mtproto.py``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import orjson
from telethon.tl import types as t  # type: ignore[import-untyped]

from civicpulse.collect.telegram.mtproto import json_default

HERE = Path(__file__).resolve().parent


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)  # type: ignore[misc]


def write(name: str, obj: Any) -> None:
    data = orjson.loads(orjson.dumps(obj.to_dict(), default=json_default))
    (HERE / name).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def reactions(pairs: list[tuple[Any, int]]) -> Any:
    return t.MessageReactions(results=[t.ReactionCount(reaction=r, count=c) for r, c in pairs])


def main() -> None:
    chan = t.Channel(
        id=1500000001,
        title="Акимат Северной области",
        photo=t.ChatPhotoEmpty(),
        date=at(2019, 5, 1),
        username="akimat_north",
        broadcast=True,
        access_hash=1234567890123,
    )
    group = t.Channel(
        id=1500000002,
        title="Акимат Северной области — обсуждение",
        photo=t.ChatPhotoEmpty(),
        date=at(2019, 5, 1),
        megagroup=True,
        access_hash=98765,
    )
    source = t.Channel(
        id=1500000099,
        title="Новости Казахстана",
        photo=t.ChatPhotoEmpty(),
        date=at(2018, 1, 1),
        username="kz_news",
        broadcast=True,
        access_hash=555,
    )
    full = t.ChannelFull(
        id=1500000001,
        about="Официальный канал акимата",
        read_inbox_max_id=0,
        read_outbox_max_id=0,
        unread_count=0,
        chat_photo=t.PhotoEmpty(id=0),
        notify_settings=t.PeerNotifySettings(),
        exported_invite=None,
        bot_info=[],
        pts=1,
        participants_count=18420,
        linked_chat_id=1500000002,
        can_view_participants=False,
    )
    write("channels.getFullChannel.json", t.messages.ChatFull(full_chat=full, chats=[chan, group], users=[]))
    peer = t.PeerChannel(1500000001)
    video = t.Document(
        id=2,
        access_hash=1,
        file_reference=b"\x01\x02",
        date=at(2024, 3, 7),
        mime_type="video/mp4",
        size=1000,
        dc_id=2,
        attributes=[t.DocumentAttributeVideo(duration=30, w=640, h=360)],
    )
    poll = t.Poll(id=5, question=t.TextWithEntities("Какой парк?", []), answers=[], hash=0)
    history = [
        t.Message(
            id=245,
            peer_id=peer,
            date=at(2024, 3, 8, 4, 0),
            post=True,
            views=4120,
            forwards=6,
            message="Сегодня открыли новую школу на 1200 мест.\nПриглашаем на экскурсию!",
            replies=t.MessageReplies(replies=3, replies_pts=10, comments=True, channel_id=1500000002),
            reactions=reactions([(t.ReactionEmoji("👍"), 80), (t.ReactionEmoji("❤"), 5), (t.ReactionPaid(), 2)]),
            media=t.MessageMediaPhoto(photo=t.PhotoEmpty(id=1)),
            edit_date=at(2024, 3, 8, 5, 0),
        ),
        t.Message(
            id=244,
            peer_id=peer,
            date=at(2024, 3, 7, 11, 30),
            message="",
            post=True,
            views=2200,
            forwards=0,
            fwd_from=t.MessageFwdHeader(
                date=at(2024, 3, 7, 10, 0), from_id=t.PeerChannel(1500000099), channel_post=3321
            ),
            media=t.MessageMediaDocument(document=video),
        ),
        t.MessageService(id=243, peer_id=peer, date=at(2024, 3, 7, 9, 0), action=t.MessageActionPinMessage()),
        t.Message(
            id=242,
            peer_id=peer,
            date=at(2024, 3, 6, 8, 0),
            message="",
            post=True,
            views=950,
            forwards=0,
            grouped_id=13579,
            media=t.MessageMediaPhoto(photo=t.PhotoEmpty(id=4)),
        ),
        t.Message(
            id=241,
            peer_id=peer,
            date=at(2024, 3, 6, 8, 0),
            message="Фото с субботника",
            post=True,
            views=900,
            forwards=1,
            grouped_id=13579,
            media=t.MessageMediaPhoto(photo=t.PhotoEmpty(id=3)),
            reactions=reactions([(t.ReactionEmoji("🔥"), 7)]),
        ),
        t.MessageEmpty(id=240, peer_id=peer),
        t.Message(
            id=239,
            peer_id=peer,
            date=at(2024, 3, 5, 6, 0),
            message="Опрос: какой парк благоустроить первым?",
            post=True,
            views=1500,
            media=t.MessageMediaPoll(poll=poll, results=t.PollResults()),
        ),
    ]
    write(
        "messages.getHistory.json",
        t.messages.ChannelMessages(pts=20, count=245, messages=history, topics=[], chats=[chan, source], users=[]),
    )
    gpeer = t.PeerChannel(1500000002)
    replies = [
        t.Message(
            id=9014,
            peer_id=gpeer,
            date=at(2024, 3, 8, 8, 0),
            message='=HYPERLINK("http://x")',
            from_id=t.PeerUser(700000002),
            reply_to=t.MessageReplyHeader(reply_to_msg_id=9001),
        ),
        t.Message(
            id=9013,
            peer_id=gpeer,
            date=at(2024, 3, 8, 7, 0),
            message="Осенью, по плану.",
            from_id=t.PeerChannel(1500000001),
            reply_to=t.MessageReplyHeader(reply_to_msg_id=9012, reply_to_top_id=9001),
        ),
        t.Message(
            id=9012,
            peer_id=gpeer,
            date=at(2024, 3, 8, 6, 0),
            message="Спасибо! А когда откроют вторую?",
            from_id=t.PeerUser(700000001),
            reply_to=t.MessageReplyHeader(reply_to_msg_id=9001),
            reactions=reactions([(t.ReactionEmoji("👍"), 4)]),
        ),
    ]
    users = [
        t.User(
            id=700000001,
            first_name="Айгуль",
            last_name="С.",
            username="aigul_s",
            access_hash=1,
            photo=t.UserProfilePhoto(photo_id=1, dc_id=2),
        ),
        t.User(id=700000002, first_name="Deleted Account", deleted=True, access_hash=2),
    ]
    write(
        "messages.getReplies.json",
        t.messages.ChannelMessages(pts=7, count=3, messages=replies, topics=[], chats=[group, chan], users=users),
    )


if __name__ == "__main__":
    main()
