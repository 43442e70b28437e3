"""The analysis form read with limits that hold while it streams: at most `max_photos` files,
each at most `max_bytes`, a few small fields; a body that stops before its closing boundary is
refused as malformed instead of being read as "no photos"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast, get_args

from starlette.datastructures import FormData, Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from rxlens.config import IntakeSettings
from rxlens.errors import BadFormField, ImageTooLarge, InputError, MalformedMultipart, TooManyPhotos
from rxlens.images.intake import Upload

Engine = Literal["local", "gemini", "hybrid"]
MAX_USER_ID = 128
_MAX_FIELDS = 8
_MAX_FIELD_BYTES = 4096
_NAME_CHARS = 80


def short(name: str | None) -> str:
    """A file name fit for a message: a 5,000-character name is not echoed whole."""
    name = name or "photo"
    return name if len(name) <= _NAME_CHARS else f"{name[: _NAME_CHARS - 13]}…{name[-12:]}"


@dataclass(frozen=True)
class AnalysisForm:
    uploads: list[Upload]
    user_id: str | None
    engine: Engine | None


class _Parser(MultiPartParser):
    """Starlette's parser, counting each file's bytes as they arrive and noting the final boundary."""

    def __init__(self, headers: Headers, request: Request, limits: IntakeSettings) -> None:
        super().__init__(
            headers,
            request.stream(),
            max_files=limits.max_photos,
            max_fields=_MAX_FIELDS,
            max_part_size=_MAX_FIELD_BYTES,
        )
        self.max_file_bytes, self.file_bytes, self.ended = limits.max_bytes, 0, False

    def on_part_begin(self) -> None:
        super().on_part_begin()
        self.file_bytes = 0

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        upload = self._current_part.file
        if upload is not None:
            self.file_bytes += end - start
            if self.file_bytes > self.max_file_bytes:
                limit = self.max_file_bytes / 1e6
                raise ImageTooLarge(f"{short(upload.filename)} is larger than {limit:.0f} MB.")
        super().on_part_data(data, start, end)

    def on_end(self) -> None:
        self.ended = True


def _converted(error: MultiPartException, limits: IntakeSettings) -> InputError:
    text = error.message
    if text.startswith("Too many files"):
        return TooManyPhotos(f"More than {limits.max_photos} files were sent.")
    if text.startswith(("Too many fields", "Field exceeded", "Part exceeded")):
        return BadFormField(f"The form has too many or too large fields ({text})")
    return MalformedMultipart(f"The multipart body could not be read ({text})")


async def _parse(request: Request, limits: IntakeSettings) -> FormData:
    if "multipart/form-data" not in request.headers.get("content-type", ""):
        return FormData()  # no body at all: answered below as "no photos"
    parser = _Parser(request.headers, request, limits)
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise _converted(error, limits) from None
    if not parser.ended:  # the unfinished part's file is in no form item: close every one
        for file in parser._files_to_close_on_error:
            file.close()
        raise MalformedMultipart("The multipart body ends before its closing boundary.")
    return form


def _fields(form: FormData) -> tuple[str | None, Engine | None]:
    user_id, engine = form.get("user_id"), form.get("engine")
    if isinstance(user_id, UploadFile) or isinstance(engine, UploadFile):
        raise BadFormField("`user_id` and `engine` are text fields, not files.")
    if user_id is not None and len(user_id) > MAX_USER_ID:
        raise BadFormField(
            f"`user_id` is {len(user_id)} characters long; at most {MAX_USER_ID} are allowed.",
            hint=f"Send a shorter `user_id` (a label of your own, at most {MAX_USER_ID} characters).",
        )
    if engine is not None and engine not in get_args(Engine):
        raise BadFormField(f"`engine` must be one of {', '.join(get_args(Engine))}.")
    return user_id, cast(Engine | None, engine)


async def read_form(request: Request, limits: IntakeSettings) -> AnalysisForm:
    form = await _parse(request, limits)
    try:
        user_id, engine = _fields(form)
        uploads: list[Upload] = []
        for item in form.getlist("photos"):
            if not isinstance(item, UploadFile):
                raise BadFormField("`photos` must be files (multipart parts with a filename).")
            name = short(item.filename or f"photo-{len(uploads) + 1}")
            uploads.append(Upload(name, await item.read()))
        return AnalysisForm(uploads, user_id, engine)
    finally:
        await form.close()
