"""``GET /:pid/requests?full_text=`` (fact sheet §5.4.2): MongoDB's ``$text`` over subject,
transcript, rating message, tag names, note texts and the lead's e-mail and full name. The
same documents match on SQLite and PostgreSQL."""

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conversations.support import create_request, post_message
from tests.factories import Person, make_guest, make_project, signup


@dataclass
class Desk:
    project_id: str
    owner: Person


@pytest.fixture
async def desk(client: httpx.AsyncClient) -> Desk:
    owner = await signup(client)
    return Desk(await make_project(client, owner), owner)


async def found(client: httpx.AsyncClient, desk: Desk, text: str, **params: str) -> list[str]:
    """The ``request_id``s listed for ``full_text=text``, in the order answered."""
    response = await client.get(
        f"/{desk.project_id}/requests",
        params={"full_text": text, "status": "all", **params},
        headers=desk.owner.auth,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["requests"])
    return [request["request_id"] for request in body["requests"]]


async def conversation(client: httpx.AsyncClient, desk: Desk, **body: object) -> str:
    created = await create_request(client, desk.project_id, desk.owner, **body)
    request_id: str = created["request_id"]
    return request_id


async def visitor_conversation(
    client: httpx.AsyncClient, desk: Desk, fullname: str, email: str
) -> dict[str, Any]:
    """A conversation opened by a guest whose lead is ``fullname`` <``email``>."""
    guest = await make_guest(client, desk.project_id)
    request_id = f"support-group-{desk.project_id}-{guest.id.replace('-', '')}"
    message = await post_message(
        client, desk.project_id, request_id, guest, senderFullname=fullname, email=email
    )
    request: dict[str, Any] = message["request"]
    return request


async def act(
    client: httpx.AsyncClient, desk: Desk, method: str, path: str, body: object = None
) -> dict[str, Any]:
    response = await client.request(
        method, f"/{desk.project_id}/requests/{path}", json=body, headers=desk.owner.auth
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


class TestIndexedFields:
    async def test_subject(self, client: httpx.AsyncClient, desk: Desk) -> None:
        wanted = await conversation(client, desk, subject="Invoice overdue")
        await conversation(client, desk, subject="Something else")

        assert await found(client, desk, "invoice") == [wanted]

    async def test_note_texts(self, client: httpx.AsyncClient, desk: Desk) -> None:
        wanted = await conversation(client, desk)
        await act(client, desk, "POST", f"{wanted}/notes", {"text": "prefers a phone call"})

        assert await found(client, desk, "phone") == [wanted]

    async def test_tag_names(self, client: httpx.AsyncClient, desk: Desk) -> None:
        wanted = await conversation(client, desk)
        await act(client, desk, "PUT", f"{wanted}/tag", [{"tag": "Refunds", "color": "#f00"}])

        assert await found(client, desk, "refunds") == [wanted]
        assert await found(client, desk, "f00") == []

    async def test_rating_message(self, client: httpx.AsyncClient, desk: Desk) -> None:
        wanted = await conversation(client, desk)
        await act(client, desk, "PATCH", wanted, {"rating": 5, "rating_message": "Superb help"})

        assert await found(client, desk, "superb") == [wanted]

    async def test_transcript_of_a_closed_conversation(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        wanted = await conversation(client, desk)
        await post_message(client, desk.project_id, wanted, desk.owner, text="parcel lost")
        closed = await act(client, desk, "PUT", f"{wanted}/close")

        assert "parcel" in closed["transcript"]
        assert await found(client, desk, "parcel") == [wanted]
        assert await found(client, desk, "parcel", status="100,200") == []

    async def test_lead_fullname_and_email(self, client: httpx.AsyncClient, desk: Desk) -> None:
        wanted = await visitor_conversation(client, desk, "Zoltan Kodaly", "zk@music.example")
        await visitor_conversation(client, desk, "Bela Bartok", "bb@folk.example")

        assert await found(client, desk, "kodaly") == [wanted["request_id"]]
        assert await found(client, desk, "music") == [wanted["request_id"]]

    async def test_first_text_is_not_indexed(self, client: httpx.AsyncClient, desk: Desk) -> None:
        # Tiledesk's request text index leaves it out (models/request.js).
        await conversation(client, desk, first_text="pineapple")

        assert await found(client, desk, "pineapple") == []


class TestMatching:
    async def test_any_word_matches_best_first(self, client: httpx.AsyncClient, desk: Desk) -> None:
        one = await conversation(client, desk, subject="alpha report")
        three = await conversation(client, desk, subject="alpha beta gamma")
        await conversation(client, desk, subject="delta")

        assert await found(client, desk, "alpha beta gamma") == [three, one]

    async def test_no_textscore_keeps_the_sort(self, client: httpx.AsyncClient, desk: Desk) -> None:
        older = await conversation(client, desk, subject="alpha")
        newer = await conversation(client, desk, subject="alpha beta gamma")

        ascending = await found(
            client, desk, "alpha beta gamma", no_textscore="true", direction="1"
        )

        assert ascending == [older, newer]

    async def test_case_and_diacritics_are_folded(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        accented = await conversation(client, desk, subject="Crème Brûlée à Zürich")
        plain = await conversation(client, desk, subject="CREME caramel")

        assert set(await found(client, desk, "creme")) == {accented, plain}
        assert await found(client, desk, "BRULEE zurich") == [accented]
        assert set(await found(client, desk, "crème")) == {accented, plain}

    async def test_punctuation_splits_words(self, client: httpx.AsyncClient, desk: Desk) -> None:
        wanted = await conversation(client, desk, subject="order #A-1234 (urgent!)")

        assert await found(client, desk, "a") == [wanted]
        assert await found(client, desk, "1234") == [wanted]
        assert await found(client, desk, "urgent") == [wanted]

    async def test_a_quoted_phrase_is_required(self, client: httpx.AsyncClient, desk: Desk) -> None:
        wanted = await conversation(client, desk, subject="the invoice is overdue")
        reversed_words = await conversation(client, desk, subject="overdue: is the invoice")

        assert set(await found(client, desk, "invoice overdue")) == {wanted, reversed_words}
        assert await found(client, desk, '"invoice is overdue"') == [wanted]
        assert await found(client, desk, '"INVOICE IS OVERDUE" unrelated') == [wanted]
        assert await found(client, desk, '"overdue invoice"') == []

    async def test_a_phrase_never_spans_two_fields(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        wanted = await conversation(client, desk, subject="big red")
        split = await conversation(client, desk, subject="big")
        await act(client, desk, "POST", f"{split}/notes", {"text": "red"})

        assert set(await found(client, desk, "big red")) == {wanted, split}
        assert await found(client, desk, '"big red"') == [wanted]

    async def test_a_minus_excludes_a_word_or_a_phrase(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        kept = await conversation(client, desk, subject="invoice copy")
        await conversation(client, desk, subject="invoice overdue")

        assert await found(client, desk, "invoice -overdue") == [kept]
        assert await found(client, desk, 'invoice -"invoice overdue"') == [kept]
        # Only exclusions: nothing, as in MongoDB.
        assert await found(client, desk, "-overdue") == []

    @pytest.mark.parametrize(
        "hostile",
        [
            '"',
            '""',
            "*",
            "AND",
            "OR NOT",
            "-",
            "--",
            "(",
            ")",
            "NEAR",
            "NEAR(a b, 2)",
            "a:b",
            "body:x",
            "^x",
            "x*",
            "'",
            "a & b | !c",
            "<->",
            "\\",
            "%",
            "_",
            "🙂",
            '"unterminated phrase',
            "x" * 5000,
        ],
    )
    async def test_any_input_is_a_search_never_an_error(
        self, client: httpx.AsyncClient, desk: Desk, hostile: str
    ) -> None:
        wanted = await conversation(client, desk, subject="and or not near body")
        await conversation(client, desk, subject="something else")

        result = await found(client, desk, hostile)

        assert result in ([], [wanted])

    async def test_syntax_words_are_plain_words(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        wanted = await conversation(client, desk, subject="and or not near")
        await conversation(client, desk, subject="something else")

        for word in ("AND", "OR", "NOT", "NEAR", "(AND)", '"and or"'):
            assert await found(client, desk, word) == [wanted], word


class TestScope:
    async def test_other_projects_documents_never_match(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        ours = await conversation(client, desk, subject="shared word")
        other = Desk(await make_project(client, desk.owner, name="Other"), desk.owner)
        theirs = await conversation(client, other, subject="shared word")

        assert await found(client, desk, "shared") == [ours]
        assert await found(client, other, "shared") == [theirs]

    async def test_a_stranger_cannot_search_the_project(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        await conversation(client, desk, subject="secret plans")
        stranger = await signup(client)

        response = await client.get(
            f"/{desk.project_id}/requests",
            params={"full_text": "secret"},
            headers=stranger.auth,
        )

        assert response.status_code == 403


class TestChangesAreReflected:
    async def test_a_new_subject_replaces_the_old_words(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        wanted = await conversation(client, desk, subject="before")

        await act(client, desk, "PATCH", wanted, {"subject": "after"})

        assert await found(client, desk, "before") == []
        assert await found(client, desk, "after") == [wanted]

    async def test_a_deleted_note_is_no_longer_found(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        wanted = await conversation(client, desk)
        noted = await act(client, desk, "POST", f"{wanted}/notes", {"text": "ephemeral"})
        assert await found(client, desk, "ephemeral") == [wanted]

        note_id = noted["notes"][0]["_id"]
        await act(client, desk, "DELETE", f"{wanted}/notes/{note_id}")

        assert await found(client, desk, "ephemeral") == []

    async def test_a_deleted_conversation_is_no_longer_found(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        wanted = await conversation(client, desk, subject="doomed")

        await act(client, desk, "DELETE", wanted)

        assert await found(client, desk, "doomed") == []

    async def test_a_renamed_lead_is_found_by_its_new_name(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        request = await visitor_conversation(client, desk, "Old Name", "old@mail.example")
        lead_id = request["lead"]["_id"]

        renamed = await client.put(
            f"/{desk.project_id}/leads/{lead_id}",
            json={"fullname": "Fresh Person", "email": "fresh@mail.example"},
            headers=desk.owner.auth,
        )

        assert renamed.status_code == 200
        assert await found(client, desk, "old") == []
        assert await found(client, desk, "fresh") == [request["request_id"]]
