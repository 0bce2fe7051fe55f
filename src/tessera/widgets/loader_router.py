"""The widget loader: ``/widgets`` and its alias ``/w`` (fact sheet §5.22).

``/load`` and ``/test/load`` redirect to the configured widget (``WIDGET_LOCATION``,
``WIDGET_TEST_LOCATION``) with the same query; ``/v5/:project_id`` answers a script that
sets ``window.tiledeskSettings`` and loads ``<WIDGET_LOCATION>launch.js``. The project id is
written into the script as a JSON string with ``<``, ``>`` and ``&`` escaped, so no id can
end the string or the surrounding ``<script>`` element.
"""

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from tessera.dependencies import SettingsDep

_SCRIPT = """window.tiledeskSettings = {{ projectid: {project_id} }};
(function (d, tag, id) {{
  var queue = function () {{ queue.c(arguments); }};
  queue.q = [];
  queue.c = function (args) {{ queue.q.push(args); }};
  window.Tiledesk = queue;
  if (d.getElementById(id)) return;
  var first = d.getElementsByTagName(tag)[0];
  var script = d.createElement(tag);
  script.id = id;
  script.async = true;
  script.src = {script_url};
  first.parentNode.insertBefore(script, first);
}}(document, "script", "tiledesk-jssdk"));
"""


def _redirect(location: str, request: Request) -> RedirectResponse:
    query = request.url.query
    return RedirectResponse(f"{location}?{query}" if query else location, status_code=302)


def _js_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        escaped = escaped.replace(char, code)
    escaped = "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in escaped)
    return f'"{escaped}"'


async def load(request: Request, settings: SettingsDep) -> Response:
    return _redirect(settings.widget_location, request)


async def load_test(request: Request, settings: SettingsDep) -> Response:
    return _redirect(settings.widget_test_location, request)


async def launch_script(project_id: str, settings: SettingsDep) -> Response:
    script = _SCRIPT.format(
        project_id=_js_string(project_id),
        script_url=_js_string(settings.widget_location + "launch.js"),
    )
    return Response(script, media_type="application/javascript; charset=utf-8")


def _loader(prefix: str, suffix: str) -> APIRouter:
    router = APIRouter(prefix=f"/{prefix}", tags=["widgets"])
    router.add_api_route(
        "/load", load, methods=["GET"], name=f"load_widget{suffix}", response_class=Response
    )
    router.add_api_route(
        "/test/load",
        load_test,
        methods=["GET"],
        name=f"load_test_widget{suffix}",
        response_class=Response,
    )
    router.add_api_route(
        "/v5/{project_id}",
        launch_script,
        methods=["GET"],
        name=f"widget_launch_script{suffix}",
        response_class=Response,
    )
    return router


widgets_router = _loader("widgets", "")
w_router = _loader("w", "_w")
