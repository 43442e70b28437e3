"""The Messaging API as rxlens uses it, through line-bot-sdk v3's async clients.

LINE's hosts by default; RXLENS_LINE__API_BASE_URL / DATA_API_BASE_URL point them elsewhere (tests
run a local server that speaks the same protocol). Only this module talks to LINE.
"""

from __future__ import annotations

import logging
from typing import Any

from linebot.v3.messaging import (
    AsyncApiClient,
    AsyncMessagingApi,
    AsyncMessagingApiBlob,
    Configuration,
    FlexContainer,
    FlexMessage,
    Message,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException

from rxlens.config import LineSettings

log = logging.getLogger("rxlens.line")


def flex(alt_text: str, container: dict[str, Any]) -> Message:
    return FlexMessage(alt_text=alt_text, contents=FlexContainer.from_dict(container))


def text(body: str) -> Message:
    return TextMessage(text=body)


class LineApi:
    def __init__(self, settings: LineSettings) -> None:
        token = settings.channel_access_token.get_secret_value() if settings.channel_access_token else ""
        self._api = AsyncApiClient(Configuration(host=settings.api_base_url, access_token=token))
        self._data = AsyncApiClient(Configuration(host=settings.data_api_base_url, access_token=token))
        self.messaging = AsyncMessagingApi(self._api)
        self.blob = AsyncMessagingApiBlob(self._data)

    async def content(self, message_id: str) -> bytes:
        return bytes(await self.blob.get_message_content(message_id))

    async def loading(self, chat_id: str, seconds: int) -> None:
        """The typing dots in a one-to-one chat; cosmetic, so a failure is only logged."""
        try:
            await self.messaging.show_loading_animation(
                ShowLoadingAnimationRequest(chat_id=chat_id, loading_seconds=seconds)
            )
        except ApiException as e:
            log.warning("LINE loading animation refused: HTTP %s", e.status)

    async def reply(self, token: str, messages: list[Message]) -> bool:
        """False when LINE refuses the token (used or expired): the caller pushes instead."""
        try:
            await self.messaging.reply_message(ReplyMessageRequest(reply_token=token, messages=messages))
            return True
        except ApiException as e:
            if e.status == 400:
                return False
            raise

    async def push(self, to: str, messages: list[Message], retry_key: str) -> None:
        """A retried push with the same key is delivered once: LINE answers 409 to the repeat."""
        try:
            await self.messaging.push_message(
                PushMessageRequest(to=to, messages=messages), x_line_retry_key=retry_key
            )
        except ApiException as e:
            if e.status != 409:
                raise

    async def close(self) -> None:
        await self._api.close()
        await self._data.close()
