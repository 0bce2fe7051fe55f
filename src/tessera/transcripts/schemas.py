"""Wire shapes of transcripts (§5.27) and of the signed links Tessera hands out."""

from pydantic import Field

from tessera.core.schemas import Millis, WireModel


class TranscriptLinkOut(WireModel):
    """``GET /public/requests/:rid/link``: the query that opens any format of the transcript
    (``path`` is the widget's page, relative to the server's base URL)."""

    request_id: str
    expires: int
    expires_at: Millis = Field(serialization_alias="expiresAt")
    signature: str
    path: str
