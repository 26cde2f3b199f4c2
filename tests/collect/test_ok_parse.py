"""Odnoklassniki: the request signature against worked examples, settings, parsing of the fixtures, errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from civicpulse.collect.http import Exchange
from civicpulse.collect.ok.client import Call, GroupPass, OkConnector, OkSettings, signature
from civicpulse.collect.ok.errors import raise_error
from civicpulse.collect.ok.parse import parse_payload
from civicpulse.errors import QuotaExhausted, TerminalError, TokenError, TransientError
from civicpulse.records.models import PostRecord, SnapshotRecord

CASES = Path(__file__).resolve().parents[1] / "cases" / "ok"
OBSERVED = dt.datetime(2024, 3, 10, 6, 0, tzinfo=dt.UTC)


def case(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def stored(method: str, request: dict[str, Any], body: Any) -> str:
    return Exchange("ok", method, request, 200, orjson.dumps(body).decode(), OBSERVED).payload()


# -- the signature --------------------------------------------------------------------------
#
# The documented rule (apiok.ru, "REST methods", "Calculating request signature"):
#   secret = md5(access_token + application_secret_key) in lower case (a call in a session);
#   drop access_token; sort the parameters by name; join them as name=value;
#   sig = md5(joined + secret) in lower case.
# Worked example, every step written out (values invented; digests computed once with md5sum):
TOKEN = "tkn1Ab2Cd3Ef4Gh5Ij6Kl7Mn8Op9Qr"
APP_KEY = "CBAKLMNOPQRSTUVWX"
APP_SECRET = "0F1E2D3C4B5A69788796A5B4C3D2E1F0"
SECRET = "331b32733ad2bf76ca22939342223521"  # md5("tkn1Ab2Cd3Ef4Gh5Ij6Kl7Mn8Op9Qr0F1E2D3C4B5A69788796A5B4C3D2E1F0")
JOINED = "application_key=CBAKLMNOPQRSTUVWXfields=uid,members_countformat=jsonmethod=group.getInfouids=53038939046008"
SIG = "242091a74cbb4cae7afcbaf5d8c9b1ea"  # md5(JOINED + SECRET)


def test_worked_example_step_by_step() -> None:
    assert hashlib.md5((TOKEN + APP_SECRET).encode()).hexdigest() == SECRET
    assert hashlib.md5((JOINED + SECRET).encode()).hexdigest() == SIG
    params = {
        "method": "group.getInfo",
        "uids": "53038939046008",
        "fields": "uid,members_count",
        "application_key": APP_KEY,
        "format": "json",
        "access_token": TOKEN,  # left out of the signature
    }
    assert signature(params, SECRET) == SIG
    settings = OkSettings.model_validate(
        {"token": TOKEN, "application_key": APP_KEY, "application_secret_key": APP_SECRET}
    )
    assert settings.signing_secret() == SECRET


def test_the_connector_signs_what_it_sends() -> None:
    settings = OkSettings.model_validate(
        {"token": TOKEN, "application_key": APP_KEY, "application_secret_key": APP_SECRET}
    )
    connector = OkConnector(None, settings)  # type: ignore[arg-type]  # signing needs no client
    sent = connector.signed(Call("group.getInfo", {"uids": "53038939046008", "fields": "uid,members_count"}))
    assert (sent["sig"], sent["access_token"], sent["format"], sent["application_key"]) == (SIG, TOKEN, "json", APP_KEY)


def test_published_worked_examples_of_both_variants() -> None:
    # the example published by the aiookru client's documentation (both signing circuits)
    params = {"application_key": "ABCDEFGHIGKLMNOPK", "format": "json", "method": "events.get"}
    server = OkSettings.model_validate(
        {
            "token": "-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7",
            "application_key": "ABCDEFGHIGKLMNOPK",
            "application_secret_key": "ABC123DEF456GHI789JKL123",
        }
    )
    assert server.signing_secret() == "b1a2b89707a94624c43afae67d59274c"
    assert signature(params, server.signing_secret()) == "232c8eb921951c4dba9b72606f9ddb4c"
    client = OkSettings.model_validate(
        {"token": "t", "application_key": "ABCDEFGHIGKLMNOPK", "session_secret_key": "ae5362b5b588cc7294c2414d71b74d5d"}
    )
    assert signature(params, client.signing_secret()) == "03a41413523ea8092507949d6e711963"


def test_non_ascii_values_are_signed_as_utf8() -> None:
    params = {"method": "x", "q": "Акимат"}
    assert signature(params, "s") == hashlib.md5("method=xq=Акиматs".encode()).hexdigest()


def test_settings_need_a_secret_and_keep_all_of_them_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="application_secret_key or session_secret_key"):
        OkSettings.model_validate({"token": "t", "application_key": "k"})
    monkeypatch.setenv("OK_SECRET_FOR_TEST", "from-the-environment")
    settings = OkSettings.model_validate(
        {"token": "t", "application_key": "k", "application_secret_key": {"$env": "OK_SECRET_FOR_TEST"}}
    )
    assert settings.secret_values() == ["t", "from-the-environment"]
    assert "from-the-environment" not in repr(settings)


# -- parsing --------------------------------------------------------------------------------


def test_group_info_and_counters_snapshots() -> None:
    info = parse_payload(stored("group.getInfo", {"account": "53038939046008"}, case("group.getInfo.json")))
    assert [(r.account, r.followers) for r in info.records] == [("53038939046008", 18420)]
    counters = parse_payload(stored("group.getCounters", {"account": "53038939046008"}, case("group.getCounters.json")))
    assert isinstance(counters.records[0], SnapshotRecord) and counters.records[0].followers == 102694


def test_topics() -> None:
    result = parse_payload(
        stored("mediatopic.getTopics", {"account": "53038939046008"}, case("mediatopic.getTopics.json"))
    )
    assert not result.problems
    posts = {str(r.id): r for r in result.records if isinstance(r, PostRecord)}
    school = posts["156789012345001"]
    assert (school.likes, school.comments, school.reposts, school.views, school.media) == (87, 5, 6, 4120, "photo")
    assert school.published_at == dt.datetime(2024, 3, 8, 4, 0, tzinfo=dt.UTC)
    assert (school.account, school.author) == ("53038939046008", "53038939046008")
    assert school.url == "https://ok.ru/group/53038939046008/topic/156789012345001"
    assert posts["156789012345000"].media == "link"
    reshare = posts["156789012344999"]
    assert (reshare.kind, reshare.repost_of, reshare.text, reshare.views) == (
        "repost",
        "155000000000777",
        "Поделились: итоги сессии маслихата",
        None,
    )


def test_a_topic_without_its_time_is_a_problem() -> None:
    body = case("mediatopic.getTopics.json")
    del body["media_topics"][0]["created_ms"]
    result = parse_payload(stored("mediatopic.getTopics", {"account": "1"}, body))
    assert len(result.problems) == 1 and "created_ms" in result.problems[0] and len(result.records) == 2


def test_group_pass_goes_to_counters_only_when_members_are_missing() -> None:
    walk = GroupPass("53038939046008", boundary=0)
    assert walk.advance(Call("group.getInfo", {}), case("group.getInfo.json")) is None and walk.step == "topics"
    hidden = GroupPass("53038939046008", boundary=0)
    hidden.advance(Call("group.getInfo", {}), [{"uid": "53038939046008", "name": "x"}])
    assert hidden.step == "counters"
    gone = GroupPass("53038939046008", boundary=0)
    assert gone.advance(Call("group.getInfo", {}), []) == (
        "deleted",
        "group.getInfo: no such group (deleted, blocked or a wrong id)",
    )


def test_topics_stop_at_the_boundary_or_the_last_page() -> None:
    body = case("mediatopic.getTopics.json")
    walk = GroupPass("53038939046008", boundary=int(dt.datetime(2024, 3, 7, tzinfo=dt.UTC).timestamp()), step="topics")
    walk.advance(Call("mediatopic.getTopics", {}), body)
    assert walk.done and walk.newest == int(dt.datetime(2024, 3, 8, 4, 0, tzinfo=dt.UTC).timestamp())
    more = GroupPass("53038939046008", boundary=0, step="topics")
    more.advance(Call("mediatopic.getTopics", {}), body)
    assert (more.done, more.anchor) == (False, "LTEyMzQ1Njc4OTo1MA")
    assert more.plan().params["anchor"] == "LTEyMzQ1Njc4OTo1MA" and more.plan().params["direction"] == "FORWARD"


@pytest.mark.parametrize(
    ("name", "cls", "label"),
    [
        ("error_102.json", TokenError, "token"),
        ("error_104.json", TokenError, "token"),
        ("error_8.json", TransientError, "rate limit"),
        ("error_10.json", TerminalError, "private"),
    ],
)
def test_errors(name: str, cls: type[Exception], label: str) -> None:
    with pytest.raises(cls) as raised:
        raise_error(case(name), "mediatopic.getTopics", "ok:1")
    assert getattr(raised.value, "label", None) == label


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (1, TransientError),
        (2, TransientError),
        (7, TransientError),
        (11, QuotaExhausted),
        (103, TokenError),
        (300, TerminalError),
        (100, TerminalError),
    ],
)
def test_error_codes(code: int, cls: type[Exception]) -> None:
    with pytest.raises(cls):
        raise_error({"error_code": code, "error_msg": "x"}, "m", "ok:1")
