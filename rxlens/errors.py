"""The one error tree. Library code raises these; the CLI and the HTTP service convert them, once each.

RxlensError                      500  exit 1
├── InputError                   400  exit 2   the user can fix the request
│   ├── CatalogSourceError       400  exit 2   an import file is not in the expected format
│   ├── NoPhotos                 400  exit 2
│   ├── TooManyPhotos            400  exit 2
│   ├── UnsupportedImage         415  exit 2   not an image, or a format we do not read
│   ├── TruncatedImage           422  exit 2   the file ends before the image does
│   ├── ImageTooLarge            413  exit 2   more bytes than allowed
│   ├── TooManyPixels            413  exit 2   more pixels than allowed (decompression bomb)
│   ├── NotJson                  415  exit 2   a plan request that is not JSON
│   ├── BadRecord                422  exit 2   a file given to `rxlens plan` is not a record
│   ├── BadSignature             400           a LINE webhook without a valid X-Line-Signature
│   ├── LineOff                  404           the LINE channel is not configured
│   └── LinkExpired              403           a 修改 link from LINE past its time, or forged
├── ConfigError                  500  exit 78  the installation is misconfigured
│   └── MissingExtra             501  exit 78  a feature's optional dependencies are not installed
├── CatalogError                 503  exit 3   the catalog cannot be read or written
│   ├── CatalogEmpty             503  exit 3   nothing imported yet
│   └── CatalogDownloadError     502  exit 4   an official export could not be fetched
├── EngineError                  502  exit 5   the OCR engine failed
│   └── EngineTimeout            504  exit 6   the OCR engine did not answer in time
├── StageTimeout                 504  exit 6   another stage, or the whole request, ran out of time
├── TryLater                          exit 7   turned away for now (Retry-After)
│   ├── RateLimited              429           this client sent too many requests
│   └── Overloaded               503           too many analyses in progress
├── QueueUnavailable             503  exit 8   the job queue's broker or Redis does not answer
├── JobNotFound                  404  exit 2   no such job (never, expired, deleted, or another client's)
└── JobFailed                    (the job's)   a queued analysis failed on its worker: its error, as sent
"""

from __future__ import annotations


class RxlensError(Exception):
    status: int = 500
    exit_code: int = 1
    title: str = "Internal error"
    hint: str = "This is a bug in rxlens; please report it."

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    @property
    def code(self) -> str:
        return type(self).__name__


class InputError(RxlensError):
    status, exit_code, title = 400, 2, "Invalid input"
    hint = "Check the input and try again."


class CatalogSourceError(InputError):
    title = "Unreadable catalog source"
    hint = "Give an export in the official TFDA/NHI format or a formulary CSV (see README)."


class ConfigError(RxlensError):
    status, exit_code, title = 500, 78, "Configuration error"
    hint = "Fix the RXLENS_ settings (see README) and start again."


class CatalogError(RxlensError):
    status, exit_code, title = 503, 3, "Drug catalog unavailable"
    hint = "Check that the database is reachable (RXLENS_DATABASE__URL) and run `rxlens catalog init`."


class CatalogEmpty(CatalogError):
    title = "Drug catalog is empty"
    hint = "Run `rxlens catalog init` to load the bundled catalog."


class CatalogDownloadError(CatalogError):
    status, exit_code, title = 502, 4, "Catalog download failed"
    hint = "Check the network connection or import a downloaded file with `rxlens catalog import`."


class NoPhotos(InputError):
    title = "No photos"
    hint = "Send 1 to 5 photos of drug bags or prescription slips."


class TooManyPhotos(InputError):
    title = "Too many photos"
    hint = "Send at most the allowed number of photos per request (RXLENS_INTAKE__MAX_PHOTOS)."


class UnsupportedImage(InputError):
    status, title = 415, "Not a supported image"
    hint = "Send a JPEG, PNG, WebP or HEIC photo."


class TruncatedImage(InputError):
    status, title = 422, "Damaged image"
    hint = "The photo file is incomplete; take or export it again."


class ImageTooLarge(InputError):
    status, title = 413, "Photo file too large"
    hint = "Send a smaller file (a phone photo saved as JPEG is usually a few MB)."


class TooManyPixels(InputError):
    status, title = 413, "Photo has too many pixels"
    hint = "Send a photo of at most the allowed size (RXLENS_INTAKE__MAX_PIXELS); resize it first."


class EngineError(RxlensError):
    status, exit_code, title = 502, 5, "Text recognition failed"
    hint = "Try again; if it keeps failing, check the OCR engine settings (RXLENS_ENGINE)."


class EngineTimeout(EngineError):
    status, exit_code, title = 504, 6, "Text recognition timed out"
    hint = "Try fewer or smaller photos, or raise RXLENS_PIPELINE__OCR_TIMEOUT_SECONDS."


class StageTimeout(RxlensError):
    status, exit_code, title = 504, 6, "Analysis timed out"
    hint = "Try again with fewer photos; if it keeps happening the service is overloaded."


class TryLater(RxlensError):
    """Turned away for now; `retry_after` seconds become the Retry-After header."""

    exit_code = 7

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(TryLater):
    status, title = 429, "Too many requests"
    hint = "Wait a moment before sending more photos."


class Overloaded(TryLater):
    status, title = 503, "Service busy"
    hint = "Too many analyses are running; try again in a few seconds."


# Added for the HTTP edge (issue 9): refusals made before or while the body is read.
class Unauthorized(InputError):
    status, title = 401, "Unknown API key"
    hint = "Send `Authorization: Bearer <key>` with a key made by `rxlens keys new`, or no Authorization."


class NotJson(InputError):
    status, title = 415, "Not JSON"
    hint = 'Send the records as JSON (Content-Type: application/json): {"records": [record, …]}.'


class BadRecord(InputError):
    status, title = 422, "Not a medication record"
    hint = "Give records exactly as `rxlens analyze --json` or POST /v1/analyses return them."


class BadSignature(InputError):
    status, title = 400, "Bad LINE signature"
    hint = "Webhooks are accepted only from LINE, signed with the channel secret (X-Line-Signature)."


class LineOff(InputError):
    status, title = 404, "LINE channel not configured"
    hint = "Set RXLENS_LINE__CHANNEL_SECRET, RXLENS_LINE__CHANNEL_ACCESS_TOKEN and RXLENS_LINE__DATA_KEY."


class LinkExpired(InputError):
    status, title = 403, "Link expired or not valid"
    hint = "Open 修改 again from the LINE chat: a link is valid for 15 minutes."


class NotMultipart(InputError):
    status, title = 415, "Not a multipart form"
    hint = "Send multipart/form-data with each photo as a file in a `photos` field (curl -F photos=@bag.jpg)."


class RequestTooLarge(InputError):
    status, title = 413, "Request too large"
    hint = "Send at most the allowed number of photos, each within the per-photo limit."


class MalformedMultipart(InputError):
    title = "Malformed multipart body"
    hint = "Send a complete multipart/form-data body (a form library or curl -F builds one)."


class BadFormField(InputError):
    title = "Invalid form field"
    hint = "Fields: `photos` (files), `user_id` (a label of at most 128 characters), `engine`."


class StageFailed(RxlensError):
    """A stage raised something that is not an RxlensError: a bug in that stage, never retried."""

    title = "Unexpected error"


# Added for packaging (issue 13): the core install is offline-only; other features are extras.
class MissingExtra(ConfigError):
    """A feature was asked for whose extra (`pip install 'rxlens[<extra>]'`) is not installed."""

    status, title = 501, "Feature not installed"

    def __init__(self, extra: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs rxlens[{extra}], which is not installed.",
            hint=f"Install it with pip install 'rxlens[{extra}]' (from a wheel: 'rxlens-….whl[{extra}]'), "
            "then start again.",
        )
        self.extra = extra


# Added for the job queue (issue 10).
class QueueUnavailable(RxlensError):
    status, exit_code, title = 503, 8, "Job queue unavailable"
    hint = "The job queue (RabbitMQ or Redis) does not answer; try again shortly. Operators: rxlens doctor."


class JobNotFound(InputError):
    status, title = 404, "No such job"
    hint = (
        "Jobs live for RXLENS_QUEUE__JOB_TTL_SECONDS and only for the client that sent them; "
        "send the photos again."
    )


class JobFailed(RxlensError):
    """The error a worker met, carried over the queue: same status, title, code and hint."""

    def __init__(self, problem: dict[str, object]) -> None:
        super().__init__(
            str(problem.get("detail", "The analysis failed.")), str(problem.get("hint", self.hint))
        )
        self.status = int(str(problem.get("status", 500)))
        self.title = str(problem.get("title", self.title))
        self._code = str(problem.get("code", "JobFailed"))

    @property
    def code(self) -> str:
        return self._code
