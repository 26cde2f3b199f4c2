"""Collection from platform APIs: the connector contract, the HTTP layer, cursors, the run.

* :mod:`civicpulse.collect.base` — what a connector provides (``fetch``, ``fetch_authors``,
  ``parse``) and the types it exchanges with the runner (targets, cursors, pages).
* :mod:`civicpulse.collect.http` — the only code that sends requests: token buckets, retries
  with backoff and jitter, Retry-After, fault classification, redaction of secrets.
* :mod:`civicpulse.collect.settings` — ``[collect.<platform>]`` tables of ``config.toml``.
* :mod:`civicpulse.collect.state` — runs, cursors, results, open problems, quota in SQLite.
* :mod:`civicpulse.collect.run` — a collection run over the registry's targets.
* :mod:`civicpulse.collect.window` — what the passes over official accounts share: their window
  (the boundary, what the last pass left) and the states they write.
* one package per platform (``vk/``...) with ``client.py``, ``parse.py``, ``types.py``, ``errors.py``.

``docs/collect.md`` is the guide for users (tokens, limits) and for connector authors.
"""
