"""The API's error envelope: `{"errors": [{"code": <7 digits>, "detail": ..., "title": ...}]}`.

The first three digits of `code` are the HTTP status; the codes and titles are the ones sentinelone-api.md §2.3 lists.
"""

from __future__ import annotations

from typing import Any

AUTHENTICATION_FAILED = 4010010
VALIDATION_ERROR = 4000010
ALREADY_EXISTS = 4000030
BAD_REQUEST = 4000040
NOT_FOUND = 4040010
METHOD_NOT_ALLOWED = 4050010
GONE = 4100010
TOO_MANY_REQUESTS = 4290010
INTERNAL_ERROR = 5000010

UPLOAD_EXPIRED_DETAIL = (
    "The requested files do not exist. Fetched files are deleted after 3 days, or earlier if more than 30 files are fetched."
)


class ApiError(Exception):
    """An error answered with the API's error envelope."""

    def __init__(self, status: int, code: int, title: str, detail: str | None) -> None:
        super().__init__(f"{status} {code} {title}: {detail}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.title, self.detail)


def error_body(code: int, title: str, detail: str | None) -> dict[str, Any]:
    return {"errors": [{"code": code, "detail": detail, "title": title}]}


def validation_error(detail: str) -> ApiError:
    return ApiError(400, VALIDATION_ERROR, "Validation Error", detail)


def not_found(detail: str = "Resource not found") -> ApiError:
    return ApiError(404, NOT_FOUND, "Resource not found", detail)


def already_exists(detail: str) -> ApiError:
    return ApiError(400, ALREADY_EXISTS, "Already Exists Error", detail)


def authentication_failed() -> ApiError:
    return ApiError(401, AUTHENTICATION_FAILED, "Authentication Failed", None)


def upload_expired() -> ApiError:
    return ApiError(410, GONE, "Resource not found", UPLOAD_EXPIRED_DETAIL)
