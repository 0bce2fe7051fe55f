"""Route dispatch by path segment.

FastAPI matches a request against every route in order, so its cost grows with the size of
the API (Tiledesk's has about 300 routes). Tessera splits the routes into small FastAPI
applications, one per URL family, and picks the family with a dictionary lookup on a path
segment: matching costs the same for the first route and the last.
"""

from starlette.types import ASGIApp, Receive, Scope, Send


class SegmentDispatcher:
    """Sends a request to the application registered for path segment ``index`` (0 is the
    first segment after ``/``), or to ``default``."""

    def __init__(self, apps: dict[str, ASGIApp], default: ASGIApp, *, index: int) -> None:
        self.apps = apps
        self.default = default
        self.index = index

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.default
        if scope["type"] in ("http", "websocket"):
            segments = scope["path"].split("/", self.index + 2)
            if len(segments) > self.index + 1:
                app = self.apps.get(segments[self.index + 1], self.default)
        await app(scope, receive, send)
