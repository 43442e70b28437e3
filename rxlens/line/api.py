"""The Messaging API as rxlens uses it, through line-bot-sdk v3's async clients.

LINE's hosts by default; RXLENS_LINE__API_BASE_URL / DATA_API_BASE_URL point them elsewhere (tests
run a local server that speaks the same protocol). Only this module talks to LINE.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal
from urllib.parse import quote

import aiohttp
from linebot.v3.messaging import (
    AsyncApiClient,
    AsyncMessagingApi,
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
from rxlens.errors import ImageTooLarge

log = logging.getLogger("rxlens.line")
CONTENT_SECONDS = 30.0
CALL_SECONDS = 15.0  # the SDK would wait five minutes: too long for an answer or a reminder round
# sent: delivered (or already, under this retry key). refused: LINE will refuse it again (4xx), not
# delivered. limited: 429 (its rate or the month's limit), not delivered. failed: 5xx or no answer,
# perhaps delivered: a retry with the same key is safe, LINE delivers a key once.
Pushed = Literal["sent", "refused", "limited", "failed"]


def flex(alt_text: str, container: dict[str, Any]) -> Message:
    return FlexMessage(alt_text=alt_text, contents=FlexContainer.from_dict(container))


def text(body: str) -> Message:
    return TextMessage(text=body)


class LineApi:
    retry_delays: tuple[float, ...] = (0.5, 2.0)  # between tries of a push LINE failed

    def __init__(self, settings: LineSettings) -> None:
        token = settings.channel_access_token.get_secret_value() if settings.channel_access_token else ""
        self._api = AsyncApiClient(Configuration(host=settings.api_base_url, access_token=token))
        self._data = AsyncApiClient(Configuration(host=settings.data_api_base_url, access_token=token))
        self._data_host, self._auth = (
            settings.data_api_base_url.rstrip("/"),
            {"Authorization": f"Bearer {token}"},
        )
        self.messaging = AsyncMessagingApi(self._api)

    async def content(self, message_id: str, limit: int) -> bytes:
        """A photo's bytes; ImageTooLarge as soon as it passes `limit`. Read here through the SDK's
        own session: the SDK reads any body whole before it returns (and its async client cannot
        hand over an unread one), so a huge file would sit in memory before it could be refused."""
        url = f"{self._data_host}/v2/bot/message/{quote(message_id, safe='')}/content"
        session: aiohttp.ClientSession = self._data.rest_client.pool_manager
        timeout = aiohttp.ClientTimeout(total=CONTENT_SECONDS)
        async with session.get(url, headers=self._auth, timeout=timeout) as response:
            if response.status != 200:
                raise ApiException(status=response.status, reason=response.reason)
            data = bytearray()
            async for chunk in response.content.iter_chunked(1 << 16):
                data += chunk
                if len(data) > limit:
                    response.close()  # the connection dropped, the rest never read
                    raise ImageTooLarge(f"A photo over {limit / 1e6:.0f} MB.")
            return bytes(data)

    async def loading(self, chat_id: str, seconds: int) -> None:
        """The typing dots in a one-to-one chat; cosmetic, so a failure is only logged."""
        try:
            await self.messaging.show_loading_animation(
                ShowLoadingAnimationRequest(chat_id=chat_id, loading_seconds=seconds)
            )
        except ApiException as e:
            log.warning("LINE loading animation refused: HTTP %s", e.status)

    async def reply(self, token: str, messages: list[Message]) -> bool:
        """False when LINE did not take it (the token used or expired, or LINE failing): push instead."""
        try:
            request = ReplyMessageRequest(reply_token=token, messages=messages)
            await self.messaging.reply_message(request, _request_timeout=CALL_SECONDS)
            return True
        except (ApiException, aiohttp.ClientError, TimeoutError) as e:
            if getattr(e, "status", None) != 400:  # 400: an old token, the usual reason to push
                log.warning("LINE reply failed: %s", getattr(e, "status", None) or type(e).__name__)
            return False

    async def push(self, to: str, messages: list[Message], retry_key: str) -> Pushed:
        """Tried again at once, with the same key, while LINE fails (5xx, no answer): LINE
        delivers a key's messages once, answering 409 to a repeat of one it took."""
        request = PushMessageRequest(to=to, messages=messages)
        outcome = await self._push_once(request, retry_key)
        for delay in self.retry_delays:
            if outcome != "failed":
                break
            await asyncio.sleep(delay)
            outcome = await self._push_once(request, retry_key)
        return outcome

    async def _push_once(self, request: PushMessageRequest, retry_key: str) -> Pushed:
        try:
            await self.messaging.push_message(
                request, x_line_retry_key=retry_key, _request_timeout=CALL_SECONDS
            )
            return "sent"
        except ApiException as e:
            if e.status == 409:
                return "sent"
            log.warning("LINE push not taken: HTTP %s", e.status)
            return "limited" if e.status == 429 else "refused" if 400 <= e.status < 500 else "failed"
        except (aiohttp.ClientError, TimeoutError) as e:
            log.warning("LINE push not answered: %s", type(e).__name__)
            return "failed"

    async def close(self) -> None:
        await self._api.close()
        await self._data.close()
