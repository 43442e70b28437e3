"""One Gemini client per process: pooled async HTTP on the cloud loop, explicit timeouts, our own
retries and breaker.

Both calls use temperature 0, thinking off and a response schema; the answer is validated by the
same Pydantic model that defined the schema. SDK retries stay off so Retry-After is honoured.
"""

from __future__ import annotations

import time
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from rxlens.cloud.control import Breaker, CloudUnavailable, RateGate, Retryable, with_retries
from rxlens.cloud.loop import CloudLoop
from rxlens.config import GeminiSettings
from rxlens.errors import ConfigError, MissingExtra

try:
    from google import genai
    from google.genai import errors, types
except ImportError as exc:  # the SDK is the [cloud] extra: name it instead of an ImportError
    raise MissingExtra("cloud", "The Gemini engine (RXLENS_ENGINE=gemini or hybrid)") from exc
from rxlens.result import CloudCall as CallUsage

M = TypeVar("M", bound=BaseModel)


def _retry_after(response: Any) -> float | None:
    value = getattr(response, "headers", {}).get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class GeminiClient:
    def __init__(self, settings: GeminiSettings, http: httpx.AsyncClient | None = None) -> None:
        if settings.api_key is None:
            raise ConfigError("The Gemini engine needs RXLENS_GEMINI__API_KEY.")
        self.settings = settings
        self.loop = CloudLoop()
        self.http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(settings.call_timeout_seconds, connect=5.0),
            limits=httpx.Limits(
                max_connections=settings.max_concurrent_calls * 2, max_keepalive_connections=4
            ),
        )
        options = types.HttpOptions(
            base_url=settings.base_url,
            api_version=settings.api_version,
            timeout=int(settings.call_timeout_seconds * 1000),
            httpx_async_client=self.http,
        )
        self.client = genai.Client(api_key=settings.api_key.get_secret_value(), http_options=options)
        self.gate = RateGate(settings.requests_per_minute, settings.max_concurrent_calls)
        self.breaker = Breaker(settings.breaker_failures, settings.breaker_cooldown_seconds)

    async def _once(self, contents: list[Any], schema: type[M], system: str) -> tuple[M, Any]:
        config = types.GenerateContentConfig(
            temperature=0,
            response_mime_type="application/json",
            response_schema=schema,
            thinking_config=types.ThinkingConfig(thinking_budget=0),
            system_instruction=system,
        )
        try:
            response = await self.client.aio.models.generate_content(
                model=self.settings.model, contents=contents, config=config
            )
        except errors.APIError as exc:
            if exc.code == 429 or exc.code >= 500:
                raise Retryable(f"HTTP {exc.code}", _retry_after(exc.response)) from exc
            raise CloudUnavailable(f"Gemini refused the request (HTTP {exc.code}).") from exc
        except httpx.HTTPError as exc:
            raise Retryable(type(exc).__name__) from exc
        try:
            return schema.model_validate_json(response.text or ""), response.usage_metadata
        except ValidationError as exc:
            raise CloudUnavailable("Gemini's answer did not match the schema.") from exc

    async def generate(
        self, name: str, contents: list[Any], schema: type[M], system: str
    ) -> tuple[M, CallUsage]:
        """One call with its retries, awaited on the cloud loop; cancelling the caller ends it."""
        return await self.loop.run(self._generate(name, contents, schema, system))

    async def _generate(
        self, name: str, contents: list[Any], schema: type[M], system: str
    ) -> tuple[M, CallUsage]:
        start = time.perf_counter()
        (parsed, meta), attempts = await with_retries(
            lambda: self._once(contents, schema, system), self.settings, self.gate
        )
        usage = CallUsage(
            name=name,
            attempts=attempts,
            latency_ms=round((time.perf_counter() - start) * 1000, 1),
            tokens_in=getattr(meta, "prompt_token_count", 0) or 0,
            tokens_out=getattr(meta, "candidates_token_count", 0) or 0,
        )
        return parsed, usage

    def close(self) -> None:
        self.client.close()  # the SDK's own sync client, never used for calls
        self.loop.close(self.http.aclose())
