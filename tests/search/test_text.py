"""The pure rules of ``search.text``: folding, word limits and MongoDB's ``$search`` syntax
(the HTTP tests show them at work; these pin the corner cases)."""

from tessera.search.text import MAX_BODY, MAX_WORD, Query, body, parse, words


def test_words_fold_case_diacritics_and_compatibility_forms() -> None:
    assert words("Ça Straße \uff21\uff22\uff23 ﬁne Ünïcödé \u210c\u1d2c İ") == [
        "ca",
        "strasse",
        "abc",
        "fine",
        "unicode",
        "ha",
        "i",
    ]


def test_words_split_on_punctuation_but_keep_underscores() -> None:
    assert words("ada@engine.example snake_case a-b") == [
        "ada",
        "engine",
        "example",
        "snake_case",
        "a",
        "b",
    ]


def test_overlong_words_are_dropped() -> None:
    assert words("short " + "x" * (MAX_WORD + 1)) == ["short"]
    assert words("y" * MAX_WORD) == ["y" * MAX_WORD]


def test_a_body_keeps_fields_apart() -> None:
    assert body(["Big", None, "", "red  Dog!"]) == "big | red dog"


def test_a_body_is_cut_at_a_word_boundary() -> None:
    text = body(["word " * MAX_BODY])

    assert len(text) <= MAX_BODY
    assert set(text.split(" ")) == {"word"}


def test_words_are_alternatives() -> None:
    assert parse("Alpha beta alpha") == Query(terms=("alpha", "beta"))


def test_phrases_are_required_and_their_words_are_terms() -> None:
    assert parse('"Big Red" dog') == Query(terms=("big", "red", "dog"), phrases=(("big", "red"),))


def test_an_unterminated_phrase_runs_to_the_end() -> None:
    assert parse('x "open phrase') == Query(
        terms=("x", "open", "phrase"), phrases=(("open", "phrase"),)
    )


def test_a_minus_after_a_space_excludes_the_next_word_only() -> None:
    assert parse("a -b-c d-e") == Query(terms=("a", "c", "d", "e"), excluded=("b",))


def test_a_minus_excludes_a_phrase() -> None:
    assert parse('a -"b c"') == Query(terms=("a",), excluded_phrases=(("b", "c"),))


def test_nothing_positive_matches_nothing() -> None:
    for search in ("", "   ", "-a", '""', "*", "-", "(", "\x00", "x" * (MAX_WORD + 1)):
        assert parse(search).matches_nothing, search
