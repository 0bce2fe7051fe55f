"""Wire shapes of users (§5.1, §9.2). The password and reset id never leave the server."""

from pydantic import Field

from tessera.core.schemas import Document, InModel, JsonObject, WireModel


class UserOut(Document):
    """A whole user document, as ``PUT /users`` and sign-up answer it."""

    status: int
    email: str
    firstname: str | None = None
    lastname: str | None = None
    emailverified: bool = False
    phone: str | None = None
    attributes: JsonObject | None = None
    description: str | None = None
    public_email: str | None = None
    public_website: str | None = None


class UserBrief(WireModel):
    """``req.user`` of a registered user: what ``GET /users`` and sign-in return."""

    id: str = Field(serialization_alias="_id")
    email: str
    firstname: str | None = None
    lastname: str | None = None
    emailverified: bool = False


class PublicProfile(WireModel):
    """``GET /users_util/:id``: what anyone may see of a user."""

    id: str = Field(serialization_alias="_id")
    firstname: str | None = None
    lastname: str | None = None
    public_website: str | None = None
    public_email: str | None = None
    description: str | None = None


class UserUpdate(InModel):
    firstname: str | None = None
    lastname: str | None = None
    attributes: JsonObject | None = None
    description: str | None = None
    public_email: str | None = None
    public_website: str | None = None
    phone: str | None = None


class PasswordChange(InModel):
    oldpsw: str = Field(min_length=1)
    newpsw: str = Field(min_length=1)
