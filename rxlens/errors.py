"""The one error tree. Library code raises these; the CLI and the HTTP service convert them, once each.

RxlensError                      500  exit 1
├── InputError                   400  exit 2   the user can fix the request
│   └── CatalogSourceError       400  exit 2   an import file is not in the expected format
├── ConfigError                  500  exit 78  the installation is misconfigured
├── CatalogError                 503  exit 3   the catalog cannot be read or written
│   ├── CatalogEmpty             503  exit 3   nothing imported yet
│   └── CatalogDownloadError     502  exit 4   an official export could not be fetched
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
