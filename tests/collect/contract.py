"""The contract every connector passes, on a local fake server with injected faults.

A platform joins by describing its fake in a :class:`FakePlatform` and subclassing
:class:`ConnectorContract` with a ``fake`` fixture (see ``test_vk_contract.py``)::

    class TestVkContract(ConnectorContract):
        @pytest.fixture
        def fake(self) -> FakePlatform:
            return VkPlatform()

Every test runs a real collection (:func:`civicpulse.collect.run.collect`) over loopback HTTP
against the platform's fake, on a fake clock (retries and rate limits do not sleep), and compares
the lake with the fake's ground truth: the latest observation of every post, the snapshots, the
profiled authors. A platform that cannot support a test (no mention search, no authors) lists it
in ``FakePlatform.unsupported`` and the test is skipped with that reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow.parquet as pq
import pytest

from civicpulse.collect.run import CollectOptions, RunReport, TargetOutcome, collect
from civicpulse.collect.state import CollectState
from civicpulse.plugins import connectors
from civicpulse.registry.loader import RegistryText, parse
from civicpulse.store.home import Home
from tests.collect.fakeserver import HTML_ERROR_PAGE, FakeServer, Reply, Request
from tests.collect.vk_fake import Truth

TOKEN_ENV = "CIVICPULSE_TEST_COLLECT_TOKEN"
ROOT = Path(__file__).resolve().parents[2]


class FakePlatform(Protocol):
    """What a platform provides to run the contract suite against its fake."""

    platform: str
    token: str
    now: dt.datetime
    drifts: tuple[str, ...]
    unsupported: dict[str, str]
    """Contract test name -> why this platform cannot pass it (the test is skipped)."""

    def handler(self, drift: str | None = None) -> Callable[[Request], Reply]: ...

    def registry_yaml(self) -> str: ...

    def settings(self, base_url: str) -> dict[str, Any]:
        """The ``[collect.<platform>]`` table without the token (the suite adds a secret reference)."""
        ...

    def truth(self, drift: str | None = None) -> Truth: ...

    def rate_limited(self) -> Reply:
        """The platform's "slow down" answer (HTTP 429 with a wait, VK error 6...)."""
        ...

    def token_expired(self) -> Reply: ...

    def echoing_error(self, token: str) -> Reply:
        """A transient error whose body echoes the request, token included (VK's request_params)."""
        ...

    def bad_targets(self) -> dict[str, str]:
        """Target name -> a word its skip reason must contain (private, deleted pages of the world)."""
        ...

    def target_of(self, request: Request) -> str | None:
        """Which target a request is for (``<platform>:authors`` for profiles), when it can tell."""
        ...


class FakeClock:
    """Time that moves only when the code sleeps; records the sleeps."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start
        self.mono = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> dt.datetime:
        return self.current

    def monotonic(self) -> float:
        return self.mono

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.mono += seconds
        self.current += dt.timedelta(seconds=seconds)

    def advance(self, **delta: float) -> None:
        step = dt.timedelta(**delta)
        self.current += step
        self.mono += step.total_seconds()


def write_home(path: Path, fake: FakePlatform, base_url: str, **settings: Any) -> Home:
    """A data home with the fake's registry and a ``config.toml`` pointing at ``base_url``."""
    home = Home(path)
    text = RegistryText(fake.registry_yaml(), "fake-registry.yaml")
    parse(text)
    home.save_registry(text)
    table = {**fake.settings(base_url), **settings}
    lines = [f"[collect.{fake.platform}]", f'token = {{"$env" = "{TOKEN_ENV}"}}']
    lines += [f"{key} = {_toml(value)}" for key, value in table.items()]
    (path / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return home


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- reading what a collection stored ------------------------------------------------------


def _rows(home: Home, table: str, sql: str) -> list[tuple[Any, ...]]:
    files = home.lake.cut().files[table]
    if not files:
        return []
    con = duckdb.connect()
    return con.execute(sql.replace("{t}", "read_parquet($files)"), {"files": files}).fetchall()


def latest_posts(home: Home, platform: str) -> dict[str, dict[str, Any]]:
    """The latest observation of every post, in the shape of :class:`Truth` posts."""
    rows = _rows(
        home,
        "posts",
        "SELECT id, account, author, epoch(published_at)::BIGINT, text, likes, comments, reposts, views, reply_to,"
        " repost_of, media, kind FROM {t} WHERE platform = '" + platform + "'"
        " QUALIFY row_number() OVER (PARTITION BY id ORDER BY observed_at DESC, _batch DESC, _seq DESC) = 1",
    )
    names = (
        "account",
        "author",
        "published_at",
        "text",
        "likes",
        "comments",
        "reposts",
        "views",
        "reply_to",
        "repost_of",
        "media",
        "kind",
    )
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in rows}


def observations(home: Home, table: str) -> list[tuple[Any, ...]]:
    """Every stored observation without its time and batch: what two equivalent collections share."""
    columns = {
        "posts": "platform, id, account, author, epoch_us(published_at), text, kind, likes, comments, reposts,"
        " views, url, reply_to, repost_of, media",
        "snapshots": "platform, account, followers, posts_total",
        "authors": "platform, id, name, handle, followers, following, has_avatar, deactivated, verified",
    }[table]
    return sorted(_rows(home, table, f"SELECT {columns} FROM {{t}}"), key=repr)


def snapshots(home: Home, platform: str) -> dict[str, tuple[int, int | None]]:
    rows = _rows(
        home,
        "snapshots",
        "SELECT account, followers, posts_total FROM {t} WHERE platform = '"
        + platform
        + "' QUALIFY row_number() OVER (PARTITION BY account ORDER BY observed_at DESC, _batch DESC) = 1",
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def author_ids(home: Home, platform: str) -> set[str]:
    return {r[0] for r in _rows(home, "authors", "SELECT DISTINCT id FROM {t} WHERE platform = '" + platform + "'")}


def raw_payloads(home: Home) -> list[str]:
    return [r[0] for r in _rows(home, "raw", "SELECT payload FROM {t}")]


def outcome(report: RunReport, name: str) -> TargetOutcome:
    return next(o for o in report.outcomes if o.target.name == name)


def assert_matches_truth(home: Home, platform: str, truth: Truth) -> None:
    got = latest_posts(home, platform)
    missing = sorted(set(truth.posts) - set(got))[:5]
    extra = sorted(set(got) - set(truth.posts))[:5]
    assert not missing and not extra, f"missing {missing}, unexpected {extra}"
    wrong = [(key, got[key], want) for key, want in truth.posts.items() if got[key] != want]
    assert not wrong, f"{len(wrong)} posts differ, e.g. {wrong[:2]}"
    assert snapshots(home, platform) == truth.snapshots
    assert author_ids(home, platform) == truth.authors


# -- the suite ------------------------------------------------------------------------------


@dataclass
class Env:
    """A fake server, a data home configured for it and a fake clock."""

    fake: FakePlatform
    server: FakeServer
    home: Home
    clock: FakeClock
    reports: list[RunReport] = field(default_factory=list)

    def run(self, **options: Any) -> RunReport:
        report = collect(self.home, CollectOptions(**options), clock=self.clock)
        self.reports.append(report)
        return report

    def requests(self) -> int:
        return len(self.server.requests)


class ConnectorContract:
    """The shared tests; a subclass provides the ``fake`` fixture."""

    @pytest.fixture
    def fake(self) -> FakePlatform:
        raise NotImplementedError("a platform's test module provides the fake")

    @pytest.fixture(autouse=True)
    def _supported(self, request: pytest.FixtureRequest, fake: FakePlatform) -> None:
        """Skip a test the platform lists in ``unsupported`` (tests that take ``fake`` alone too)."""
        reason = fake.unsupported.get(request.node.originalname)
        if reason:
            pytest.skip(reason)

    @pytest.fixture
    def env(
        self, request: pytest.FixtureRequest, fake: FakePlatform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> Iterator[Env]:
        monkeypatch.setenv(TOKEN_ENV, fake.token)
        drift = getattr(request, "param", None)
        with FakeServer(fake.handler(drift)) as server:
            home = write_home(tmp_path / "home", fake, server.url, timeout=2)
            yield Env(fake, server, home, FakeClock(fake.now))

    def test_connector_is_registered(self, fake: FakePlatform) -> None:
        assert fake.platform in connectors()

    def test_complete_run_matches_truth(self, env: Env) -> None:
        report = env.run()
        assert_matches_truth(env.home, env.fake.platform, env.fake.truth())
        bad = env.fake.bad_targets()
        for item in report.outcomes:
            if item.target.name in bad:
                assert item.status == "skipped" and bad[item.target.name] in (item.reason or ""), item
            else:
                assert item.status == "ok", (item.target.name, item.reason)
        posts = sum(s.new for s in report.summaries if s.kind in ("official", "mentions"))
        assert posts >= len(env.fake.truth().posts)  # a post found by two searches counts in both rows
        assert sum(s.requests for s in report.summaries) == env.requests()

    def test_rerun_observes_again_without_new_items(self, env: Env) -> None:
        first = env.run()
        env.clock.advance(hours=20)
        second = env.run()
        assert_matches_truth(env.home, env.fake.platform, env.fake.truth())
        assert sum(s.new for s in second.summaries) == 0
        assert sum(s.updated for s in second.summaries if s.kind == "official") > 0  # recent posts re-observed
        assert sum(s.requests for s in second.summaries) < sum(s.requests for s in first.summaries)

    @pytest.mark.parametrize(
        "kind",
        [
            "rate_limited",
            "http_429",
            "http_503",
            "timeout",
            "cut_with_length",
            "cut_without_length",
            "not_json",
            "html_page",
            "empty",
        ],
    )
    def test_transient_faults_are_retried(self, env: Env, kind: str) -> None:
        replies = {
            "rate_limited": env.fake.rate_limited(),
            "http_429": Reply(429, '{"error": "slow down"}', {"Retry-After": "7"}),
            "http_503": Reply(503, "Service Unavailable", {"Content-Type": "text/plain"}),
            "timeout": Reply(200, "{}", {"Content-Type": "application/json"}, delay=3.0),
            "cut_with_length": Reply(200, '{"response": [{"count": 1, "items": [', {}, cut=20),
            "cut_without_length": Reply(200, '{"response": [{"count": 1, "items": [', {}, cut=20, cut_length=False),
            "not_json": Reply(200, "Internal error, please retry", {"Content-Type": "text/plain"}),
            "html_page": Reply(200, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
            "empty": Reply(200, b"", {"Content-Type": "application/json"}),
        }
        env.server.inject(replies[kind], times=2)
        report = env.run()
        assert_matches_truth(env.home, env.fake.platform, env.fake.truth())
        assert all(o.status == "ok" or o.target.name in env.fake.bad_targets() for o in report.outcomes)
        assert len(env.clock.sleeps) >= 2 or kind in ("http_429",)
        if kind == "http_429":
            assert sum(env.clock.sleeps) >= 2 * 7  # Retry-After honoured (the bucket held every request)

    def test_persistent_fault_skips_one_target_until_the_next_run(self, env: Env) -> None:
        victim = next(name for name in _official(env) if name not in env.fake.bad_targets())
        env.server.inject(
            Reply(502, HTML_ERROR_PAGE, {"Content-Type": "text/html"}),
            times=10**6,
            when=lambda r: env.fake.target_of(r) == victim,
        )
        report = env.run()
        skipped = outcome(report, victim)
        assert skipped.status == "skipped" and (skipped.reason or "").startswith("server error: ")
        others = [o for o in report.outcomes if o.target.name not in (victim, *env.fake.bad_targets())]
        assert others and all(o.status == "ok" for o in others)
        problems = {p.target: p for p in CollectState(env.home.lake).open_problems()}
        assert problems[victim].error == "TransientError"
        env.server.clear_faults()
        env.clock.advance(hours=1)
        env.run()
        assert_matches_truth(env.home, env.fake.platform, env.fake.truth())
        assert victim not in {p.target for p in CollectState(env.home.lake).open_problems()}

    def test_authors_a_failed_run_left_are_profiled_by_the_next(self, env: Env) -> None:
        authors = f"{env.fake.platform}:authors"
        env.server.inject(
            Reply(503, "busy", {"Content-Type": "text/plain"}),
            times=10**6,
            when=lambda r: env.fake.target_of(r) == authors,
        )
        report = env.run()
        assert outcome(report, authors).status == "skipped"
        assert author_ids(env.home, env.fake.platform) == set()
        env.server.clear_faults()
        env.clock.advance(hours=20)
        env.run()
        assert_matches_truth(env.home, env.fake.platform, env.fake.truth())

    def test_refused_token_stops_the_platform(self, env: Env) -> None:
        env.server.inject(env.fake.token_expired(), times=10**6)
        report = env.run()
        assert report.outcomes and all(o.status == "skipped" for o in report.outcomes)
        assert report.outcomes[0].stop is not None
        first, *rest = report.outcomes
        assert (first.reason or "").startswith("token: ")
        assert all((o.reason or "").startswith("not tried: token: ") for o in rest)
        problems = CollectState(env.home.lake).open_problems()
        assert [p.error for p in problems] == ["TokenError"]
        assert env.requests() == 1  # one refusal is enough: the rest is not tried

    def test_interrupted_run_resumes_without_fetching_twice(self, env: Env) -> None:
        calls = {"n": 0}

        class Crash:
            def platform_started(self, platform: str, targets: int) -> None: ...

            def target_started(self, target: Any) -> None:
                calls["n"] += 1
                if calls["n"] == 3:
                    raise KeyboardInterrupt

            def target_finished(self, outcome: Any) -> None: ...

        with pytest.raises(KeyboardInterrupt):
            collect(env.home, CollectOptions(), clock=env.clock, observer=Crash())
        before = env.requests()
        report = env.run()
        assert report.resumed
        assert sum(o.earlier for o in report.outcomes) == 2
        assert_matches_truth(env.home, env.fake.platform, env.fake.truth())
        # the targets finished before the crash were observed once: one snapshot per account
        accounts = [row[1] for row in observations(env.home, "snapshots")]
        assert len(accounts) == len(set(accounts))
        assert env.requests() > before

    def test_schema_drift(self, fake: FakePlatform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(TOKEN_ENV, fake.token)
        for drift in fake.drifts:
            with FakeServer(fake.handler(drift)) as server:
                home = write_home(tmp_path / drift, fake, server.url)
                report = collect(home, CollectOptions(), clock=FakeClock(fake.now))
                assert_matches_truth(home, fake.platform, fake.truth(drift))
                notes = [n for o in report.outcomes for n in o.notes if "item" in n]
                assert not notes, (drift, notes[:3])

    def test_parse_is_pure_and_reproduces_the_lake(self, env: Env) -> None:
        env.run()
        connector = connectors()[env.fake.platform]
        payloads = raw_payloads(env.home)
        assert payloads
        latest: dict[str, Any] = {}
        for payload in payloads:
            first, second = connector.parse(payload), connector.parse(payload)
            assert first.records == second.records and not first.problems
            for record in first.records:
                if record.record == "post":
                    current = latest.get(str(record.id))
                    if current is None or record.observed_at >= current.observed_at:
                        latest[str(record.id)] = record
        assert set(latest) == set(latest_posts(env.home, env.fake.platform))

    def test_token_never_stored_logged_or_shown(
        self, env: Env, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
    ) -> None:
        caplog.set_level(logging.DEBUG)
        env.server.inject(env.fake.echoing_error(env.fake.token), times=3)
        env.server.inject(env.fake.token_expired(), times=1, when=lambda r: len(env.server.requests) > 40)
        report = env.run()
        env.server.clear_faults()
        env.run()
        token = env.fake.token
        texts = [r.getMessage() for r in caplog.records] + [repr(o) for o in report.outcomes]
        captured = capsys.readouterr()
        texts += [captured.out, captured.err]
        assert not [t for t in texts if token in t]
        assert_token_absent(env.home.path, token)

    @pytest.mark.slow
    def test_sigkill_then_rerun_equals_an_uninterrupted_run(self, fake: FakePlatform, tmp_path: Path) -> None:
        env = {**os.environ, TOKEN_ENV: fake.token}
        # the subprocesses run on the real clock: --since reaches back to the fake world's time
        since = (fake.now - dt.timedelta(days=40)).date().isoformat()
        with FakeServer(fake.handler()) as server:
            whole = write_home(tmp_path / "whole", fake, server.url, commit_every=1)
            done = _cli(whole.path, env, since)
            assert done.returncode == 0, done.stderr
            killed = write_home(tmp_path / "killed", fake, server.url, commit_every=1)
            server.delay = 0.05  # slow enough to be caught in the middle
            process = subprocess.Popen(
                _command(killed.path, since), env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            deadline = time.monotonic() + 120
            # kill once a target is done and another is half done (its pages partly committed)
            while time.monotonic() < deadline and process.poll() is None and not _half_way(killed.path):
                time.sleep(0.01)
            assert process.poll() is None, "the collection ended before it could be killed"
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            assert _half_way(killed.path), "the collection was not killed in the middle of a target"
            server.delay = 0.0
            again = _cli(killed.path, env, since)
            assert again.returncode == 0, again.stderr
            assert "resumed" in again.stdout
            for output in (done.stdout, done.stderr, again.stdout, again.stderr):
                assert fake.token not in output
        for table in ("posts", "snapshots", "authors"):
            assert observations(killed, table) == observations(whole, table), table
        assert_matches_truth(killed, fake.platform, fake.truth())
        assert_token_absent(killed.path, fake.token)


def _official(env: Env) -> list[str]:
    registry = env.home.registry()
    return [f"{a.platform}:{a.id}" for a in registry.accounts if a.platform == env.fake.platform]


def _command(home: Path, since: str) -> list[str]:
    return [sys.executable, "-m", "civicpulse", "--home", str(home), "collect", "--since", since]


def _cli(home: Path, env: dict[str, str], since: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(home, since), env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _half_way(home: Path) -> bool:
    """Whether one target's pass is finished and another's is committed only in part."""
    try:
        with sqlite3.connect(home / "state.sqlite", timeout=5) as conn:
            rows = conn.execute(
                "SELECT c.target, c.finished FROM collect_cursors c LEFT JOIN batches b ON b.id = c.batch_id"
                " WHERE c.batch_id IS NULL OR b.status = 'committed' ORDER BY c.id"
            ).fetchall()
    except sqlite3.Error:  # not created yet
        return False
    latest = dict(rows)
    return 0 in latest.values() and 1 in latest.values()


def assert_token_absent(root: Path, token: str) -> None:
    """The token is in no file under ``root``: not in bytes, not in any Parquet string cell."""
    needle = token.encode()
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        assert needle not in path.read_bytes(), path
        if path.suffix == ".parquet":  # compressed: look inside
            for column in pq.read_table(path).to_pylist():
                assert token not in repr(column), path
