"""The operator choice (§5.8), rule by rule."""

from tessera.routing.strategies import ASSIGNED, POOLED, Agent, Decision, choose_operator

A = Agent("user-a", "pu-a")
B = Agent("user-b", "pu-b")
C = Agent("user-c", "pu-c")


def _first(_n: int) -> int:
    return 0


def _last(n: int) -> int:
    return n - 1


def test_pooled_departments_queue_the_conversation() -> None:
    decision = choose_operator(
        [A, B], routing=POOLED, chat_limit=None, last_operator=None, pick=_first
    )

    assert decision == Decision(None)


def test_pooled_departments_queue_even_with_chat_limits() -> None:
    decision = choose_operator(
        [A, B], routing=POOLED, chat_limit=3, last_operator=None, pick=_first
    )

    assert decision.operator is None


def test_without_a_previous_conversation_the_pick_is_random() -> None:
    first = choose_operator(
        [A, B, C], routing=ASSIGNED, chat_limit=None, last_operator=None, pick=_first
    )
    last = choose_operator(
        [A, B, C], routing=ASSIGNED, chat_limit=None, last_operator=None, pick=_last
    )

    assert first.operator == "user-a"
    assert last.operator == "user-c"


def test_round_robin_takes_the_agent_after_the_last_one() -> None:
    decision = choose_operator(
        [A, B, C], routing=ASSIGNED, chat_limit=None, last_operator="user-b", pick=_first
    )

    assert decision.operator == "user-c"


def test_round_robin_wraps_around() -> None:
    decision = choose_operator(
        [A, B, C], routing=ASSIGNED, chat_limit=None, last_operator="user-c", pick=_last
    )

    assert decision.operator == "user-a"


def test_a_last_operator_no_longer_available_restarts_at_the_first() -> None:
    decision = choose_operator(
        [A, B], routing=ASSIGNED, chat_limit=None, last_operator="gone", pick=_last
    )

    assert decision.operator == "user-a"


def test_nobody_available_leaves_the_conversation_queued() -> None:
    decision = choose_operator(
        [], routing=ASSIGNED, chat_limit=None, last_operator=None, pick=_first
    )

    assert decision == Decision(None)


def test_agents_at_their_chat_limit_are_skipped() -> None:
    busy = Agent("user-a", "pu-a", open_conversations=2)
    free = Agent("user-b", "pu-b", open_conversations=1)

    decision = choose_operator(
        [busy, free], routing=ASSIGNED, chat_limit=2, last_operator=None, pick=_first
    )

    assert decision.operator == "user-b"


def test_everyone_at_the_limit_queues_without_abandoning() -> None:
    busy = [Agent("user-a", "pu-a", 2), Agent("user-b", "pu-b", 3)]

    decision = choose_operator(
        busy, routing=ASSIGNED, chat_limit=2, last_operator=None, pick=_first
    )

    assert decision == Decision(None, fully_abandoned=False)


def test_a_members_own_limit_overrides_the_projects() -> None:
    generous = Agent("user-a", "pu-a", open_conversations=4, own_limit=5)
    default = Agent("user-b", "pu-b", open_conversations=4, own_limit=-1)

    decision = choose_operator(
        [default, generous], routing=ASSIGNED, chat_limit=2, last_operator=None, pick=_first
    )

    assert decision.operator == "user-a"


def test_an_own_limit_of_zero_means_the_projects_limit() -> None:
    agent = Agent("user-a", "pu-a", open_conversations=1, own_limit=0)

    decision = choose_operator(
        [agent], routing=ASSIGNED, chat_limit=2, last_operator=None, pick=_first
    )

    assert decision.operator == "user-a"


def test_agents_who_abandoned_the_conversation_are_skipped() -> None:
    decision = choose_operator(
        [A, B],
        routing=ASSIGNED,
        chat_limit=5,
        last_operator=None,
        abandoned_by={"pu-a"},
        pick=_first,
    )

    assert decision.operator == "user-b"


def test_when_every_eligible_agent_abandoned_it_the_conversation_is_fully_abandoned() -> None:
    decision = choose_operator(
        [A, B],
        routing=ASSIGNED,
        chat_limit=5,
        last_operator=None,
        abandoned_by={"pu-a", "pu-b"},
        pick=_first,
    )

    assert decision == Decision(None, fully_abandoned=True)


def test_with_chat_limits_round_robin_runs_over_the_eligible_agents() -> None:
    busy_b = Agent("user-b", "pu-b", open_conversations=9)

    decision = choose_operator(
        [A, busy_b, C], routing=ASSIGNED, chat_limit=2, last_operator="user-a", pick=_last
    )

    assert decision.operator == "user-c"
