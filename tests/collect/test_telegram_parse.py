"""Telegram parsing: the preview fixture and the real sample, MTProto fixtures, albums, RPC errors, Telethon."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from civicpulse.collect.http import Exchange, Http, Session
from civicpulse.collect.telegram.client import ChannelPass, TelegramSettings, WebPass
from civicpulse.collect.telegram.errors import RpcFault, fault_error
from civicpulse.collect.telegram.mtproto import Caller
from civicpulse.collect.telegram.parse import page_messages, parse_payload
from civicpulse.collect.telegram.types import shown_count
from civicpulse.collect.telegram.web import parse_preview
from civicpulse.errors import TerminalError, TokenError, TransientError
from civicpulse.records.models import AuthorRecord, PostRecord, SnapshotRecord
from tests.collect.contract import FakeClock

CASES = Path(__file__).resolve().parents[1] / "cases" / "telegram"
SAMPLE = Path("/work/shared/samples/telegram/tme_s_channel_preview.lifemodel.html")
OBSERVED = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)


def stored(method: str, request: dict[str, Any], body: Any) -> str:
    return Exchange("telegram", method, request, 200, orjson.dumps(body).decode(), OBSERVED).payload()


def case(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def by_id(records: list[Any]) -> dict[str, Any]:
    return {str(r.id): r for r in records if not isinstance(r, SnapshotRecord)}


@pytest.mark.parametrize(
    ("shown", "value"),
    [
        ("2.5K", 2500),
        ("10K", 10_000),
        ("1K", 1000),
        ("12.3K", 12_300),
        ("2.5M", 2_500_000),
        ("999", 999),
        ("1 234", 1234),
        ("1\u00a0234\u00a0567", 1_234_567),
        ("1,234", 1234),
        ("1,5K", 1500),
        (" 7 ", 7),
    ],
)
def test_shown_counts(shown: str, value: int) -> None:
    assert shown_count(shown) == value


@pytest.mark.parametrize("text", ["", "views", "K", "1.2.3K", "−5", None])
def test_text_that_is_not_a_count(text: str | None) -> None:
    assert shown_count(text) is None


# -- the web preview ------------------------------------------------------------------------


def test_preview_fixture() -> None:
    html = (CASES / "tme_s_preview.html").read_text(encoding="utf-8")
    page = parse_preview(html)
    assert (page.username, page.subscribers, page.before) == ("akimat_north", 12_300, 241)
    result = parse_payload(stored("t.me/s", {"channel": "akimat_north"}, html))
    assert result.problems == ["message akimat_north/247: time[datetime]: missing or without a zone"]
    snapshots = [r for r in result.records if isinstance(r, SnapshotRecord)]
    assert [(s.account, s.followers, s.posts_total) for s in snapshots] == [("akimat_north", 12_300, None)]
    posts = by_id(result.records)
    assert set(posts) == {"akimat_north/241", "akimat_north/245", "akimat_north/246"}  # service and zone-less left out
    album = posts["akimat_north/241"]
    assert (album.media, album.views, album.likes, album.kind) == ("photo", 12_300, 1200 + 35 + 3, "post")
    assert album.text == "Субботник в парке «Жастар»: спасибо всем!\n\nФото & видео — @akimat_north"
    assert album.published_at == dt.datetime(2024, 3, 6, 8, 0, tzinfo=dt.UTC)
    assert album.url == "https://t.me/akimat_north/241"
    forward = posts["akimat_north/245"]
    assert (forward.kind, forward.repost_of, forward.views) == ("repost", "kz_news/3321", 999)
    assert forward.text == "Дороги области отремонтируют до осени. <b>не тег</b> =1+2"  # not the quoted reply
    assert forward.published_at == dt.datetime(2024, 3, 7, 11, 30, tzinfo=dt.UTC)
    hidden = posts["akimat_north/246"]
    assert (hidden.kind, hidden.repost_of, hidden.media, hidden.views) == ("repost", None, "link", 1_500_000)
    widgets = {m.id: m for m in page.messages}
    assert widgets[241].parts == (241, 242, 243)
    assert widgets[247].published_at is None and widgets[247].media == "poll"


def test_later_preview_pages_carry_no_snapshot() -> None:
    html = (CASES / "tme_s_preview.html").read_text(encoding="utf-8")
    result = parse_payload(stored("t.me/s", {"channel": "akimat_north", "before": 300}, html))
    assert not [r for r in result.records if isinstance(r, SnapshotRecord)]


def test_registry_name_is_the_account_whatever_the_page_says() -> None:
    html = (CASES / "tme_s_preview.html").read_text(encoding="utf-8")
    result = parse_payload(stored("t.me/s", {"channel": "Akimat_North"}, html))
    assert {r.account for r in result.records} == {"Akimat_North"}
    assert "Akimat_North/241" in by_id(result.records)


def test_a_web_pass_stops_at_its_boundary_and_when_no_older_page() -> None:
    html = (CASES / "tme_s_preview.html").read_text(encoding="utf-8")
    page = parse_preview(html)
    early = WebPass("akimat_north", boundary=int(dt.datetime(2024, 3, 1, tzinfo=dt.UTC).timestamp()))
    early.advance(page)
    assert (early.done, early.before) == (False, 241)
    late = WebPass("akimat_north", boundary=int(dt.datetime(2024, 3, 7, tzinfo=dt.UTC).timestamp()))
    late.advance(page)
    assert late.done
    stuck = WebPass("akimat_north", boundary=0, before=241)
    stuck.advance(page)  # the same page again would loop for ever
    assert stuck.done


@pytest.mark.skipif(not SAMPLE.exists(), reason="the real samples are not present")
def test_real_preview_sample() -> None:
    html = SAMPLE.read_text(encoding="utf-8")
    result = parse_payload(stored("t.me/s", {"channel": "test_channel"}, html))
    assert not result.problems
    snapshot = next(r for r in result.records if isinstance(r, SnapshotRecord))
    assert snapshot.followers == 10_000
    posts = by_id(result.records)
    assert set(posts) == {"test_channel/1001", "test_channel/1003", "test_channel/1010"}  # 1002 is in the album
    assert (posts["test_channel/1001"].views, posts["test_channel/1001"].likes) == (2500, 13)
    assert posts["test_channel/1001"].media == "photo"
    assert posts["test_channel/1003"].media == "other"  # "please open Telegram to view this post"
    forward = posts["test_channel/1010"]
    assert (forward.kind, forward.repost_of, forward.views, forward.likes) == (
        "repost",
        "another_channel/500",
        1000,
        35,
    )
    assert forward.text.startswith("This is a forwarded message") and forward.text.count("This is a forwarded") == 1
    assert parse_preview(html).before == 1001


# -- MTProto --------------------------------------------------------------------------------


def test_full_channel_snapshot() -> None:
    result = parse_payload(
        stored("channels.getFullChannel", {"channel": "akimat_north"}, case("channels.getFullChannel.json"))
    )
    assert not result.problems
    assert [(r.account, r.followers) for r in result.records] == [("akimat_north", 18420)]


def test_history_posts_albums_forwards_and_skipped_messages() -> None:
    request = {"channel": "akimat_north", "offset_id": 0, "limit": 100}
    result = parse_payload(stored("messages.getHistory", request, case("messages.getHistory.json")))
    assert not result.problems
    posts = by_id(result.records)
    assert set(posts) == {"akimat_north/245", "akimat_north/244", "akimat_north/241", "akimat_north/239"}
    school = posts["akimat_north/245"]
    assert isinstance(school, PostRecord)
    assert (school.likes, school.comments, school.reposts, school.views) == (87, 3, 6, 4120)
    assert (school.media, school.kind, school.author) == ("photo", "post", None)
    assert school.text == "Сегодня открыли новую школу на 1200 мест.\nПриглашаем на экскурсию!"
    assert school.published_at == dt.datetime(2024, 3, 8, 4, 0, tzinfo=dt.UTC)
    forward = posts["akimat_north/244"]
    assert (forward.kind, forward.repost_of, forward.media) == ("repost", "kz_news/3321", "video")
    album = posts["akimat_north/241"]  # parts 241 and 242 folded; the caption is on 241
    assert (album.text, album.likes, album.views, album.reposts) == ("Фото с субботника", 7, 950, 1)
    assert posts["akimat_north/239"].media == "poll"


def test_a_full_page_leaves_its_trailing_album_to_the_next() -> None:
    body = case("messages.getHistory.json")
    body["messages"].append({**body["messages"][3], "id": 238, "grouped_id": 777})
    full = len(body["messages"])
    # the oldest message of a full page belongs to an album: the album may go on below the page
    assert 238 not in {m.id for m in page_messages(body, full)[0]}
    assert 238 in {m.id for m in page_messages(body, full + 1)[0]}  # not full: the album is complete


def test_the_next_history_page_starts_below_what_was_kept() -> None:
    template = case("messages.getHistory.json")["messages"][0]
    messages = [
        {**template, "id": n, "grouped_id": 777 if n <= 202 else None, "replies": None} for n in range(300, 200, -1)
    ]
    walk = ChannelPass("akimat_north", boundary=0, step="history")
    walk.advance("messages.getHistory", {"messages": messages})
    assert (walk.step, walk.offset_id) == ("history", 203)  # 202 and 201 come again, with the rest of their album
    plain = ChannelPass("akimat_north", boundary=0, step="history")
    plain.advance("messages.getHistory", {"messages": [{**m, "grouped_id": None} for m in messages]})
    assert plain.offset_id == 201
    short = ChannelPass("akimat_north", boundary=0, step="history")
    short.advance("messages.getHistory", {"messages": messages[:40]})
    assert short.step == "done"


def test_threads_are_read_again_only_when_their_count_moved() -> None:
    body = case("messages.getHistory.json")
    walk = ChannelPass("akimat_north", boundary=0, step="history", discussion=True, seen={"245": 3})
    walk.advance("messages.getHistory", body)
    assert walk.jobs == [] and walk.step == "done"
    moved = ChannelPass("akimat_north", boundary=0, step="history", discussion=True, seen={"245": 2})
    moved.advance("messages.getHistory", body)
    assert (moved.jobs, moved.step) == ([[245, 0]], "comments")


def test_replies_comments_threads_and_authors() -> None:
    request = {"channel": "akimat_north", "msg_id": 245, "offset_id": 0, "limit": 100}
    result = parse_payload(stored("messages.getReplies", request, case("messages.getReplies.json")))
    assert not result.problems
    posts = by_id([r for r in result.records if isinstance(r, PostRecord)])
    group = "c1500000002"  # the discussion group has no username
    assert set(posts) == {f"{group}/9012", f"{group}/9013", f"{group}/9014"}
    top = posts[f"{group}/9012"]
    assert (top.account, top.author, top.reply_to, top.kind, top.likes) == (
        "akimat_north",
        "user700000001",
        "akimat_north/245",
        "comment",
        4,
    )
    answer = posts[f"{group}/9013"]
    assert (answer.reply_to, answer.author) == (f"{group}/9012", "channel1500000001")
    assert posts[f"{group}/9014"].text == '=HYPERLINK("http://x")'  # kept as text; exports neutralise it
    authors = {r.id: r for r in result.records if isinstance(r, AuthorRecord)}
    assert authors["user700000001"].handle == "aigul_s" and authors["user700000001"].has_avatar is True
    assert authors["user700000002"].deactivated == "deleted"


def test_ids_meet_the_telegram_desktop_importer() -> None:
    # a post collected and the same post imported from an export have one id: <channel>/<message>
    from civicpulse.importers.tdesktop import Chat, post_fields

    chat = Chat(id=1500000001, type="public_channel", account="akimat_north", username="akimat_north")
    imported = post_fields(chat, {"id": 245, "type": "message", "date_unixtime": "1709870400", "text": "x"})
    request = {"channel": "akimat_north", "offset_id": 0, "limit": 100}
    collected = by_id(parse_payload(stored("messages.getHistory", request, case("messages.getHistory.json"))).records)
    assert imported["id"] in collected and imported["url"] == collected[imported["id"]].url


def test_unreadable_messages_are_problems_not_failures() -> None:
    body = case("messages.getHistory.json")
    body["messages"].append({"_": "Message", "id": "x", "date": "2024-03-01T00:00:00+00:00"})
    body["messages"].append({"_": "Message", "id": 7, "date": "not a date"})
    result = parse_payload(stored("messages.getHistory", {"channel": "a", "limit": 100}, body))
    assert len(result.problems) == 2 and len(by_id(result.records)) == 4


# -- errors and the Caller ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "cls", "label"),
    [
        (RpcFault(420, "FLOOD_WAIT_31"), TransientError, "rate limit"),
        (RpcFault(420, "FLOOD_WAIT", 12), TransientError, "rate limit"),
        (RpcFault(500, "RPC_CALL_FAIL"), TransientError, "server error"),
        (RpcFault(-503, "Timeout"), TransientError, "server error"),
        (RpcFault(401, "AUTH_KEY_UNREGISTERED"), TokenError, "token"),
        (RpcFault(406, "AUTH_KEY_DUPLICATED"), TokenError, "token"),
        (RpcFault(400, "CHANNEL_PRIVATE"), TerminalError, "private"),
        (RpcFault(400, "USERNAME_NOT_OCCUPIED"), TerminalError, "not found"),
        (RpcFault(400, "MSG_ID_INVALID"), TerminalError, "bad request"),
    ],
)
def test_rpc_faults_are_classified(fault: RpcFault, cls: type[Exception], label: str) -> None:
    error = fault_error(fault, "messages.getHistory", "telegram:x")
    assert type(error) is cls and getattr(error, "label", None) == label
    if label == "rate limit":
        assert isinstance(error, TransientError) and error.retry_after == float(fault.seconds or 0)


class ScriptedClient:
    """An MTProto client that answers from a script: a fault to raise, or a result."""

    def __init__(self, script: list[Any]) -> None:
        self.script = script
        self.calls = 0

    def call(self, method: str, params: Any) -> dict[str, Any]:
        self.calls += 1
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        return dict(item)

    def close(self) -> None:
        pass


def caller(script: list[Any], **settings: Any) -> tuple[Caller, FakeClock, ScriptedClient]:
    clock = FakeClock(OBSERVED)
    values = {"token": "s3cr3t-session", "source": "mtproto", "api_id": 1, "api_hash": "h4sh-secret", **settings}
    config = TelegramSettings.model_validate(values)
    http = Http(None, platform="telegram", settings=config, session=Session(clock=clock))  # type: ignore[arg-type]
    client = ScriptedClient(script)
    return Caller(client, http, "telegram"), clock, client


def test_flood_wait_is_honoured_on_the_clock() -> None:
    call, clock, client = caller([RpcFault(420, "FLOOD_WAIT_31"), TimeoutError(), {"ok": True, "at": OBSERVED}])
    exchange = call.call("telegram:x", "messages.getHistory", {"peer": "x"}, {"channel": "x"})
    assert client.calls == 3 and exchange.data == {"ok": True, "at": OBSERVED.isoformat()}
    assert clock.sleeps[0] == pytest.approx(31) and len(clock.sleeps) == 2  # the wait asked, then a backoff
    assert call.http.requests == 3


def test_a_flood_wait_longer_than_max_wait_defers_the_target() -> None:
    call, clock, client = caller([RpcFault(420, "FLOOD_WAIT_86400")], max_wait=300)
    with pytest.raises(TransientError) as raised:
        call.call("telegram:x", "channels.getFullChannel", {"channel": "x"}, {"channel": "x"})
    assert getattr(raised.value, "label", None) == "long wait" and not clock.sleeps and client.calls == 1


def test_secrets_never_leave_the_caller() -> None:
    call, _clock, _client = caller([RpcFault(500, "INTERNAL s3cr3t-session h4sh-secret")], attempts=1)
    with pytest.raises(TransientError) as raised:
        call.call("telegram:x", "channels.getFullChannel", {"channel": "x"}, {"channel": "x"})
    assert "s3cr3t" not in str(raised.value) and "h4sh" not in str(raised.value)
    call, _clock, _client = caller([{"echo": "s3cr3t-session"}])
    exchange = call.call("telegram:x", "channels.getFullChannel", {"channel": "x"}, {"note": "h4sh-secret"})
    assert "s3cr3t" not in exchange.payload() and "h4sh" not in exchange.payload()


def test_mtproto_settings_need_a_login() -> None:
    with pytest.raises(ValueError, match="token, api_id, api_hash"):
        TelegramSettings.model_validate({"source": "mtproto"})
    web = TelegramSettings.model_validate({})
    assert web.source == "web" and web.secret_values() == []


# -- Telethon (the optional extra): requests and errors as the real library builds them -----


def test_telethon_requests_and_error_names() -> None:
    pytest.importorskip("telethon")
    from telethon import errors  # type: ignore[import-untyped]

    from civicpulse.collect.telegram.mtproto import TelethonClient, rpc_name

    client = TelethonClient("", 123456, "0123456789abcdef0123456789abcdef", timeout=10)
    try:
        history = client.request("messages.getHistory", {"peer": "akimat_north", "offset_id": 500, "limit": 100})
        assert type(history).__name__ == "GetHistoryRequest"
        assert (history.peer, history.offset_id, history.limit, history.add_offset) == ("akimat_north", 500, 100, 0)
        replies = client.request(
            "messages.getReplies", {"peer": "akimat_north", "msg_id": 245, "offset_id": 0, "limit": 100}
        )
        assert (type(replies).__name__, replies.msg_id) == ("GetRepliesRequest", 245)
        full = client.request("channels.getFullChannel", {"channel": "akimat_north"})
        assert type(full).__name__ == "GetFullChannelRequest" and full.channel == "akimat_north"
    finally:
        client.close()
    assert rpc_name(errors.ChannelPrivateError(request=None)) == "CHANNEL_PRIVATE"
    assert rpc_name(errors.AuthKeyUnregisteredError(request=None)) == "AUTH_KEY_UNREGISTERED"
    flood = errors.FloodWaitError(request=None, capture=42)
    fault = RpcFault(int(flood.code), rpc_name(flood), flood.seconds)
    error = fault_error(fault, "messages.getHistory", "telegram:x")
    assert isinstance(error, TransientError) and error.retry_after == 42


def test_telethon_to_dict_is_what_the_parser_reads() -> None:
    pytest.importorskip("telethon")
    from telethon.tl import types as t  # type: ignore[import-untyped]

    from civicpulse.collect.telegram.mtproto import json_default

    message = t.Message(
        id=5,
        peer_id=t.PeerChannel(1),
        date=OBSERVED,
        message="текст",
        views=10,
        forwards=2,
        replies=t.MessageReplies(replies=3, replies_pts=1, comments=True, channel_id=2),
        reactions=t.MessageReactions(results=[t.ReactionCount(reaction=t.ReactionEmoji("👍"), count=4)]),
    )
    result = t.messages.ChannelMessages(pts=1, count=1, messages=[message], topics=[], chats=[], users=[])
    body = orjson.loads(orjson.dumps(result.to_dict(), default=json_default))
    posts = by_id(parse_payload(stored("messages.getHistory", {"channel": "ch", "limit": 100}, body)).records)
    post = posts["ch/5"]
    assert (post.text, post.views, post.reposts, post.comments, post.likes) == ("текст", 10, 2, 3, 4)
