"""The one place where connectors talk HTTP: limits, retries, fault classification, redaction.

Every request of every connector goes through :meth:`Http.call`, which

1. waits for the token bucket of its (platform, token) pair, shared by every connector of a run;
2. refuses to spend more than the configured daily quota (:class:`QuotaExhausted`);
3. sends the request with a timeout and classifies what comes back:

   ===========================================  ==========================================
   what happened                                error
   ===========================================  ==========================================
   timeout, connection refused or reset         :class:`TransientError`
   body cut short, not JSON, an HTML page       :class:`TransientError`
   HTTP 429, HTTP 5xx                           :class:`TransientError` (with Retry-After)
   an error inside a JSON body (VK, Graph API)  whatever the platform's ``check`` raises
   an error ``check`` takes as an answer        the exchange (e.g. comments closed on one video)
   HTTP 401                                     :class:`TokenError` (stops the platform)
   other HTTP 4xx, redirects                    :class:`TerminalError` (stops the target)
   ===========================================  ==========================================

4. retries transient faults with exponential backoff and jitter, or after exactly the wait the
   platform asked for (``Retry-After``, a reset header); a wait longer than ``max_wait`` gives
   the target up until the next run instead of blocking the whole collection.

Secrets never leave this module in clear: URLs, parameters, bodies and messages pass through a
:class:`Redactor` before they are logged, raised or handed back for storage. Time comes from a
:class:`Clock`, so tests run retries and rate limits on a fake clock without sleeping. (That is
why the retry loop is our own few lines rather than ``stamina``: its waits cannot run on an
injected clock, and a ``Retry-After`` must hold the token's bucket for every request, not only
delay the one that got it.)
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

import httpx
import orjson

from civicpulse.collect.settings import ConnectorSettings
from civicpulse.errors import CollectError, QuotaExhausted, TerminalError, TokenError, TransientError
from civicpulse.periods import zone

log = logging.getLogger("civicpulse.collect")

REDACTED = "[redacted]"
# query or form parameters that carry credentials on the platforms we know
SECRET_PARAMS = frozenset(
    {
        "access_token",
        "token",
        "key",
        "api_key",
        "apikey",
        "client_secret",
        "app_secret",
        "appsecret_proof",
        "sig",
        "signature",
        "session_key",
        "session_secret_key",
        "password",
        "secret",
    }
)
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})


class Clock(Protocol):
    """Where the HTTP layer and the runner get time from."""

    def now(self) -> dt.datetime:
        """The current UTC time."""
        ...

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()


class TokenBucket:
    """``rate`` requests per second with bursts of ``burst``; :meth:`hold` blocks everyone until a time.

    Thread-safe: connectors running in threads with the same token share one bucket.
    """

    def __init__(self, rate: float, burst: int, clock: Clock) -> None:
        self.rate = rate
        self.capacity = float(max(1, burst))
        self.clock = clock
        self.tokens = self.capacity
        self.stamp = clock.monotonic()
        self.held_until = 0.0
        self.waited = 0.0
        """Seconds spent waiting in :meth:`acquire`, for reports and tests."""
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Take one token, sleeping until one is available and no hold is in force."""
        while True:
            with self._lock:
                now = self.clock.monotonic()
                self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
                self.stamp = now
                if now < self.held_until:
                    wait = self.held_until - now
                elif self.tokens >= 1.0:
                    self.tokens -= 1.0
                    return
                else:
                    wait = (1.0 - self.tokens) / self.rate
            self.waited += wait
            self.clock.sleep(wait)

    def hold(self, seconds: float) -> None:
        """Send nothing for ``seconds`` from now (the platform asked us to wait)."""
        with self._lock:
            self.held_until = max(self.held_until, self.clock.monotonic() + seconds)


class QuotaLedger(Protocol):
    """Daily quota accounting, kept in the operational state so that it survives runs."""

    def quota_used(self, platform: str, key: str, day: str) -> int: ...

    def charge_quota(self, platform: str, key: str, day: str, units: int) -> None: ...


class MemoryLedger:
    """A ledger that forgets when the process ends (tests, benchmarks)."""

    def __init__(self) -> None:
        self.used: dict[tuple[str, str, str], int] = {}

    def quota_used(self, platform: str, key: str, day: str) -> int:
        return self.used.get((platform, key, day), 0)

    def charge_quota(self, platform: str, key: str, day: str, units: int) -> None:
        self.used[(platform, key, day)] = self.quota_used(platform, key, day) + units


@dataclass
class Session:
    """What the connectors of one run share: the clock, the quota ledger, one limiter per token."""

    clock: Clock = SYSTEM_CLOCK
    ledger: QuotaLedger = field(default_factory=MemoryLedger)
    limiters: dict[tuple[str, str], TokenBucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def limiter(self, platform: str, key: str, rate: float, burst: int) -> TokenBucket:
        """The bucket of ``(platform, key)``, created on first use with ``rate`` and ``burst``."""
        with self._lock:
            bucket = self.limiters.get((platform, key))
            if bucket is None:
                bucket = self.limiters[(platform, key)] = TokenBucket(rate, burst, self.clock)
            return bucket


def token_key(secrets: Sequence[str]) -> str:
    """A short, stable name for a token that reveals nothing about it (limiter and quota key)."""
    if not secrets:
        return "anonymous"
    return hashlib.sha256(secrets[0].encode("utf-8")).hexdigest()[:12]


class Redactor:
    """Removes secrets from text, URLs, parameters and headers."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if secret:
                forms.update({secret, quote(secret, safe=""), quote_plus(secret)})
        # longest first, so a secret that contains another is removed whole
        self.forms = sorted(forms, key=len, reverse=True)

    def text(self, value: str) -> str:
        for form in self.forms:
            if form in value:
                value = value.replace(form, REDACTED)
        return value

    def params(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        if not params:
            return {}
        return {
            k: REDACTED if k.lower() in SECRET_PARAMS else (self.text(v) if isinstance(v, str) else v)
            for k, v in params.items()
        }

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        pairs = [(k, REDACTED if k.lower() in SECRET_PARAMS else v) for k, v in parse_qsl(parts.query, True)]
        return self.text(urlunsplit(parts._replace(query=urlencode(pairs, safe="[]"))))

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {k: REDACTED if k.lower() in SECRET_HEADERS else self.text(v) for k, v in headers.items()}


@dataclass(frozen=True)
class Exchange:
    """One request and the JSON body that answered it: the unit kept in the lake's ``raw`` table.

    ``request`` describes what was asked (redacted, and enough for a parser to know what the body
    holds); ``body`` is the response text exactly as received, secrets redacted; ``data`` is the
    parsed body, for the connector's paging decisions only (never stored).
    """

    platform: str
    method: str
    request: dict[str, Any]
    status: int
    body: str
    fetched_at: dt.datetime
    data: Any = field(default=None, compare=False, repr=False)

    def payload(self) -> str:
        """The stored form: a JSON object whose ``body`` member is the response text, verbatim."""
        head = orjson.dumps(
            {
                "platform": self.platform,
                "method": self.method,
                "request": self.request,
                "status": self.status,
                "fetched_at": self.fetched_at.isoformat(),
            }
        ).decode()
        return head[:-1] + ',"body":' + self.body + "}"


def read_payload(payload: str) -> dict[str, Any]:
    """A stored :meth:`Exchange.payload` as a dict (``body`` parsed), for the pure parsers."""
    data = orjson.loads(payload)
    if not isinstance(data, dict) or "body" not in data:
        raise ValueError("not a civicpulse raw payload (no body member)")
    return data


def payload_time(payload: dict[str, Any]) -> dt.datetime:
    """When a stored exchange was fetched (its observation time)."""
    return dt.datetime.fromisoformat(str(payload["fetched_at"]))


E = TypeVar("E", bound=CollectError)

Check = Callable[[Any, httpx.Response], bool | None]
"""A platform's inspection of a parsed body; raises a :class:`CollectError` for errors in it.

Returning True accepts an error body (HTTP 4xx) as the answer about one item, which the
connector reads and notes (YouTube's ``commentsDisabled`` for one video), instead of failing
the target.
"""


class Http:
    """Requests for one connector: rate-limited, retried, classified and redacted."""

    def __init__(self, client: httpx.Client, *, platform: str, settings: ConnectorSettings, session: Session) -> None:
        self.client = client
        self.platform = platform
        self.settings = settings
        self.clock = session.clock
        self.ledger = session.ledger
        secrets = settings.secret_values()
        self.key = token_key(secrets)
        self.redactor = Redactor(secrets)
        self.limiter = session.limiter(platform, self.key, settings.rate, settings.burst)
        self.requests = 0
        """HTTP requests sent (every try counts), for the run's report."""

    # -- quota -------------------------------------------------------------------------------

    def quota_day(self) -> str:
        return self.clock.now().astimezone(zone(self.settings.quota_reset_tz)).date().isoformat()

    def quota_left(self) -> int | None:
        """Units left today, or None when the platform's quota is not configured."""
        if self.settings.daily_quota is None:
            return None
        used = self.ledger.quota_used(self.platform, self.key, self.quota_day())
        return max(0, self.settings.daily_quota - used)

    # -- requests ----------------------------------------------------------------------------

    def call(
        self,
        target: str,
        *,
        url: str,
        method: str,
        http_method: str = "GET",
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        describe: Mapping[str, Any] | None = None,
        cost: int = 1,
        check: Check | None = None,
    ) -> Exchange:
        """Send one API request, retrying transient faults; returns the exchange or raises.

        ``method`` names the API method for storage and messages; ``describe`` is what the stored
        payload says about the request (default: the redacted ``params`` and ``data``). Raises
        :class:`TransientError` when retries are spent, :class:`TerminalError` or
        :class:`TokenError` at once.
        """
        if describe is None:
            describe = {**self.redactor.params(params), **self.redactor.params(data)}
        description: dict[str, Any] = orjson.loads(self.redactor.text(orjson.dumps(dict(describe)).decode()))
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(target, url, method, http_method, params, data, headers, description, cost, check)
            except TransientError as exc:
                if exc.platform_wide or attempt >= self.settings.attempts:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else self._backoff(attempt)
                if wait > self.settings.max_wait:
                    raise labelled(
                        TransientError(
                            exc.target, f"{exc.reason}; the platform asks to wait {wait:.0f} s", retry_after=wait
                        ),
                        "long wait",
                    ) from None
                log.info(
                    "%s: %s; try %d of %d in %.1f s", exc.target, exc.reason, attempt + 1, self.settings.attempts, wait
                )
                if exc.retry_after is not None:
                    self.limiter.hold(wait)  # every request with this token waits, not just this one
                else:
                    self.clock.sleep(wait)

    def _backoff(self, attempt: int) -> float:
        s = self.settings
        return min(s.backoff_max, s.backoff_initial * 2.0 ** (attempt - 1)) + random.uniform(0, s.backoff_jitter)

    def _once(
        self,
        target: str,
        url: str,
        method: str,
        http_method: str,
        params: Mapping[str, Any] | None,
        data: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        description: dict[str, Any],
        cost: int,
        check: Check | None,
    ) -> Exchange:
        self.limiter.acquire()
        self._charge(target, cost)
        self.requests += 1
        started = self.clock.monotonic()
        try:
            response = self.client.request(
                http_method, url, params=params, data=data, headers=headers, timeout=self.settings.timeout
            )
        except httpx.TimeoutException:
            raise labelled(
                TransientError(target, f"{method}: no answer within {self.settings.timeout:g} s"), "timeout"
            ) from None
        except httpx.RemoteProtocolError:
            raise labelled(
                TransientError(target, f"{method}: the connection closed before the whole body arrived"), "cut body"
            ) from None
        except httpx.TransportError as exc:
            raise labelled(
                TransientError(target, f"{method}: network error ({type(exc).__name__})"), "network"
            ) from None
        log.debug(
            "%s %s -> %d in %.2f s",
            http_method,
            self.redactor.url(str(response.request.url)),
            response.status_code,
            self.clock.monotonic() - started,
        )
        self._watch_window(response)
        return self._classify(target, method, response, description, check)

    def _charge(self, target: str, cost: int) -> None:
        if self.settings.daily_quota is None:
            return
        day = self.quota_day()
        used = self.ledger.quota_used(self.platform, self.key, day)
        if used + cost > self.settings.daily_quota:
            raise QuotaExhausted(
                target,
                f"daily quota spent ({used} of {self.settings.daily_quota} units used on {day}); "
                "collection resumes after the quota resets",
            )
        self.ledger.charge_quota(self.platform, self.key, day, cost)

    def _classify(
        self, target: str, method: str, response: httpx.Response, description: dict[str, Any], check: Check | None
    ) -> Exchange:
        status = response.status_code
        raw = response.content
        data: Any = None
        problem = ""
        content_type = response.headers.get("content-type", "")
        if "html" in content_type or raw.lstrip()[:1] == b"<":
            problem = "an HTML page instead of JSON"
        elif not raw.strip():
            problem = "an empty body"
        else:
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                problem = f"a truncated or non-JSON body ({len(raw)} bytes; {exc.msg} at {exc.pos})"
        wait = self._retry_after(response)
        if status == 429:
            raise labelled(
                TransientError(target, f"{method}: HTTP 429 too many requests", retry_after=wait), "rate limit"
            )
        if status >= 500:
            raise labelled(
                TransientError(target, f"{method}: HTTP {status} server error", retry_after=wait), "server error"
            )
        # errors inside a body (VK sends them with 200, Graph API with 400): the platform knows best
        if data is not None and check is not None:
            try:
                answered = check(data, response)
            except CollectError as exc:
                raise _redacted(exc, self.redactor) from None
            if answered:
                body = self.redactor.text(raw.decode("utf-8", errors="replace"))
                return Exchange(self.platform, method, description, status, body, self.clock.now(), data)
        if status == 401:
            raise TokenError(target, f"{method}: HTTP 401: the token was refused")
        if status >= 400:
            raise labelled(TerminalError(target, f"{method}: HTTP {status}"), f"HTTP {status}")
        if status >= 300:
            location = self.redactor.url(response.headers.get("location", "?"))
            raise labelled(TerminalError(target, f"{method}: HTTP {status} redirect to {location}"), "redirect")
        if data is None:
            raise labelled(TransientError(target, f"{method}: {problem}"), "bad body")
        body = self.redactor.text(raw.decode("utf-8", errors="replace"))
        return Exchange(self.platform, method, description, status, body, self.clock.now(), data)

    def _retry_after(self, response: httpx.Response) -> float | None:
        """Seconds the platform asked us to wait: ``Retry-After`` first, then a reset header."""
        value = response.headers.get("retry-after")
        if value:
            seconds = _seconds(value, self.clock.now())
            if seconds is not None:
                return seconds
        for name in self.settings.reset_headers:
            if name in response.headers:
                seconds = _reset_seconds(response.headers[name], self.clock.now())
                if seconds is not None:
                    return seconds
        return None

    def _watch_window(self, response: httpx.Response) -> None:
        """Pause the token's bucket when a response says the rate window is used up."""
        for name in self.settings.remaining_headers:
            if response.headers.get(name, "").strip() == "0" and response.status_code < 400:
                wait = self._retry_after(response)
                if wait is not None and wait <= self.settings.max_wait:
                    self.limiter.hold(wait)
                return


def _seconds(value: str, now: dt.datetime) -> float | None:
    """``Retry-After`` as seconds: either a number or an HTTP date."""
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _reset_seconds(value: str, now: dt.datetime) -> float | None:
    """A reset header: epoch seconds (X, GitHub) or seconds from now (others)."""
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if number > 1_000_000_000:  # an epoch time, not a duration
        return max(0.0, number - now.timestamp())
    return max(0.0, number)


def _redacted(error: CollectError, redactor: Redactor) -> CollectError:
    """``error`` with secrets removed from its reason (platforms echo request parameters in errors)."""
    error.reason = redactor.text(error.reason)
    error.args = (f"{error.target}: {error.reason}",)
    return error


LABELS: dict[type[CollectError], str] = {
    TokenError: "token",
    QuotaExhausted: "quota",
    TransientError: "transient",
    TerminalError: "terminal",
}


def labelled(error: E, label: str) -> E:
    """``error`` with a short label (``private``, ``timeout``...) that groups skipped targets in reports."""
    error.label = label  # type: ignore[attr-defined]
    return error


def error_label(error: CollectError) -> str:
    """The error's label, else a word for its class."""
    label = getattr(error, "label", None)
    if isinstance(label, str) and label:
        return label
    return next((word for cls, word in LABELS.items() if isinstance(error, cls)), "error")


def describe_error(error: CollectError) -> str:
    """``label: reason`` for reports and the problems table (the label never contains a colon)."""
    return f"{error_label(error).replace(':', ' ')}: {error.reason}"
