"""Stages that declare what they need, and two schedules for them.

`Parallel` starts every stage as soon as its needs are done; `Sequential` runs them one after
another in the listed order. Same stages, same code: only the schedule differs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rxlens.errors import RxlensError

Results = dict[str, Any]


@dataclass(frozen=True)
class Stage:
    name: str
    needs: tuple[str, ...]
    work: Callable[[Results], Awaitable[Any]]
    timeout: float
    # A degradable stage that fails yields a Degraded value instead of failing the request.
    degradable: bool = False


@dataclass(frozen=True)
class Degraded:
    error: RxlensError


StageCall = Callable[[Stage, Results], Awaitable[Any]]


class Scheduler(Protocol):
    name: str

    async def run(self, stages: Sequence[Stage], call: StageCall) -> Results: ...


class Sequential:
    name = "sequential"

    async def run(self, stages: Sequence[Stage], call: StageCall) -> Results:
        results: Results = {}
        for stage in stages:
            results[stage.name] = await call(stage, {n: results[n] for n in stage.needs})
        return results


class Parallel:
    name = "parallel"

    async def run(self, stages: Sequence[Stage], call: StageCall) -> Results:
        tasks: dict[str, asyncio.Task[Any]] = {}

        async def start(stage: Stage) -> Any:
            inputs = {n: await tasks[n] for n in stage.needs}
            return await call(stage, inputs)

        try:
            async with asyncio.TaskGroup() as group:
                for stage in stages:  # listed so that needs come first
                    tasks[stage.name] = group.create_task(start(stage))
        except BaseExceptionGroup as group_error:
            domain = [e for e in group_error.exceptions if isinstance(e, RxlensError)]
            if domain:
                raise domain[0] from group_error
            raise
        return {name: task.result() for name, task in tasks.items()}


def critical_path(stages: Sequence[Stage], timings: dict[str, float]) -> float:
    """The longest chain of needs: the least wall time a perfect parallel schedule could take."""
    finish: dict[str, float] = {}
    for stage in stages:
        start = max((finish[n] for n in stage.needs), default=0.0)
        finish[stage.name] = start + timings.get(stage.name, 0.0)
    return max(finish.values(), default=0.0)
