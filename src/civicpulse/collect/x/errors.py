"""X API v2 errors mapped to civicpulse's error classes.

X answers request-level errors with an HTTP status and a problem object (RFC 7807 style:
``{"title", "detail", "type", "status"}``), and errors about one resource of a 200 answer in an
``errors`` array (``{"title", "detail", "type", "resource_type", "resource_id", "value"}``) next
to (or instead of) ``data``. Problem types: developer.x.com "API v2 error messages".

========================================================  ===============  =====================
problem (``type`` ends with) or status                    when             class
========================================================  ===============  =====================
HTTP 429, 5xx                                             any              TransientError (the
                                                                           HTTP layer; waits for
                                                                           ``x-rate-limit-reset``)
HTTP 401, ``client-forbidden``, ``unsupported-            any              TokenError (platform)
authentication``, ``invalid-token``
``usage-capped`` (monthly post cap)                       HTTP 4xx body    QuotaExhausted
``resource-not-found`` (no such user; suspended)          200 ``errors``   TerminalError (target)
``not-authorized-for-resource`` (protected account)       200 ``errors``   TerminalError (target)
others (``invalid-request``...)                           4xx              TerminalError (target)
========================================================  ===============  =====================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, NoReturn

from civicpulse.collect.http import labelled
from civicpulse.errors import QuotaExhausted, TerminalError, TokenError

PROBLEMS: Final = "https://api.twitter.com/2/problems/"
TOKEN_PROBLEMS: Final = frozenset({"client-forbidden", "unsupported-authentication", "invalid-token"})
LABELS: Final = {
    "resource-not-found": "deleted",
    "not-authorized-for-resource": "private",
    "invalid-request": "bad request",
}


def problem_kind(problem: Mapping[str, Any]) -> str:
    """The last part of a problem's ``type`` URI (``resource-not-found``), or its title in lower case."""
    kind = str(problem.get("type") or "")
    if kind.startswith(("http://", "https://")) and "/problems/" in kind:
        return kind.rsplit("/", 1)[-1]
    return str(problem.get("title") or "error").lower().replace(" ", "-")


def describe(problem: Mapping[str, Any]) -> str:
    detail = str(problem.get("detail") or problem.get("message") or problem.get("title") or "no detail")
    return f"{problem_kind(problem)}: {detail[:300]}"


def raise_request_problem(problem: Mapping[str, Any], method: str, target: str) -> NoReturn:
    """Raise for the problem object of a failed request (HTTP 4xx)."""
    kind = problem_kind(problem)
    reason = f"{method}: X error {describe(problem)}"
    if kind in TOKEN_PROBLEMS:
        raise labelled(TokenError(target, reason + " (check the bearer token in [collect.x])"), "token")
    if kind == "usage-capped":
        raise labelled(QuotaExhausted(target, reason + " (the app's monthly post cap is spent)"), "quota")
    raise labelled(TerminalError(target, reason), LABELS.get(kind, f"X {kind}"))


def raise_resource_problem(problem: Mapping[str, Any], method: str, target: str) -> NoReturn:
    """Raise for an ``errors`` entry that stands instead of the asked resource (a 200 answer without data)."""
    kind = problem_kind(problem)
    raise labelled(TerminalError(target, f"{method}: X error {describe(problem)}"), LABELS.get(kind, f"X {kind}"))
