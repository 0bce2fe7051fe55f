"""Tiledesk's HTTP conventions (fact sheet §1.1, §1.6, §1.8, §2)."""

import httpx
import pytest

from tests.factories import make_project, signup


async def test_root_answers_plain_text(client: httpx.AsyncClient) -> None:
    response = await client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "It's UP" in response.text


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    health = await client.get("/health")
    ready = await client.get("/ready")

    assert health.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"


@pytest.mark.parametrize(
    "path", ["/users", "/users/", "/v2/users", "/v3/users/", "//users", "/v3//users"]
)
async def test_routes_answer_with_prefixes_and_stray_slashes(
    client: httpx.AsyncClient, path: str
) -> None:
    person = await signup(client)

    response = await client.get("http://testserver" + path, headers=person.auth)

    assert response.status_code == 200
    assert response.json()["email"] == person.email


async def test_json_bodies_are_sent_as_express_does(client: httpx.AsyncClient) -> None:
    person = await signup(client)

    response = await client.get("/users", headers=person.auth)

    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["access-control-allow-origin"] == "*"


async def test_preflight_is_204_and_reflects_requested_headers(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/users",
        headers={
            "Origin": "https://dashboard.example.com",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == "GET,HEAD,PUT,PATCH,POST,DELETE"
    assert response.headers["access-control-allow-headers"] == "authorization,content-type"
    assert response.content == b""


async def test_errors_carry_the_cors_header_too(client: httpx.AsyncClient) -> None:
    response = await client.get("/users")

    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == "*"


async def test_oversized_body_is_413_and_creates_nothing(client: httpx.AsyncClient) -> None:
    email = "big-body@example.com"
    body = {"email": email, "password": "x" * 600_000, "firstname": "A", "lastname": "B"}

    response = await client.post("/auth/signup", json=body)
    signin = await client.post("/auth/signin", json={"email": email, "password": "x"})

    assert response.status_code == 413
    assert response.json() == {"err": "Request entity too large", "limit": 512000}
    assert signin.status_code == 401


async def test_malformed_json_is_400_with_a_clear_message(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/auth/signin",
        content=b'{"email": "a@b.co", ',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["error"].startswith("Malformed JSON body")


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "image/png"])
async def test_bodies_that_are_neither_json_nor_forms_are_415(
    client: httpx.AsyncClient, content_type: str
) -> None:
    response = await client.post(
        "/auth/signin", content=b"email=a", headers={"Content-Type": content_type}
    )

    assert response.status_code == 415
    assert response.json()["success"] is False
    assert content_type in response.json()["error"]


async def test_url_encoded_forms_are_accepted(client: httpx.AsyncClient) -> None:
    person = await signup(client)

    response = await client.post(
        "/auth/signin", data={"email": person.email, "password": person.password}
    )

    assert response.status_code == 200
    assert response.json()["token"].startswith("JWT ")


async def test_extended_form_syntax_builds_nested_objects(client: httpx.AsyncClient) -> None:
    person = await signup(client)

    response = await client.put(
        "/users",
        content=b"attributes[color]=blue&attributes[size]=xl&firstname=Grace",
        headers={**person.auth, "Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 200
    user = response.json()["updatedUser"]
    assert user["firstname"] == "Grace"
    assert user["attributes"] == {"color": "blue", "size": "xl"}


async def test_json_content_type_with_charset_is_json(client: httpx.AsyncClient) -> None:
    person = await signup(client)

    response = await client.post(
        "/auth/signin",
        content=f'{{"email":"{person.email}","password":"{person.password}"}}'.encode(),
        headers={"Content-Type": "application/json;charset=UTF-8"},
    )

    assert response.status_code == 200


async def test_an_empty_body_reads_as_an_empty_object(client: httpx.AsyncClient) -> None:
    response = await client.post("/auth/signin", headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    params = {error["param"] for error in response.json()["errors"]}
    assert params == {"email", "password"}


async def test_unknown_first_segment_is_an_invalid_project_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/foo/bar")

    assert response.status_code == 400
    assert response.json() == {"error": "Invalid project id: foo"}


async def test_unknown_route_under_a_known_mount_is_an_invalid_project_id(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/users/nonexistent/x")

    assert response.status_code == 400
    assert response.json() == {"error": "Invalid project id: users"}


async def test_unknown_project_is_400_before_authentication(client: httpx.AsyncClient) -> None:
    response = await client.get("/" + "a" * 24 + "/project_users")

    assert response.status_code == 400
    assert response.json() == {"error": "Project not found with id: " + "a" * 24}


async def test_malformed_project_id_is_400_before_authentication(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/not-an-id/project_users")

    assert response.status_code == 400
    assert response.json() == {"error": "Invalid project id: not-an-id"}


async def test_unknown_route_in_a_real_project_is_404(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    project_id = await make_project(client, owner)

    response = await client.get(f"/{project_id}/nonexistent", headers=owner.auth)

    assert response.status_code == 404
    assert response.json()["success"] is False


async def test_missing_credentials_are_a_plain_text_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/users")

    assert response.status_code == 401
    assert response.text == "Unauthorized"
    assert response.headers["www-authenticate"] == 'Basic realm="Users"'


async def test_validation_errors_use_express_validator_shape(client: httpx.AsyncClient) -> None:
    response = await client.post("/auth/signin", json={"email": "not-an-email"})

    assert response.status_code == 422
    errors = {error["param"]: error for error in response.json()["errors"]}
    assert errors["email"]["msg"] == "Invalid value"
    assert errors["email"]["location"] == "body"
    assert errors["email"]["value"] == "not-an-email"
    assert errors["password"]["location"] == "body"


async def test_a_body_of_the_wrong_json_type_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/auth/signin", json=["a", "b"])

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"text": "a\\u0000b"}', "application/json"),
        (b"text=a%00b", "application/x-www-form-urlencoded"),
    ],
)
async def test_nul_characters_are_400_and_write_nothing(
    client: httpx.AsyncClient, content: bytes, content_type: str
) -> None:
    owner = await signup(client)
    project_id = await make_project(client, owner)

    response = await client.post(
        f"/{project_id}/tags",
        content=content.replace(b"text", b"tag"),
        headers={**owner.auth, "Content-Type": content_type},
    )
    listed = await client.get(f"/{project_id}/tags", headers=owner.auth)

    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error": "Text must not contain NUL characters (\\u0000)",
    }
    assert listed.json() == []


async def test_an_integer_beyond_64_bits_is_echoed_as_a_string_in_a_422(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/auth/signin",
        content=b'{"email": 123456789012345678901234567890, "password": "x"}',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 422
    errors = {error["param"]: error for error in response.json()["errors"]}
    assert errors["email"]["value"] == "123456789012345678901234567890"
