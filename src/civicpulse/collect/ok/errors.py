"""Odnoklassniki REST API error codes mapped to civicpulse's error classes.

OK answers errors with HTTP 200 and ``{"error_code": 102, "error_msg": "PARAM_SESSION_EXPIRED :
Session expired", "error_data": null}`` (also named in the ``invocation-error`` header). Codes:
the list of errors on apiok.ru.

===========  ================================================  ==============================
code         meaning                                           class
===========  ================================================  ==============================
1, 2         UNKNOWN, SERVICE (temporarily unavailable)        TransientError
7, 8, 9      ACTION_BLOCKED, FLOOD_BLOCKED, IP_BLOCKED         TransientError (rate limit)
11           LIMIT_REACHED (a method's call limit)             QuotaExhausted (platform)
101          PARAM_API_KEY (unknown application key)           TokenError (platform)
102          PARAM_SESSION_EXPIRED (the token expired)         TokenError (platform)
103          PARAM_SESSION_KEY (invalid token)                 TokenError (platform)
104, 105     PARAM_SIGNATURE, PARAM_RESIGNATURE (wrong secret) TokenError (platform)
10           PERMISSION_DENIED (closed group, missing right)   TerminalError (target)
300          NOT_FOUND                                         TerminalError (target)
others       e.g. 100 PARAM, 160 PARAM_GROUP_ID                TerminalError (target)
===========  ================================================  ==============================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, NoReturn

from civicpulse.collect.http import labelled
from civicpulse.collect.values import as_int
from civicpulse.errors import QuotaExhausted, TerminalError, TokenError, TransientError

TRANSIENT: Final = frozenset({1, 2, 7, 8, 9})
QUOTA: Final = frozenset({11})
TOKEN: Final = frozenset({101, 102, 103, 104, 105})
LABELS: Final = {
    1: "server error",
    2: "server error",
    7: "rate limit",
    8: "rate limit",
    9: "rate limit",
    10: "private",
    11: "quota",
    100: "bad request",
    160: "bad id",
    300: "deleted",
}
OK_ERROR_MESSAGES: Final = {
    1: "UNKNOWN : Unknown error",
    2: "SERVICE : Service temporary unavailable",
    8: "FLOOD_BLOCKED : Flood blocked",
    10: "PERMISSION_DENIED : Permission denied",
    11: "LIMIT_REACHED : Limit reached",
    100: "PARAM : Invalid parameter",
    102: "PARAM_SESSION_EXPIRED : Session expired",
    103: "PARAM_SESSION_KEY : Invalid session key",
    104: "PARAM_SIGNATURE : Invalid signature",
    300: "NOT_FOUND : Not found",
}


def is_error(data: Any) -> bool:
    return isinstance(data, Mapping) and "error_code" in data


def raise_error(error: Mapping[str, Any], method: str, target: str) -> NoReturn:
    """Raise the civicpulse error for an OK error object (see the table in the module docstring)."""
    code = as_int(error.get("error_code")) or 0
    message = str(error.get("error_msg") or OK_ERROR_MESSAGES.get(code, "no message"))[:300]
    reason = f"{method}: OK error {code}: {message}"
    if code in TRANSIENT:
        raise labelled(TransientError(target, reason), LABELS[code])
    if code in QUOTA:
        raise labelled(QuotaExhausted(target, reason + " (collection resumes on the next run)"), "quota")
    if code in TOKEN:
        hint = " (renew the access token, or check application_key and the secret keys in [collect.ok])"
        raise labelled(TokenError(target, reason + hint), "token")
    raise labelled(TerminalError(target, reason), LABELS.get(code, f"OK error {code}"))
