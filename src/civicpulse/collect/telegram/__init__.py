"""Telegram: ``client.py`` (web preview and MTProto passes), ``web.py`` (the preview's HTML), ``mtproto.py``.

``parse.py`` maps stored payloads, ``types.py`` reads MTProto objects and shown counts, ``errors.py``
classifies RPC errors.
"""

from civicpulse.collect.telegram.client import TelegramConnector, TelegramSettings

__all__ = ["TelegramConnector", "TelegramSettings"]
