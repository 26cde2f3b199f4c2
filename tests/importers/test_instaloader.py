"""instaloader metadata: ``.json`` and ``.json.xz`` posts, comments files, directories, located problems."""

from __future__ import annotations

import datetime as dt
import json
import lzma
import shutil
from pathlib import Path
from typing import Any

import pytest

from civicpulse.errors import AlreadyImported, RecordError
from civicpulse.importers.base import run_import
from civicpulse.importers.detect import choose
from civicpulse.importers.instaloader import InstaloaderImporter
from civicpulse.store.home import Home
from tests.conftest import engine_of

CASES = Path(__file__).parents[1] / "cases" / "instagram" / "instaloader" / "north_gov"
POST = CASES / "2024-03-05_04-00-00_UTC.json"
COMMENTS = CASES / "2024-03-05_04-00-00_UTC_comments.json"

# A video post as instaloader's compressed files hold it (compact JSON, node first).
VIDEO: dict[str, Any] = {
    "node": {
        "__typename": "GraphVideo",
        "id": "3310000000000000002",
        "shortcode": "C4bVideo123",
        "taken_at_timestamp": 1709697600,
        "is_video": True,
        "video_view_count": 5400,
        "edge_media_preview_like": {"count": 87, "edges": []},
        "edge_media_to_parent_comment": {"count": 5},
        "edge_media_to_caption": {"edges": []},
        "owner": {"id": "4250000001", "username": "north_gov"},
    },
    "instaloader": {"version": "4.10.3", "node_type": "Post"},
}

# The same fields as newer instaloader versions write them from the iPhone API.
IPHONE: dict[str, Any] = {
    "node": {
        "code": "C4cReel4567",
        "taken_at": 1709784000,
        "like_count": 15,
        "comment_count": 1,
        "caption": {"text": "Reels"},
        "user": {"pk": "4250000001", "username": "north_gov"},
        "media_type": 2,
        "play_count": 990,
    },
    "instaloader": {"version": "4.13", "node_type": "Post"},
}


def posts_of(home: Home) -> dict[str, dict[str, Any]]:
    engine = engine_of(home)
    rows = engine.to_pylist(engine.latest(engine.table("posts"), ("platform", "id")))
    return {str(r["id"]): r for r in rows}


def write_xz(path: Path, document: object) -> Path:
    path.write_bytes(lzma.compress(json.dumps(document, separators=(",", ":")).encode(), check=lzma.CHECK_NONE))
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An instaloader target directory: a post with comments, a profile, a compressed video post."""
    target = tmp_path / "north_gov"
    shutil.copytree(CASES, target)
    write_xz(target / "2024-03-06_04-00-00_UTC.json.xz", VIDEO)
    (target / "2024-03-05_04-00-00_UTC.jpg").write_bytes(b"\xff\xd8 not read")
    return target


def problems(home: Home, path: Path, **options: Any) -> list[str]:
    with pytest.raises(RecordError) as caught:
        run_import(home, path, InstaloaderImporter(**options))
    assert home.lake.cut().seq == 0
    return [str(p) for p in caught.value.problems]


def test_a_directory_is_one_batch(home: Home, folder: Path) -> None:
    assert choose(folder).name == "instaloader"
    report = run_import(home, folder, InstaloaderImporter())
    posts = posts_of(home)
    source = json.loads(POST.read_text(encoding="utf-8"))["node"]
    photo = posts["C4aBcDeFgHi"]
    assert photo["account"] == source["owner"]["username"].lower()
    assert photo["text"] == source["edge_media_to_caption"]["edges"][0]["node"]["text"]
    assert (photo["likes"], photo["comments"], photo["reposts"]) == (
        source["edge_media_preview_like"]["count"],
        source["edge_media_to_comment"]["count"],
        0,
    )
    assert photo["published_at"] == dt.datetime.fromtimestamp(source["taken_at_timestamp"], dt.UTC)
    assert (photo["media"], photo["views"]) == ("photo", None)
    assert photo["url"] == "https://www.instagram.com/p/C4aBcDeFgHi/"

    video = posts["C4bVideo123"]
    assert (video["media"], video["views"], video["comments"]) == ("video", 5400, 5)

    comment = posts["17900000000000001"]
    answer = posts["17900000000000002"]
    assert (comment["kind"], comment["reply_to"], comment["account"]) == ("comment", "C4aBcDeFgHi", "north_gov")
    assert (comment["author"], comment["likes"], comment["comments"]) == ("aigerim_k", 4, 1)
    assert (answer["reply_to"], answer["author"]) == ("17900000000000001", "north_gov")
    # the profile file is skipped: it carries no observation time for a snapshot
    assert report.counts == {"posts": 4, "raw": 4}


def test_the_untouched_metadata_is_kept_raw(home: Home, folder: Path) -> None:
    run_import(home, folder, InstaloaderImporter())
    engine = engine_of(home)
    raw = {r["target"]: json.loads(r["payload"]) for r in engine.to_pylist(engine.table("raw"))}
    assert raw["instagram:C4aBcDeFgHi"] == json.loads(POST.read_text(encoding="utf-8"))
    assert raw["instagram:C4bVideo123"] == VIDEO


def test_single_files_plain_and_compressed(home: Home, tmp_path: Path) -> None:
    xz = write_xz(tmp_path / "2024-03-07_04-00-00_UTC.json.xz", IPHONE)
    assert choose(POST).name == "instaloader"
    assert choose(xz).name == "instaloader"
    run_import(home, POST, InstaloaderImporter())
    run_import(home, xz, InstaloaderImporter())
    reel = posts_of(home)["C4cReel4567"]
    assert (reel["likes"], reel["comments"], reel["views"], reel["media"], reel["text"]) == (
        15,
        1,
        990,
        "video",
        "Reels",
    )
    assert reel["account"] == "north_gov"


def test_a_comments_file_alone_finds_its_post_beside_it(home: Home) -> None:
    assert choose(COMMENTS).name == "instaloader"
    run_import(home, COMMENTS, InstaloaderImporter())
    assert {p["reply_to"] for p in posts_of(home).values()} == {"C4aBcDeFgHi", "17900000000000001"}


def test_hostile_captions_and_comments_are_verbatim(home: Home, folder: Path) -> None:
    run_import(home, folder, InstaloaderImporter())
    posts = posts_of(home)
    assert posts["C4aBcDeFgHi"]["text"] == "Жаңа мектеп ашылды! #білім <b>@north_gov</b>"
    assert posts["17900000000000001"]["text"] == "Рахмет! =1+1"


def test_the_same_directory_twice_changes_nothing(home: Home, folder: Path) -> None:
    run_import(home, folder, InstaloaderImporter())
    before = (home.lake.cut().seq, posts_of(home))
    with pytest.raises(AlreadyImported):
        run_import(home, folder, InstaloaderImporter())
    assert (home.lake.cut().seq, posts_of(home)) == before


def test_new_counts_in_a_later_download_win(home: Home, folder: Path) -> None:
    run_import(home, folder, InstaloaderImporter(), now=dt.datetime(2024, 3, 8, tzinfo=dt.UTC))
    later = json.loads(POST.read_text(encoding="utf-8"))
    later["node"]["edge_media_preview_like"]["count"] = 400
    (folder / POST.name).write_text(json.dumps(later, indent=4, sort_keys=True), encoding="utf-8")
    run_import(home, folder, InstaloaderImporter(), now=dt.datetime(2024, 3, 9, tzinfo=dt.UTC))
    posts = posts_of(home)
    assert posts["C4aBcDeFgHi"]["likes"] == 400
    assert len(posts) == 4


def bad_post(tmp_path: Path, change: Any) -> Path:
    document = json.loads(POST.read_text(encoding="utf-8"))
    change(document["node"])
    path = tmp_path / POST.name
    path.write_text(json.dumps(document, indent=4, sort_keys=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (lambda n: n["edge_media_preview_like"].update(count="many"), "node.edge_media_preview_like.count", "count"),
        (lambda n: n.pop("edge_media_preview_like"), "node.edge_media_preview_like.count", "missing"),
        (lambda n: n["edge_media_to_comment"].update(count=-1), "node.edge_media_to_comment.count", "count"),
        (lambda n: n.pop("taken_at_timestamp"), "node.taken_at_timestamp", "missing"),
        (lambda n: n.update(taken_at_timestamp="2024-03-05"), "node.taken_at_timestamp", "epoch seconds"),
        (lambda n: n.pop("shortcode"), "node.shortcode", "missing"),
        (lambda n: n.pop("owner"), "node.owner.username", "give --account"),
        (lambda n: n["owner"].update(username=7), "node.owner.username", "expected a user name"),
        (
            lambda n: n["edge_media_to_caption"]["edges"][0]["node"].update(text=["x"]),
            "node.edge_media_to_caption.edges[0].node.text",
            "expected text",
        ),
    ],
)
def test_a_bad_post_names_file_and_field(home: Home, tmp_path: Path, change: Any, field: str, reason: str) -> None:
    path = bad_post(tmp_path, change)
    (problem,) = problems(home, path)
    assert problem.startswith(f"{path}: {field}"), problem
    assert reason in problem


def test_account_option_fills_a_missing_owner(home: Home, tmp_path: Path) -> None:
    path = bad_post(tmp_path, lambda n: n.pop("owner"))
    run_import(home, path, InstaloaderImporter(account="@North_Gov"))
    assert posts_of(home)["C4aBcDeFgHi"]["account"] == "north_gov"


def test_truncated_files(home: Home, tmp_path: Path) -> None:
    text = POST.read_text(encoding="utf-8")
    cut = tmp_path / POST.name
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    (problem,) = problems(home, cut)
    last_line = text[: len(text) // 2].count("\n") + 1
    assert problem.startswith(f"{cut}:{last_line}: (file): invalid JSON"), problem

    xz = write_xz(tmp_path / "2024-03-06_04-00-00_UTC.json.xz", VIDEO)
    xz.write_bytes(xz.read_bytes()[:40])
    (problem,) = problems(home, xz)
    assert problem.startswith(f"{xz}: (file): cannot decompress"), problem


def test_problems_in_comments(home: Home, folder: Path) -> None:
    comments = json.loads(COMMENTS.read_text(encoding="utf-8"))
    comments[0]["answers"][0]["created_at"] = "soon"
    (folder / COMMENTS.name).write_text(json.dumps(comments), encoding="utf-8")
    (problem,) = problems(home, folder)
    assert problem == f"{folder / COMMENTS.name}: [0].answers[0].created_at: expected epoch seconds, got 'soon'"


def test_comments_without_their_post(home: Home, tmp_path: Path) -> None:
    lonely = tmp_path / "2024-01-01_00-00-00_UTC_comments.json"
    shutil.copy(COMMENTS, lonely)
    (problem,) = problems(home, lonely, account=None)
    assert problem.startswith(f"{lonely}: (file): no post metadata beside it"), problem


def test_not_an_instaloader_file(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"instaloader": "no", "node_type": 1}', encoding="utf-8")
    assert problems(home, path) == [
        f"{path}: instaloader: not an instaloader structure (expected 'node' and 'instaloader' objects)"
    ]
    canonical = tmp_path / "records.json"
    canonical.write_text('{"record": "post"}\n', encoding="utf-8")
    assert choose(canonical).name == "jsonl"
