"""Application errors, each knowing its HTTP status and the body Tiledesk answers with.

Tiledesk's bodies are inconsistent (``msg``, ``error``, ``message``, ``err``; with or without
``success``), so every raise site names the key its route uses. The tree::

    AppError                      {"success": false, <key>: <message>, **extra}
    ├── BadRequest                400
    ├── NotAuthenticated          401  (a JSON 401, e.g. a failed sign-in)
    ├── PermissionDenied          403
    ├── NotFound                  404
    ├── Conflict                  409
    ├── PayloadTooLarge           413
    ├── UnsupportedMediaType      415
    ├── InvalidInput              422  {"errors": [{value?, msg, param, location}]}
    ├── InvalidInputMessages      422  {"errors": ["<message>", ...]}
    ├── RateLimited               429
    └── ServerError               500
    Unauthorized                  401  plain text "Unauthorized" (passport's answer)
"""

from typing import Any, ClassVar


class AppError(Exception):
    """Base class: a message, the body key it goes under, and extra body fields."""

    status_code: ClassVar[int] = 500

    def __init__(
        self, message: str, *, key: str = "msg", success: bool | None = False, **extra: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.success = success
        self.extra = extra

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {} if self.success is None else {"success": self.success}
        body[self.key] = self.message
        body.update(self.extra)
        return body

    def headers(self) -> dict[str, str]:
        return {}


class BadRequest(AppError):
    status_code = 400


class NotAuthenticated(AppError):
    status_code = 401


class PermissionDenied(AppError):
    status_code = 403


class NotFound(AppError):
    status_code = 404


class Conflict(AppError):
    status_code = 409


class PayloadTooLarge(AppError):
    status_code = 413


class UnsupportedMediaType(AppError):
    status_code = 415


class RateLimited(AppError):
    status_code = 429

    def __init__(self, message: str, *, retry_after: int, **extra: Any) -> None:
        super().__init__(message, key="error", retry_after=retry_after, **extra)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class ServerError(AppError):
    status_code = 500


class InvalidInput(AppError):
    """express-validator's 422: ``{"errors": [...]}``, one entry per offending field."""

    status_code = 422

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("Invalid value")
        self.errors = errors

    @classmethod
    def field(
        cls, param: str, reason: str, *, value: Any = None, location: str = "body"
    ) -> "InvalidInput":
        entry: dict[str, Any] = {"msg": "Invalid value", "param": param, "location": location}
        if value is not None:
            entry["value"] = value
        entry["reason"] = reason
        return cls([entry])

    def body(self) -> dict[str, Any]:
        return {"errors": self.errors}


class InvalidInputMessages(AppError):
    """The 422 of the few Tiledesk routes that list bare strings instead of express-validator
    entries: ``{"errors": ["text field is required"]}`` (fact sheet §5.5.1)."""

    status_code = 422

    def __init__(self, *messages: str) -> None:
        super().__init__(messages[0])
        self.messages = list(messages)

    def body(self) -> dict[str, Any]:
        return {"errors": self.messages}


class Unauthorized(Exception):
    """No valid credentials: passport answers plain text with a Basic challenge."""

    status_code = 401
