"""Wire shapes of ``/auth`` (§3.5)."""

import re
from typing import Any

from pydantic import Field, field_validator

from tessera.core.schemas import InModel, JsonObject, WireModel
from tessera.users.schemas import UserBrief, UserOut

# validator.js isEmail, in spirit: one @, a dotted domain, no spaces.
EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
PHONE = re.compile(r"^\+?[1-9]\d{1,14}$")


def check_email(value: str) -> str:
    value = value.strip()
    if not EMAIL.match(value) or len(value) > 320:
        raise ValueError("must be a valid e-mail address")
    return value


class SignupIn(InModel):
    email: str
    password: str | None = None
    firstname: str = Field(min_length=1)
    lastname: str = Field(min_length=1)
    phone: str | None = None
    disableEmail: bool = False

    _email = field_validator("email")(check_email)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not PHONE.match(value):
            raise ValueError("must be an E.164 phone number")
        return value


class SigninIn(InModel):
    email: str
    password: str = Field(min_length=1)

    _email = field_validator("email")(check_email)


class AnonymousIn(InModel):
    id_project: str = Field(min_length=1)
    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    attributes: JsonObject | None = None


class CustomTokenIn(InModel):
    id_project: str | None = None


class EmailIn(InModel):
    email: str = Field(min_length=1)


class PasswordIn(InModel):
    password: str = Field(min_length=1)


class SignupOut(WireModel):
    success: bool = True
    msg: str = "Successfully created new user."
    user: UserOut


class SigninOut(WireModel):
    success: bool = True
    token: str
    user: UserBrief
    role: str | None = None


class TokenOut(WireModel):
    """Sign-in answers whose ``user`` is a token payload or a user document."""

    success: bool = True
    token: str
    user: dict[str, Any]


class PasswordChanged(WireModel):
    message: str = "Password change successful"
    user: UserOut


class ResetKeyValid(WireModel):
    message: str = "Valid password reset key"
    user: UserOut
