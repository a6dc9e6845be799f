"""Destination kinds by name: the config union and the builder."""

from __future__ import annotations

from typing import Annotated

import aiohttp
from pydantic import Field

from services.notify.destinations.base import Destination, DestinationConfig
from services.notify.destinations.console import ConsoleDestination, ConsoleDestinationConfig
from services.notify.destinations.file import FileDestination, FileDestinationConfig
from services.notify.destinations.slack import SlackDestination, SlackDestinationConfig
from services.notify.destinations.webhook import WebhookDestination, WebhookDestinationConfig

DestinationConfigUnion = Annotated[
    ConsoleDestinationConfig
    | FileDestinationConfig
    | WebhookDestinationConfig
    | SlackDestinationConfig,
    Field(discriminator="kind"),
]

KINDS: dict[type[DestinationConfig], type[Destination]] = {
    ConsoleDestinationConfig: ConsoleDestination,
    FileDestinationConfig: FileDestination,
    WebhookDestinationConfig: WebhookDestination,
    SlackDestinationConfig: SlackDestination,
}

KIND_NAMES = ("console", "file", "webhook", "slack")


def build_destination(config: DestinationConfig, session: aiohttp.ClientSession) -> Destination:
    return KINDS[type(config)](config, session)
