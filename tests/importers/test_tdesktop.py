"""Telegram Desktop exports: channel and account exports, streaming, located problems, the real sample."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from civicpulse.cli.main import app
from civicpulse.errors import AlreadyImported, RecordError
from civicpulse.importers.base import run_import
from civicpulse.importers.detect import choose
from civicpulse.importers.jsonstream import JsonScanner, JsonStreamError
from civicpulse.importers.tdesktop import TdesktopImporter, plain_text
from civicpulse.store.home import Home
from tests.conftest import engine_of

CASES = Path(__file__).parents[1] / "cases" / "telegram"
CHANNEL = CASES / "tdesktop_channel.json"
ACCOUNT = CASES / "tdesktop_account.json"
SAMPLE = Path("/work/shared/samples/telegram/tdesktop_result_personal_chat.chat-analytics.json")


def posts_of(home: Home) -> dict[str, dict[str, Any]]:
    engine = engine_of(home)
    rows = engine.to_pylist(engine.latest(engine.table("posts"), ("platform", "id")))
    return {str(r["id"]): r for r in rows}


def raw_of(home: Home) -> dict[str, Any]:
    engine = engine_of(home)
    return {str(r["target"]): json.loads(r["payload"]) for r in engine.to_pylist(engine.table("raw"))}


def fixture_messages(path: Path) -> dict[int, dict[str, Any]]:
    return {m["id"]: m for m in json.loads(path.read_text(encoding="utf-8"))["messages"]}


def export(tmp_path: Path, messages: list[Any], name: str = "result.json", **header: Any) -> Path:
    """A single-chat export laid out as Telegram Desktop writes it (one-space indents)."""
    document = {"name": "Test Channel", "type": "public_channel", "id": 1700000001, **header, "messages": messages}
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def message(message_id: int, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": message_id,
        "type": "message",
        "date": "2024-03-05T10:00:00",
        "date_unixtime": str(1709614800 + message_id),
        "from": "Test Channel",
        "from_id": "channel1700000001",
        "text": f"message {message_id}",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def line_of(path: Path, message_id: object) -> int:
    """The line where the message with ``message_id`` opens (its ``{`` is on the line before ``"id"``)."""
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    wanted = f'"id": {json.dumps(message_id)},'
    return next(n for n, text in enumerate(lines, start=1) if text.strip() == wanted) - 1


def problems(home: Home, path: Path, **options: Any) -> list[str]:
    with pytest.raises(RecordError) as caught:
        run_import(home, path, TdesktopImporter(**options))
    assert home.lake.cut().seq == 0
    return [str(p) for p in caught.value.problems]


# -- the channel export written from the Telegram Desktop source ------------------------------------


def test_channel_export_with_the_channel_username(home: Home) -> None:
    report = run_import(home, CHANNEL, TdesktopImporter(account="@south_gov"))
    source = fixture_messages(CHANNEL)
    posts = posts_of(home)
    # two service messages and one unsupported message are skipped
    kept = [m for m in source.values() if m["type"] == "message"]
    assert report.counts["posts"] == len(kept) == len(posts)
    assert "snapshots" not in report.counts  # an export carries no subscriber count

    first = posts["south_gov/2"]
    assert first["account"] == "south_gov"
    assert first["author"] is None  # the channel posting as itself
    assert first["kind"] == "post"
    assert first["likes"] == sum(r["count"] for r in source[2]["reactions"])
    assert (first["comments"], first["reposts"], first["views"]) == (0, 0, None)
    assert first["published_at"] == dt.datetime.fromtimestamp(int(source[2]["date_unixtime"]), dt.UTC)
    assert first["url"] == "https://t.me/south_gov/2"
    assert first["media"] == "text"

    entities = posts["south_gov/3"]
    assert entities["text"] == "".join(p if isinstance(p, str) else p["text"] for p in source[3]["text"])
    assert entities["media"] == "photo"

    assert posts["south_gov/5"]["kind"] == "repost"
    assert posts["south_gov/5"]["repost_of"] is None  # the export names the source, not its id
    assert posts["south_gov/6"]["reply_to"] == "south_gov/2"
    assert posts["south_gov/6"]["kind"] == "comment"
    assert [posts[f"south_gov/{i}"]["media"] for i in (7, 8, 9)] == ["video", "poll", "document"]


def test_each_reaction_kind_is_kept_in_the_raw_table(home: Home) -> None:
    run_import(home, CHANNEL, TdesktopImporter(account="south_gov"))
    raw = raw_of(home)
    assert raw["telegram:south_gov/2"]["reactions"] == fixture_messages(CHANNEL)[2]["reactions"]
    kinds = {r["type"] for r in raw["telegram:south_gov/2"]["reactions"]}
    assert kinds == {"emoji", "custom_emoji", "paid"}


def test_without_a_username_the_account_is_the_chat_id(home: Home) -> None:
    run_import(home, CHANNEL, TdesktopImporter())
    posts = posts_of(home)
    assert posts["c1712345678/2"]["account"] == "c1712345678"
    assert posts["c1712345678/2"]["url"] == "https://t.me/c/1712345678/2"
    assert posts["c1712345678/6"]["reply_to"] == "c1712345678/2"


def test_account_export_reads_every_chat_and_left_chat(home: Home) -> None:
    # --account names one chat; a whole-account export has many, so each keeps its id
    run_import(home, ACCOUNT, TdesktopImporter(account="ignored"))
    posts = posts_of(home)
    assert sorted(posts) == ["c1500000002/1", "c1600000001/7", "c1798765432/101", "c1798765432/102"]
    comment = posts["c1798765432/102"]
    assert (comment["kind"], comment["reply_to"], comment["author"]) == ("comment", "c1798765432/101", "user5550001")
    assert comment["likes"] == 2
    assert posts["c1798765432/101"]["kind"] == "repost"
    # the linked channel's copy in its discussion group is authored by the channel, not the group
    assert posts["c1798765432/101"]["author"] == "channel1712345678"
    assert posts["c1600000001/7"]["url"] == "https://t.me/c/1600000001/7"


def test_hostile_text_is_kept_verbatim(home: Home) -> None:
    run_import(home, ACCOUNT, TdesktopImporter())
    posts = posts_of(home)
    assert posts["c1798765432/102"]["text"] == "Где именно? <script>alert(1)</script>"
    assert posts["c1600000001/7"]["text"] == '=HYPERLINK("http://evil.example","click")'


def test_views_and_replies_to_other_chats(home: Home, tmp_path: Path) -> None:
    path = export(
        tmp_path,
        [
            message(1, views=1500),
            message(2, reply_to_message_id=9, reply_to_peer_id="channel1712345678"),
            message(3, forwarded_from="Somebody", forwarded_from_id="channel1712345678"),
            message(4, from_id="user42", **{"from": "A person"}),
            message(5, media_type="voice_message", file="(File not included.)"),
            message(6, media_type="sticker", file="sticker.webp", sticker_emoji="👍"),
            message(7, location_information={"latitude": 47.1, "longitude": 51.9}),
        ],
    )
    run_import(home, path, TdesktopImporter(account="test_channel"))
    posts = posts_of(home)
    assert posts["test_channel/1"]["views"] == 1500
    assert posts["test_channel/2"]["reply_to"] == "c1712345678/9"
    assert posts["test_channel/3"]["repost_of"] == "c1712345678"
    assert posts["test_channel/4"]["author"] == "user42"
    assert [posts[f"test_channel/{i}"]["media"] for i in (5, 6, 7)] == ["audio", "other", "other"]


def test_detected_among_the_other_formats(tmp_path: Path) -> None:
    assert choose(CHANNEL).name == "tdesktop"
    assert choose(ACCOUNT).name == "tdesktop"
    canonical = tmp_path / "records.json"
    canonical.write_text('{"record": "post", "platform": "telegram", "messages": []}\n', encoding="utf-8")
    assert choose(canonical).name == "jsonl"


# -- re-import --------------------------------------------------------------------------------------


def test_the_same_export_twice_changes_nothing(home: Home) -> None:
    run_import(home, CHANNEL, TdesktopImporter(account="south_gov"))
    before = (home.lake.cut().seq, posts_of(home))
    with pytest.raises(AlreadyImported):
        run_import(home, CHANNEL, TdesktopImporter(account="south_gov"))
    assert (home.lake.cut().seq, posts_of(home)) == before


def test_a_later_export_updates_the_counts(home: Home, tmp_path: Path) -> None:
    run_import(home, CHANNEL, TdesktopImporter(account="south_gov"), now=dt.datetime(2024, 3, 9, tzinfo=dt.UTC))
    later = json.loads(CHANNEL.read_text(encoding="utf-8"))
    later["messages"][1]["reactions"][0]["count"] += 100
    path = tmp_path / "result.json"
    path.write_text(json.dumps(later, ensure_ascii=False, indent=1), encoding="utf-8")
    run_import(home, path, TdesktopImporter(account="south_gov"), now=dt.datetime(2024, 3, 10, tzinfo=dt.UTC))
    posts = posts_of(home)
    assert posts["south_gov/2"]["likes"] == sum(r["count"] for r in later["messages"][1]["reactions"])
    assert len(posts) == 7


# -- malformed files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"id": "two"}, "id", "expected a number"),
        ({"text": 5}, "text", "expected a string or a list"),
        ({"text": ["ok", 7]}, "text[1]", "expected a string or an entity"),
        ({"reactions": [{"type": "emoji", "count": "many", "emoji": "👍"}]}, "reactions[0].count", "expected a count"),
        ({"reactions": {"👍": 3}}, "reactions", "expected a list"),
        ({"views": -1}, "views", "expected a count"),
        ({"reply_to_message_id": "x"}, "reply_to_message_id", "expected a number"),
        ({"date_unixtime": "yesterday"}, "date_unixtime", "expected epoch seconds"),
        ({"date_unixtime": None}, "date_unixtime", "missing on message 2: the local date '2024-03-05T10:00:00'"),
        ({"type": "story"}, "type", "unknown message type 'story'"),
    ],
)
def test_a_bad_message_names_file_line_path_and_field(
    home: Home, tmp_path: Path, fields: dict[str, Any], field: str, reason: str
) -> None:
    bad = message(2, **fields)
    if fields.get("date_unixtime", 0) is None:
        bad.pop("date_unixtime", None)
    path = export(tmp_path, [message(1), bad, message(3)])
    line = line_of(path, bad["id"])
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}:{line}: messages[1].{field}: "), problem
    assert reason in problem


def test_skip_bad_keeps_the_good_messages(home: Home, tmp_path: Path) -> None:
    path = export(tmp_path, [message(1), message(2, date_unixtime=None), message(3)])
    report = run_import(home, path, TdesktopImporter(), skip_bad=True)
    assert report.counts["posts"] == 2
    assert report.rejected == 1
    assert report.quarantine_path is not None
    (rejected,) = [json.loads(line) for line in report.quarantine_path.read_text().splitlines()]
    assert rejected["line"] == line_of(path, 2)
    assert json.loads(rejected["raw"])["id"] == 2


def test_truncated_export(home: Home, tmp_path: Path) -> None:
    full = export(tmp_path, [message(1), message(2), message(3)])
    text = full.read_text(encoding="utf-8")
    cut = text.index('"message 3"') + 4
    path = tmp_path / "cut.json"
    path.write_text(text[:cut], encoding="utf-8")
    (problem,) = problems(home, path)
    # located where the cut message starts, saying where the file ends
    last_line = text[:cut].count("\n") + 1
    assert problem.startswith(f"{path}:{line_of(full, 3)}: messages[2]: "), problem
    assert f"ends inside a string at line {last_line} (truncated?)" in problem


def test_broken_json_inside_one_message(home: Home, tmp_path: Path) -> None:
    path = export(tmp_path, [message(1), message(2), message(3)])
    text = path.read_text(encoding="utf-8").replace('"text": "message 2"', '"text": "message 2",, "x": tru')
    path.write_text(text, encoding="utf-8")
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}:{line_of(path, 2)}: messages[1]: invalid JSON"), problem


def test_missing_chat_id(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "x", "type": "public_channel", "messages": [message(1)]}, indent=1))
    messages_line = path.read_text().splitlines().index(' "messages": [') + 1
    assert problems(home, path) == [f"{path}:{messages_line}: id: missing before messages"]


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ("[1, 2]", "(document)", "not a Telegram Desktop export"),
        ('{"name": "x", "id": 1}', "messages", "neither messages nor chats.list"),
        ('{"name": "x", "id": 1, "messages": {}}', "messages", "expected an array"),
        ('{"name": "x", "id": 1, "messages": []} trailing', "(document)", "unexpected content"),
        ("", "(document)", "not a Telegram Desktop export"),
    ],
)
def test_not_an_export(home: Home, tmp_path: Path, text: str, field: str, reason: str) -> None:
    path = tmp_path / "result.json"
    path.write_text(text, encoding="utf-8")
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}:1: {field}: "), problem
    assert reason in problem


def test_invalid_utf8_in_a_message(home: Home, tmp_path: Path) -> None:
    path = export(tmp_path, [message(1), message(2, text="PLACEHOLDER")])
    path.write_bytes(path.read_bytes().replace(b"PLACEHOLDER", "Жалоба".encode("cp1251")))
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}:{line_of(path, 2)}: messages[1]: invalid JSON"), problem


# -- the real export in ../shared/samples -------------------------------------------------------------


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared samples not present")
def test_real_personal_chat_export(home: Home, tmp_path: Path) -> None:
    path = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, path)
    sample = fixture_messages(SAMPLE)
    assert choose(path).name == "tdesktop"
    report = run_import(home, path, TdesktopImporter(), skip_bad=True)
    usable = [m for m in sample.values() if m["type"] == "message" and "date_unixtime" in m]
    undated = [m for m in sample.values() if m["type"] == "message" and "date_unixtime" not in m]
    assert report.counts["posts"] == len(usable)
    assert report.rejected == len(undated)
    assert report.quarantine_path is not None
    errors = [e for line in report.quarantine_path.read_text().splitlines() for e in json.loads(line)["errors"]]
    for lost in undated:
        assert any(f"date_unixtime: missing on message {lost['id']}" in e for e in errors)
    posts = posts_of(home)
    assert {p["author"] for p in posts.values()} == {m["from_id"] for m in usable}
    assert {p["media"] for p in posts.values() if p["text"] == ""} == {"photo"}


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared samples not present")
def test_real_entity_list_text_is_joined() -> None:
    mixed = next(m for m in fixture_messages(SAMPLE).values() if isinstance(m["text"], list))
    assert plain_text(mixed["text"]) == "".join(e["text"] for e in mixed["text_entities"])


# -- the streaming scanner ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(json_values, max_size=6),
    chunk=st.integers(min_value=1, max_value=64),
    indent=st.sampled_from([None, 1, 2]),
    ascii_only=st.booleans(),
)
def test_scanner_hands_out_each_value_with_its_line(
    items: list[Any], chunk: int, indent: int | None, ascii_only: bool
) -> None:
    text = json.dumps({"about": {"x": [1, "]}"]}, "messages": items}, indent=indent, ensure_ascii=ascii_only)
    data = text.encode()
    scanner = JsonScanner(io.BytesIO(data), chunk=chunk)
    seen = []
    for key in scanner.object_keys():
        if key != "messages":
            scanner.skip_value()
            continue
        for _ in scanner.array_items():
            raw, line = scanner.read_value()
            seen.append(json.loads(raw))
            start = data.index(raw, sum(len(x) + 1 for x in data.split(b"\n")[: line - 1]))
            assert data[:start].count(b"\n") + 1 == line
    assert scanner.at_end()
    assert seen == items


@pytest.mark.parametrize("cut", [1, 10, 25, 40, 45])
def test_scanner_reports_truncation(cut: int) -> None:
    data = json.dumps({"messages": [{"a": 'x\\"y'}, {"b": [1, 2]}]}).encode()[:cut]
    scanner = JsonScanner(io.BytesIO(data), chunk=3)
    with pytest.raises(JsonStreamError, match=r"truncated|ends"):
        for _ in scanner.object_keys():
            for _ in scanner.array_items():
                scanner.read_value()


# -- through the command line -------------------------------------------------------------------------


def test_cli_import_with_the_channel_username(home: Home) -> None:
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(app, ["--home", str(home.path), "import", str(CHANNEL), "--account", "south_gov"])
    assert result.exit_code == 0, result.output
    assert f"{CHANNEL}: imported 7 posts, 7 raw" in result.output
    assert "south_gov/2" in posts_of(home)
    again = runner.invoke(app, ["--home", str(home.path), "import", str(CHANNEL), "--account", "south_gov"])
    assert again.exit_code == 0
    assert "already imported" in again.output
