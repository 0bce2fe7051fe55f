"""Training (fact sheet §5.13): ``POST /:pid/faq_kb/train`` posts an internal bot's intents to
its NLU (``<url>/trainandload``), ``POST /:pid/faq_kb/aitrain`` a ``tiledesk-ai`` bot's to
the training service. The NLU and the service are fake services run by the test."""

from typing import Any

import httpx
import pytest

from tests.bots.conftest import API_URL, TRAINING_PATH, TRAINING_TOKEN
from tests.bots.support import FakeService
from tests.factories import World, make_world
from tests.intents.support import (
    NOT_A_MEMBER,
    OBJECT_NOT_FOUND,
    ROLE_TOO_LOW,
    make_bot,
    make_intent,
)

NOT_TRAINABLE = {
    "success": False,
    "msg": "you can train a standard internal bot or an external bot.",
}
NOTHING_TO_TRAIN = {"success": False, "msg": "no faq to  train on external bot."}
CHATBOT_NOT_FOUND = {"sucess": False, "error": "Chatbot not found"}
ONLY_TILEDESK_AI = {
    "success": True,
    "message": "Trained not started",
    "reason": "Training available for intentsEngine equal to tiledesk-ai only",
}
_CALLERS = ["owner", "admin", "supervisor", "agent", "guest", "end_user", "outsider", "stranger"]
_DENIED = {
    "supervisor": ROLE_TOO_LOW,
    "agent": ROLE_TOO_LOW,
    "guest": ROLE_TOO_LOW,
    "end_user": ROLE_TOO_LOW,
    "outsider": NOT_A_MEMBER,
    "stranger": NOT_A_MEMBER,
}


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    """A project of the usual app, whose settings are the defaults (private targets refused,
    no training service)."""
    return await make_world(client)


async def nlu_bot(
    client: httpx.AsyncClient, world: World, url: str | None, **body: Any
) -> dict[str, Any]:
    """An internal bot whose NLU is at ``url``, with two intents."""
    bot = await make_bot(client, world.project_id, world.admin, "Nlu Bot", url=url, **body)
    for name, question in (("hours", "When are you open?\nOpening hours"), ("price", "Cost?")):
        await make_intent(
            client, world.project_id, world.admin, bot["_id"], intent_display_name=name,
            question=question, answer=f"About {name}",
        )  # fmt: skip
    return bot


async def train(
    client: httpx.AsyncClient, world: World, body: Any, who: str = "admin"
) -> httpx.Response:
    caller: Any = getattr(world, who)
    return await client.post(f"/{world.project_id}/faq_kb/train", json=body, headers=caller.auth)


TRAINED = [
    {"intent": "hours", "examples": ["When are you open?", "Opening hours"]},
    {"intent": "price", "examples": ["Cost?"]},
]


class TestTrain:
    async def test_posts_the_intents_to_the_nlu_and_passes_its_answer_on(
        self, calling_client: httpx.AsyncClient, calling_world: World, service: FakeService
    ) -> None:
        service.answer("/trainandload", {"trained": 2})
        bot = await nlu_bot(calling_client, calling_world, service.url, language="it")

        response = await train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 200, response.text
        assert response.json() == {
            "train": {"language": "it", "nlu": TRAINED},
            "httpResponse": {"trained": 2},
        }
        [call] = service.calls_to("/trainandload")
        assert call.json == {"language": "it", "nlu": TRAINED}
        assert call.headers["user-agent"] == "tiledesk-bot"
        assert call.headers["content-type"] == "application/json"
        assert call.headers["x-tessera-signature"].startswith("sha256=")

    async def test_a_trailing_slash_of_the_url_is_not_doubled(
        self, calling_client: httpx.AsyncClient, calling_world: World, service: FakeService
    ) -> None:
        service.answer("/trainandload", {"ok": True})
        bot = await nlu_bot(calling_client, calling_world, service.url + "/")

        response = await train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 200
        assert len(service.calls_to("/trainandload")) == 1

    async def test_an_nlu_error_answer_is_passed_on_as_tiledesk_does(
        self, calling_client: httpx.AsyncClient, calling_world: World, service: FakeService
    ) -> None:
        service.answer("/trainandload", {"error": "model busy"}, status=503)
        bot = await nlu_bot(calling_client, calling_world, service.url)

        response = await train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 200
        assert response.json()["httpResponse"] == {"error": "model busy"}

    async def test_an_unreachable_nlu_is_a_502(
        self, calling_client: httpx.AsyncClient, calling_world: World, service: FakeService
    ) -> None:
        bot = await nlu_bot(calling_client, calling_world, service.url)
        service.stop()

        response = await train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 502
        body = response.json()
        assert body["success"] is False
        assert body["msg"].startswith("The chatbot NLU did not answer: could not reach")

    async def test_a_slow_nlu_is_a_502_after_the_timeout(
        self, calling_client: httpx.AsyncClient, calling_world: World, service: FakeService
    ) -> None:
        service.answer("/trainandload", {"late": True}, delay=3)
        bot = await nlu_bot(calling_client, calling_world, service.url)

        response = await train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 502
        assert "within 1 s" in response.json()["msg"]

    @pytest.mark.parametrize(
        "url", ["http://127.0.0.1:9/nlu", "http://localhost/nlu", "http://10.1.2.3/nlu"]
    )
    async def test_private_addresses_are_refused_unless_allowed(
        self, client: httpx.AsyncClient, world: World, url: str
    ) -> None:
        bot = await nlu_bot(client, world, url)

        response = await train(client, world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 400
        assert response.json()["msg"].startswith("The chatbot url may not be called:")

    async def test_a_url_that_is_no_http_url_is_refused(
        self, calling_client: httpx.AsyncClient, calling_world: World
    ) -> None:
        bot = await nlu_bot(calling_client, calling_world, "ftp://example.com/nlu")

        response = await train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 400

    @pytest.mark.parametrize(
        ("body", "intents"),
        [({"type": "external"}, True), ({}, True), ({"template": "empty"}, False)],
        ids=["external bot", "internal bot without url", "no intents"],
    )
    async def test_only_internal_bots_with_a_url_and_questions_are_trained(
        self,
        calling_client: httpx.AsyncClient,
        calling_world: World,
        service: FakeService,
        body: dict[str, Any],
        intents: bool,
    ) -> None:
        url = None if body == {} else service.url
        world = calling_world
        if intents:
            bot = await nlu_bot(calling_client, world, url, **body)
        else:
            bot = await make_bot(calling_client, world.project_id, world.admin, url=url, **body)

        response = await train(calling_client, world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 400
        assert response.json() == (NOT_TRAINABLE if intents else NOTHING_TO_TRAIN)
        assert service.calls == []

    async def test_intents_without_a_question_are_left_out(
        self, calling_client: httpx.AsyncClient, calling_world: World, service: FakeService
    ) -> None:
        service.answer("/trainandload", {})
        bot = await nlu_bot(calling_client, calling_world, service.url)
        await make_intent(
            calling_client, calling_world.project_id, calling_world.admin, bot["_id"],
            intent_display_name="silent", answer="No question here",
        )  # fmt: skip

        response = await train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.json()["train"]["nlu"] == TRAINED

    @pytest.mark.parametrize(
        "body",
        [{}, {"id_faq_kb": "0123456789abcdef01234567"}, {"id_faq_kb": "nonsense"}],
        ids=["missing", "unknown", "malformed"],
    )
    async def test_an_unknown_bot_is_404(
        self, calling_client: httpx.AsyncClient, calling_world: World, body: dict[str, Any]
    ) -> None:
        response = await train(calling_client, calling_world, body)

        assert response.status_code == 404
        assert response.json() == OBJECT_NOT_FOUND

    async def test_another_projects_bot_is_404(
        self, calling_client: httpx.AsyncClient, calling_world: World, service: FakeService
    ) -> None:
        world = calling_world
        theirs = await make_bot(
            calling_client, world.other_project_id, world.stranger, url=service.url
        )

        response = await train(calling_client, world, {"id_faq_kb": theirs["_id"]})

        assert response.status_code == 404
        assert service.calls == []

    @pytest.mark.parametrize("value", [12, ["a"], {"$ne": None}])
    async def test_an_id_of_the_wrong_type_is_422(
        self, calling_client: httpx.AsyncClient, calling_world: World, value: Any
    ) -> None:
        response = await train(calling_client, calling_world, {"id_faq_kb": value})

        assert response.status_code == 422
        assert "errors" in response.json()

    @pytest.mark.parametrize("who", _CALLERS)
    async def test_only_admins_train(
        self, calling_client: httpx.AsyncClient, calling_world: World, service: FakeService,
        who: str,
    ) -> None:  # fmt: skip
        service.answer("/trainandload", {"ok": True})
        bot = await nlu_bot(calling_client, calling_world, service.url)

        response = await train(calling_client, calling_world, {"id_faq_kb": bot["_id"]}, who)

        if who in _DENIED:
            assert response.status_code == 403
            assert response.json() == _DENIED[who]
            assert service.calls == []
        else:
            assert response.status_code == 200
            assert len(service.calls_to("/trainandload")) == 1

    async def test_the_bots_own_token_may_not_train(
        self, calling_client: httpx.AsyncClient, calling_world: World, service: FakeService
    ) -> None:
        world = calling_world
        bot = await nlu_bot(calling_client, world, service.url)
        token = await calling_client.get(
            f"/{world.project_id}/faq_kb/{bot['_id']}/jwt", headers=world.admin.auth
        )

        response = await calling_client.post(
            f"/{world.project_id}/faq_kb/train",
            json={"id_faq_kb": bot["_id"]},
            headers={"Authorization": "JWT " + token.json()["jwt"]},
        )

        assert response.status_code in (401, 403)
        assert service.calls == []

    async def test_the_alias_route_trains_too(
        self, calling_client: httpx.AsyncClient, calling_world: World, service: FakeService
    ) -> None:
        service.answer("/trainandload", {"ok": True})
        bot = await nlu_bot(calling_client, calling_world, service.url)

        response = await calling_client.post(
            f"/{calling_world.project_id}/bots/train",
            json={"id_faq_kb": bot["_id"]},
            headers=calling_world.admin.auth,
        )

        assert response.status_code == 200


# ---------------------------------------------------------------- /aitrain


async def ai_bot(client: httpx.AsyncClient, world: World, **body: Any) -> dict[str, Any]:
    """A ``tiledesk-ai`` bot with an enabled intent, a disabled one and one without question."""
    body = {"intentsEngine": "tiledesk-ai", **body}
    bot = await make_bot(client, world.project_id, world.admin, "Ai Bot", **body)
    intents = [
        {"intent_display_name": "hours", "question": "Open?\nHours"},
        {"intent_display_name": "off", "question": "Disabled", "enabled": False},
        {"intent_display_name": "mute", "answer": "No question"},
    ]
    for intent in intents:
        await make_intent(client, world.project_id, world.admin, bot["_id"], **intent)
    return bot


async def ai_train(
    client: httpx.AsyncClient, world: World, body: Any, who: str = "admin"
) -> httpx.Response:
    caller: Any = getattr(world, who)
    return await client.post(f"/{world.project_id}/faq_kb/aitrain", json=body, headers=caller.auth)


def trainings_of(trainer: FakeService, bot_id: str) -> list[Any]:
    return [call for call in trainer.calls_to(TRAINING_PATH) if call.json["model"] == bot_id]


class TestAiTrain:
    async def test_queues_the_enabled_questions_and_returns_the_queue_message(
        self, calling_client: httpx.AsyncClient, calling_world: World, trainer: FakeService
    ) -> None:
        trainer.answer(TRAINING_PATH, {"queued": "job-1"})
        bot = await ai_bot(calling_client, calling_world, language="fr")

        response = await ai_train(
            calling_client, calling_world, {"id_faq_kb": bot["_id"], "webhook_enabled": False}
        )

        assert response.status_code == 200
        assert response.json() == {
            "succes": True,
            "message": "Training started",
            "queue_message": {"queued": "job-1"},
        }
        [call] = trainings_of(trainer, bot["_id"])
        assert call.json == {
            "configuration": {"language": "fr", "pipeline": ["lstm"]},
            "model": bot["_id"],
            "nlu": [{"intent": "hours", "examples": ["Open?", "Hours"]}],
        }
        assert call.headers["authorization"] == TRAINING_TOKEN

    async def test_with_webhook_the_service_is_told_where_to_report(
        self, calling_client: httpx.AsyncClient, calling_world: World, trainer: FakeService
    ) -> None:
        trainer.answer(TRAINING_PATH, {"queued": "job-2"})
        bot = await ai_bot(calling_client, calling_world)

        response = await ai_train(
            calling_client, calling_world, {"id_faq_kb": bot["_id"], "webhook_enabled": True}
        )

        assert response.json() == {"succes": True, "message": "Training started"}
        [call] = trainings_of(trainer, bot["_id"])
        expected = f"{API_URL}/{calling_world.project_id}/bots/{bot['_id']}/training"
        assert call.json["webhook_url"] == expected

    async def test_without_webhook_enabled_neither_callback_nor_queue_message(
        self, calling_client: httpx.AsyncClient, calling_world: World, trainer: FakeService
    ) -> None:
        trainer.answer(TRAINING_PATH, {"queued": "job-3"})
        bot = await ai_bot(calling_client, calling_world)

        response = await ai_train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.json() == {"succes": True, "message": "Training started"}
        [call] = trainings_of(trainer, bot["_id"])
        assert "webhook_url" not in call.json

    async def test_other_engines_are_not_trained(
        self, calling_client: httpx.AsyncClient, calling_world: World, trainer: FakeService
    ) -> None:
        bot = await ai_bot(calling_client, calling_world, intentsEngine="none")

        response = await ai_train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 200
        assert response.json() == ONLY_TILEDESK_AI
        assert trainings_of(trainer, bot["_id"]) == []

    async def test_without_a_training_service_nothing_starts(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await ai_bot(client, world)

        response = await ai_train(client, world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 200
        assert response.json() == {
            "success": True,
            "message": "Trained not started",
            "reason": "No training service is configured (CHATBOT_TRAINING_API_URL)",
        }

    async def test_a_failing_service_is_reported_in_a_200(
        self, calling_client: httpx.AsyncClient, calling_world: World, trainer: FakeService
    ) -> None:
        trainer.answer(TRAINING_PATH, {"error": "down"}, status=500)
        bot = await ai_bot(calling_client, calling_world)

        response = await ai_train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 200
        assert response.json() == {
            "success": False,
            "message": "Trained not started",
            "error": "the training service answered 500",
        }

    async def test_a_slow_service_is_reported_in_a_200(
        self, calling_client: httpx.AsyncClient, calling_world: World, trainer: FakeService
    ) -> None:
        trainer.answer(TRAINING_PATH, {"late": True}, delay=3)
        bot = await ai_bot(calling_client, calling_world)

        response = await ai_train(calling_client, calling_world, {"id_faq_kb": bot["_id"]})

        assert response.status_code == 200
        body = response.json()
        assert body["success"] is False
        assert "within 1 s" in body["error"]

    @pytest.mark.parametrize(
        "body",
        [{}, {"id_faq_kb": "0123456789abcdef01234567"}, {"id_faq_kb": "nonsense"}],
        ids=["missing", "unknown", "malformed"],
    )
    async def test_an_unknown_bot_is_404(
        self, calling_client: httpx.AsyncClient, calling_world: World, body: dict[str, Any]
    ) -> None:
        response = await ai_train(calling_client, calling_world, body)

        assert response.status_code == 404
        assert response.json() == CHATBOT_NOT_FOUND

    async def test_another_projects_bot_is_404(
        self, calling_client: httpx.AsyncClient, calling_world: World, trainer: FakeService
    ) -> None:
        world = calling_world
        theirs = await make_bot(
            calling_client, world.other_project_id, world.stranger, intentsEngine="tiledesk-ai"
        )

        response = await ai_train(calling_client, world, {"id_faq_kb": theirs["_id"]})

        assert response.status_code == 404
        assert trainings_of(trainer, theirs["_id"]) == []

    @pytest.mark.parametrize(
        "body", [{"id_faq_kb": 5}, {"id_faq_kb": "0123456789abcdef01234567", "webhook_enabled": []}]
    )
    async def test_fields_of_the_wrong_type_are_422(
        self, calling_client: httpx.AsyncClient, calling_world: World, body: dict[str, Any]
    ) -> None:
        response = await ai_train(calling_client, calling_world, body)

        assert response.status_code == 422

    @pytest.mark.parametrize("who", _CALLERS)
    async def test_only_admins_start_a_training(
        self, calling_client: httpx.AsyncClient, calling_world: World, trainer: FakeService,
        who: str,
    ) -> None:  # fmt: skip
        trainer.answer(TRAINING_PATH, {"queued": True})
        bot = await ai_bot(calling_client, calling_world)

        response = await ai_train(calling_client, calling_world, {"id_faq_kb": bot["_id"]}, who)

        if who in _DENIED:
            assert response.status_code == 403
            assert response.json() == _DENIED[who]
            assert trainings_of(trainer, bot["_id"]) == []
        else:
            assert response.status_code == 200
            assert len(trainings_of(trainer, bot["_id"])) == 1
