"""The HTTP layer alone, on httpx.MockTransport and a fake clock: limits, retries, classification, redaction."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from civicpulse.collect.http import Exchange, Http, MemoryLedger, Redactor, Session, TokenBucket, read_payload
from civicpulse.collect.settings import ConnectorSettings
from civicpulse.errors import QuotaExhausted, TerminalError, TokenError, TransientError
from tests.collect.contract import FakeClock

SECRET = "s3cr3t-T0KEN/with+chars=="
START = dt.datetime(2024, 3, 10, 23, 59, 0, tzinfo=dt.UTC)


def make(handler: Callable[[httpx.Request], httpx.Response], **settings: Any) -> tuple[Http, FakeClock]:
    clock = FakeClock(START)
    values = {
        "token": SECRET,
        "base_url": "https://api.example",
        "rate": 1000,
        "burst": 1000,
        "backoff_jitter": 0,
        **settings,
    }
    client = httpx.Client(transport=httpx.MockTransport(handler))
    http = Http(
        client,
        platform="test",
        settings=ConnectorSettings.model_validate(values),
        session=Session(clock=clock, ledger=MemoryLedger()),
    )
    return http, clock


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"data": [1, 2]})


def call(http: Http, **kw: Any) -> Exchange:
    return http.call(
        "test:page",
        url="https://api.example/items",
        method="items.list",
        params={"access_token": SECRET, "q": "x"},
        **kw,
    )


def sequence(*responses: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handler


def test_token_bucket_spaces_requests_and_honours_holds() -> None:
    clock = FakeClock(START)
    bucket = TokenBucket(rate=2.0, burst=1, clock=clock)
    for _ in range(5):
        bucket.acquire()
    assert sum(clock.sleeps) == pytest.approx(2.0)  # the first is free, then one every half second
    bucket.hold(10)
    bucket.acquire()
    assert sum(clock.sleeps) == pytest.approx(12.0)
    burst = TokenBucket(rate=1.0, burst=3, clock=FakeClock(START))
    for _ in range(3):
        burst.acquire()
    assert burst.clock.sleeps == []  # type: ignore[attr-defined]


def test_stored_exchange_keeps_the_body_verbatim_and_the_request_redacted() -> None:
    http, _ = make(lambda r: httpx.Response(200, text='{"b": 1,  "echo": "' + SECRET + '"}'))
    exchange = call(http)
    payload = exchange.payload()
    assert SECRET not in payload
    assert '{"b": 1,  "echo": "[redacted]"}' in payload  # spacing as received
    data = read_payload(payload)
    assert data["request"] == {"access_token": "[redacted]", "q": "x"} and data["status"] == 200
    assert data["body"]["echo"] == "[redacted]" and exchange.data["b"] == 1


@pytest.mark.parametrize(
    ("response", "error", "words"),
    [
        (httpx.Response(429, json={}), TransientError, "HTTP 429"),
        (httpx.Response(503, text="down"), TransientError, "HTTP 503"),
        (httpx.Response(200, text="<html><body>502 Bad Gateway</body></html>"), TransientError, "HTML"),
        (httpx.Response(200, text='{"data": [1, 2'), TransientError, "truncated or non-JSON"),
        (httpx.Response(200, text=""), TransientError, "empty body"),
        (httpx.Response(401, json={}), TokenError, "401"),
        (httpx.Response(404, json={}), TerminalError, "404"),
        (
            httpx.Response(302, headers={"location": f"https://login.example/?token={SECRET}&next=1"}),
            TerminalError,
            "redirect to https://login.example/?token=[redacted]&next=1",
        ),
    ],
)
def test_responses_are_classified(response: httpx.Response, error: type[Exception], words: str) -> None:
    http, clock = make(lambda r: response, attempts=3)
    with pytest.raises(error) as caught:
        call(http)
    assert type(caught.value) is error and words in str(caught.value) and SECRET not in str(caught.value)
    transient = issubclass(error, TransientError)
    assert http.requests == (3 if transient else 1)
    assert len(clock.sleeps) == (2 if transient else 0) or response.status_code == 429


def test_network_errors_are_transient_without_the_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}")

    http, _ = make(handler, attempts=2)
    with pytest.raises(TransientError) as caught:
        call(http)
    assert "network error (ConnectError)" in str(caught.value) and SECRET not in str(caught.value)
    assert caught.value.__suppress_context__


def test_backoff_grows_exponentially_up_to_its_maximum() -> None:
    http, clock = make(lambda r: httpx.Response(503), attempts=6, backoff_initial=1, backoff_max=5)
    with pytest.raises(TransientError):
        call(http)
    assert clock.sleeps == [1, 2, 4, 5, 5]


def test_retry_after_seconds_and_http_date_hold_the_token() -> None:
    when = email.utils.format_datetime(START + dt.timedelta(seconds=30), usegmt=True)
    http, clock = make(
        sequence(
            httpx.Response(429, headers={"Retry-After": "12"}),
            httpx.Response(503, headers={"Retry-After": when}),
            httpx.Response(200, json={}),
        )
    )
    call(http)
    assert clock.sleeps == [12, pytest.approx(18)]  # the date is 30 s after the start, 12 s already passed


def test_reset_header_as_epoch_and_remaining_zero_pause() -> None:
    reset = int(START.timestamp()) + 40
    http, clock = make(
        sequence(
            httpx.Response(429, headers={"x-rate-limit-reset": str(reset)}),
            httpx.Response(
                200, json={}, headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset + 60)}
            ),
            httpx.Response(200, json={}),
        )
    )
    call(http)
    assert clock.sleeps == [40]
    call(http)  # the window said 0 left: the next request waits for its reset
    assert clock.sleeps == [40, 60]


def test_a_wait_longer_than_max_wait_gives_the_target_up_at_once() -> None:
    http, clock = make(lambda r: httpx.Response(429, headers={"Retry-After": "3600"}), max_wait=300)
    with pytest.raises(TransientError) as caught:
        call(http)
    assert "asks to wait 3600 s" in str(caught.value) and caught.value.retry_after == 3600
    assert http.requests == 1 and clock.sleeps == []


def test_platform_check_sees_error_bodies_and_its_errors_are_redacted() -> None:
    def check(data: Any, response: httpx.Response) -> None:
        if "error" in data:
            raise TerminalError("test:page", f"platform says {data['error']}")

    http, _ = make(lambda r: httpx.Response(400, json={"error": f"bad token {SECRET}"}))
    with pytest.raises(TerminalError) as caught:
        call(http, check=check)
    assert str(caught.value) == "test:page: platform says bad token [redacted]"


def test_daily_quota_is_spent_then_refused_until_the_next_day() -> None:
    http, clock = make(ok, daily_quota=5, quota_reset_tz="America/Los_Angeles")
    for _ in range(2):
        call(http, cost=2)
    assert http.quota_left() == 1
    with pytest.raises(QuotaExhausted) as caught:
        call(http, cost=2)
    assert caught.value.platform_wide and http.requests == 2
    clock.advance(hours=8)  # 23:59 UTC is 15:59 in Los Angeles: its midnight is 8 hours away
    assert http.quota_left() == 5
    call(http, cost=2)


def test_quota_unknown_without_configuration() -> None:
    http, _ = make(ok)
    call(http)
    assert http.quota_left() is None


def test_redactor_forms() -> None:
    redactor = Redactor([SECRET, ""])
    encoded = "https://x/?access_token=" + "s3cr3t-T0KEN%2Fwith%2Bchars%3D%3D" + "&a=1"
    assert SECRET not in redactor.url(encoded) and "s3cr3t" not in redactor.url(encoded)
    assert redactor.url("https://x/?key=abc&q=1") == "https://x/?key=[redacted]&q=1"
    assert redactor.params({"sig": "abc", "q": f"in {SECRET}"}) == {"sig": "[redacted]", "q": "in [redacted]"}
    assert redactor.headers({"Authorization": "Bearer x", "Accept": "json"}) == {
        "Authorization": "[redacted]",
        "Accept": "json",
    }


def test_logs_never_carry_the_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    http, _ = make(sequence(httpx.Response(503), httpx.Response(200, json={})))
    call(http)
    assert caplog.records and all(SECRET not in r.getMessage() for r in caplog.records)
    assert any("[redacted]" in r.getMessage() for r in caplog.records)  # the URL was logged, redacted
    assert json.dumps([r.getMessage() for r in caplog.records]).count("try 2 of 5") == 1
