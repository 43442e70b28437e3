"""FastAPI dependency aliases: the services object and admission control live on app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from rxlens.api.limits import ConcurrencyLimiter, RateLimiter
from rxlens.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


def get_concurrency(request: Request) -> ConcurrencyLimiter:
    limiter: ConcurrencyLimiter = request.app.state.concurrency
    return limiter


ServicesDep = Annotated[Services, Depends(get_services)]
RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
ConcurrencyDep = Annotated[ConcurrencyLimiter, Depends(get_concurrency)]
