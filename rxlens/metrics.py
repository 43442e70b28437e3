"""Prometheus metrics. The replaced system's seven numbers are read off these:

| old name              | PromQL over rxlens metrics                                                   |
|-----------------------|------------------------------------------------------------------------------|
| parallel_success_rate | sum(rate(rxlens_requests_total{mode="parallel",outcome="ok"}[5m]))           |
|                       |   / sum(rate(rxlens_requests_total{mode="parallel",outcome!="client_error"}[5m])) |
| average_time_saved    | rate(rxlens_time_saved_seconds_sum[5m])                                      |
|                       |   / rate(rxlens_time_saved_seconds_count[5m])                                |
| db_query_time         | rxlens_stage_seconds{stage="catalog"} (histogram: _sum/_count, buckets)      |
| ocr_processing_time   | rxlens_stage_seconds{stage="ocr"}                                            |
| parallel_overhead     | rxlens_parallel_overhead_seconds: wall time beyond the critical path          |
| error_count           | sum(rxlens_errors_total) (by kind)                                           |
| fallback_count        | rxlens_fallbacks_total                                                       |

`outcome` is ok, client_error (4xx: the client's input) or server_error (5xx); a client's bad photo
is not a failure of the arm it landed in. Requests refused before an analysis starts (401, 413, 415,
429, 503 from the edge; 400/413 while the form is read) count in rxlens_rejected_requests_total by
`reason` (the problem `code`), not in rxlens_requests_total. A fallback is counted only when the
schedule itself broke; a stage's own error (or bug) is never re-run.

Time saved = sum of stage times − wall time (what running side by side bought); overhead = wall
time − (intake + max(ocr, catalog) + extract), the cost of the scheduling itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_SECONDS = (0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20, 30, 60)


class Metrics:
    """One registry per process (or per test), never the global default one."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "rxlens_requests", "Analyses by mode, arm and outcome", ["mode", "arm", "outcome"], registry=r
        )
        self.request_seconds = Histogram(
            "rxlens_request_seconds", "Analysis wall time", ["mode", "photos"], buckets=_SECONDS, registry=r
        )
        self.stage_seconds = Histogram(
            "rxlens_stage_seconds", "Stage time", ["stage", "mode"], buckets=_SECONDS, registry=r
        )
        self.stage_failures = Counter(
            "rxlens_stage_failures", "Stages that failed or timed out", ["stage", "kind"], registry=r
        )
        self.errors = Counter("rxlens_errors", "Errors by kind", ["kind"], registry=r)
        self.fallbacks = Counter(
            "rxlens_fallbacks",
            "Requests answered another way: a broken parallel schedule run again sequentially, "
            "or the cloud engine replaced by the local one",
            registry=r,
        )
        self.time_saved = Histogram(
            "rxlens_time_saved_seconds",
            "Sum of stages minus wall time",
            ["mode"],
            buckets=_SECONDS,
            registry=r,
        )
        self.overhead = Histogram(
            "rxlens_parallel_overhead_seconds",
            "Wall time beyond the critical path",
            ["mode"],
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1),
            registry=r,
        )
        self.inflight = Gauge(
            "rxlens_inflight_requests", "Analyses in progress", registry=r, multiprocess_mode="livesum"
        )
        self.images = Histogram(
            "rxlens_images_per_request", "Photos per analysis", buckets=(1, 2, 3, 4, 5, 10), registry=r
        )
        self.rejected = Counter(
            "rxlens_rejected_requests",
            "Requests refused before analysis, by problem code",
            ["reason"],
            registry=r,
        )

        self.shared_limits_up = Gauge(
            "rxlens_shared_limits_up",
            "1 while the rate limit is shared through Redis, 0 while this process limits on its own",
            registry=r,
            multiprocess_mode="livemin",
        )
        # The LINE channel: webhooks by outcome (ok, bad_signature, redelivered …), answers by how
        # they went (reply, push, over_quota), reminders pushed.
        self.line_webhooks = Counter("rxlens_line_webhooks", "LINE webhook requests", ["outcome"], registry=r)
        self.line_answers = Counter("rxlens_line_answers", "LINE answers by channel", ["via"], registry=r)
        self.line_reminders = Counter("rxlens_line_reminders", "LINE reminders", ["outcome"], registry=r)

    @contextmanager
    def in_flight(self) -> Iterator[None]:
        self.inflight.inc()
        try:
            yield
        finally:
            self.inflight.dec()

    def exposition(self) -> bytes:
        """With several API processes (`rxlens serve --workers N` sets PROMETHEUS_MULTIPROC_DIR),
        each writes its values to files there and any one of them answers for all."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            merged = CollectorRegistry()
            multiprocess.MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
            return generate_latest(merged)
        return generate_latest(self.registry)
