"""civicpulse's own plugin: registered through the same entry point third-party plugins use."""

from __future__ import annotations

from civicpulse.collect.facebook import FacebookConnector
from civicpulse.collect.instagram import InstagramConnector
from civicpulse.collect.ok import OkConnector
from civicpulse.collect.telegram import TelegramConnector
from civicpulse.collect.vk import VkConnector
from civicpulse.collect.x import XConnector
from civicpulse.collect.youtube import YoutubeConnector
from civicpulse.enrich import flagging, language, mentions, sentiment, topics
from civicpulse.importers.canonical import CanonicalCsv, CanonicalJsonl
from civicpulse.importers.crowdtangle import CrowdTangleImporter
from civicpulse.importers.instaloader import InstaloaderImporter
from civicpulse.importers.mapped import MappedImporter
from civicpulse.importers.tdesktop import TdesktopImporter
from civicpulse.plugins import Plugin

plugin = Plugin(
    name="builtin",
    # detection tries importers in this order: specific formats before the generic JSONL and CSV
    importers={
        "tdesktop": lambda account=None, **_: TdesktopImporter(account),
        "instaloader": lambda account=None, **_: InstaloaderImporter(account),
        "crowdtangle": lambda encoding="auto", **_: CrowdTangleImporter(encoding),
        "jsonl": lambda **_: CanonicalJsonl(),
        "csv": lambda encoding="auto", **_: CanonicalCsv(encoding),
        "mapped": lambda mapping=None, encoding="auto", **_: MappedImporter(mapping, encoding),
    },
    connectors={
        VkConnector.platform: VkConnector,
        YoutubeConnector.platform: YoutubeConnector,
        FacebookConnector.platform: FacebookConnector,
        InstagramConnector.platform: InstagramConnector,
        XConnector.platform: XConnector,
        OkConnector.platform: OkConnector,
        TelegramConnector.platform: TelegramConnector,
    },
    stages={
        language.STAGE.name: language.STAGE,
        mentions.STAGE.name: mentions.STAGE,
        sentiment.STAGE.name: sentiment.STAGE,
        topics.STAGE.name: topics.STAGE,
    },
    window_stages=flagging.STAGES,
)
