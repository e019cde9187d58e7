"""The Topics page and the parallel provisions (Documents, the chat's clause card) through
AppTest: the real corpus, its map of the provisions, the real model and index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import C1961, C1971, C1988, RESOLUTION
from streamlit.testing.v1 import AppTest
from test_ui_app import (  # noqa: F401  (fixtures and helpers)
    IMG,
    SCRIPT,
    _assert_inert,
    app_env,
    ask,
    deprecations,
    env,
    feedback_db,
    page_links,
    popover_markdown,
    popovers,
    start,
    texts,
)

from assistant.corpus.provisions import parallels
from assistant.export import escape_markdown, markdown_text
from assistant.settings import Settings
from assistant.types import Corpus
from ui.render import anchor
from ui.topic_view import matches, starter_question

# the app reads the session's corpus, model and index (and a feedback database of its own)
pytestmark = pytest.mark.usefixtures("env")

TOPICS = "views/topics.py"
DOCUMENTS = "views/documents.py"


def clause_link(clause_id: str) -> str:
    return "clause=" + clause_id.replace("/", "%2F")


def column_bodies(at: AppTest) -> list[list[str]]:
    """The Markdown bodies of each column of the page (the provisions side by side)."""
    return [
        [getattr(n.proto, "body", "") for n in col if getattr(n, "type", "") == "markdown"]
        for col in at.columns
    ]


def column_links(at: AppTest) -> list[list[str]]:
    return [[p.proto.query_string for p in col.get("page_link")] for col in at.columns]


# -- the topics page -------------------------------------------------------------------------


def test_topics_page_shows_a_topic_side_by_side(corpus: Corpus) -> None:
    topic = corpus.provisions.topic("decriminalisation")
    by_id = corpus.by_id()
    at = start(TOPICS, topic=topic.id)
    assert at.title[0].value == "Topics"
    picker = at.selectbox(key="topic_pick")
    assert picker.options == [t.title for t in corpus.provisions.topics] and len(picker.options) == 39
    assert picker.value == topic.id
    assert at.subheader[0].value == escape_markdown(topic.title)
    body = "\n".join(texts(at))
    assert "**The words people use:** " + ", ".join(escape_markdown(t) for t in topic.terms) in body
    assert any(i.value.startswith("The texts do not use this term") for i in at.info)
    assert markdown_text(topic.note) in body
    for source in topic.sources:
        assert f"- {escape_markdown(source)}" in body

    # one column per convention, in treaty order, each with its own provisions' verbatim text
    cols = column_bodies(at)
    heads = [bodies[0] for bodies in cols]
    assert heads == ["#### 1961 Convention", "#### 1971 Convention", "#### 1988 Convention"]
    for bodies, links, inst in zip(cols, column_links(at), (C1961, C1971, C1988), strict=True):
        expected = [cid for cid in topic.provisions if cid.startswith(inst + "/")]
        assert expected, inst
        assert links == [clause_link(cid) for cid in expected]
        for cid in expected:
            assert f"**{escape_markdown(by_id[cid].label)}**" in bodies
            assert markdown_text(by_id[cid].text) in bodies
    # the 1961 column carries art. 36(1)(a) in its own words
    art36 = by_id[f"{C1961}/art-36/para-1/a"]
    assert any("Subject to its constitutional limitations" in b for b in cols[0])
    assert markdown_text(art36.text) in cols[0]


def test_topic_with_resolution_provisions_has_a_fourth_column(corpus: Corpus) -> None:
    topic = corpus.provisions.topic("alternatives-to-imprisonment")
    at = start(TOPICS, topic=topic.id)
    heads = [bodies[0] for bodies in column_bodies(at)]
    assert heads == [
        "#### 1961 Convention",
        "#### 1971 Convention",
        "#### 1988 Convention",
        "#### Resolution",
    ]
    assert column_links(at)[3] == [clause_link(c) for c in topic.provisions if c.startswith(RESOLUTION + "/")]
    # a term the texts use is said so
    assert topic.in_texts and not any(i.value.startswith("The texts do not use") for i in at.info)
    assert "The texts themselves use this term." in [c.value for c in at.caption]


def test_topics_filter_and_pick(corpus: Corpus) -> None:
    at = start(TOPICS)
    first = corpus.provisions.topics[0]
    assert at.subheader[0].value == escape_markdown(first.title)
    at.text_input(key="topic_filter").set_value("syringe").run()
    expected = [t.id for t in corpus.provisions.topics if matches(t, "syringe")]
    assert expected and len(expected) < len(corpus.provisions.topics)
    assert at.selectbox(key="topic_pick").options == [corpus.provisions.topic(i).title for i in expected]
    assert at.subheader[0].value == escape_markdown(corpus.provisions.topic(expected[0]).title)
    # picking keeps the filter and puts the topic in the address
    if len(expected) > 1:
        at.selectbox(key="topic_pick").set_value(expected[1]).run()
        assert at.query_params["topic"] == [expected[1]]
        assert at.text_input(key="topic_filter").value == "syringe"
    at.text_input(key="topic_filter").set_value("zzz-no-such-word").run()
    assert not at.exception
    assert any("No topic matches" in i.value for i in at.info)


def test_unknown_topic_in_the_address_is_a_warning() -> None:
    at = start(TOPICS, topic="no-such-topic")
    assert any("There is no topic no-such-topic" in w.value for w in at.warning)
    assert at.subheader, "the first topic is shown instead"


def test_start_a_session_on_a_topic_asks_in_a_fresh_conversation(corpus: Corpus) -> None:
    topic = corpus.provisions.topic("harm-reduction")
    at = ask(start(), "What does the resolution ask UNODC to do?")
    assert len(at.session_state["chat"]) == 1
    at.switch_page(TOPICS)
    at.query_params["topic"] = topic.id
    at.run()
    question = starter_question(topic)
    assert question == "What do the conventions say about harm reduction?"
    assert any(question in c.value for c in at.caption)
    at.button(key="topic_ask").click().run()
    assert not at.exception
    chat = at.session_state["chat"]
    assert [e.turn.question for e in chat] == [question], "a new conversation, with the topic's question"
    answer = chat[0].answer
    assert not answer.abstained
    assert {c.clause_id for c in answer.citations} & set(topic.provisions)
    assistant = [m for m in at.chat_message if m.name == "assistant"]
    assert len(assistant) == 1 and popovers(at)


# -- parallel provisions ---------------------------------------------------------------------


def test_documents_clause_shows_its_parallel_provisions(corpus: Corpus) -> None:
    cid = f"{C1961}/art-36/para-1/b"
    found = parallels(corpus, cid)
    assert found
    at = start(DOCUMENTS, clause=cid)
    card_links = page_links(at)
    bodies = texts(at)
    assert "**Parallel provisions** in the other instruments" in bodies
    for group, others in found:
        assert f"###### {escape_markdown(group.subject)}" in bodies
        for other in others:
            assert (other.label, clause_link(other.clause_id)) in card_links
    assert ("1971 Convention, art. 22(1)(b)", clause_link(f"{C1971}/art-22/para-1/b")) in card_links
    assert ("1988 Convention, art. 3(4)(b)", clause_link(f"{C1988}/art-3/para-4/b")) in card_links


def test_documents_text_has_a_parallel_provisions_button_drawn_when_opened(
    corpus: Corpus,
) -> None:
    cid = f"{C1988}/art-3/para-4/c"
    at = start(DOCUMENTS, doc=C1988)
    buttons = [p for p in popovers(at) if p.proto.popover.label == "Parallel provisions"]
    mapped = {c for g in corpus.provisions.groups for c in g.clause_ids if c.startswith(C1988 + "/")}
    assert len(buttons) == len(mapped)
    assert not any(label.startswith("1961 Convention") for label, _q in page_links(at)), (
        "drawn only when open"
    )
    at.session_state[f"par-{anchor(cid)}"] = True  # open the popover
    at.run()
    assert not at.exception
    links = page_links(at)
    for _group, others in parallels(corpus, cid):
        for other in others:
            assert (other.label, clause_link(other.clause_id)) in links
    assert ("1961 Convention, art. 36(1)(b)", clause_link(f"{C1961}/art-36/para-1/b")) in links


def test_chat_clause_card_lists_the_parallel_provisions(corpus: Corpus) -> None:
    cid = f"{C1988}/art-3/para-4/c"
    at = ask(start(), "What may Parties do in cases of a minor nature under the 1988 Convention?")
    chip = next(p for p in popovers(at) if "art. 3(4)(c)" in p.proto.popover.label)
    inside = popover_markdown(chip)
    links = [(p.proto.label, p.proto.query_string) for p in chip if getattr(p, "type", "") == "page_link"]
    found = parallels(corpus, cid)
    assert found
    assert "**Parallel provisions** in the other instruments" in inside
    for group, others in found:
        assert f"###### {escape_markdown(group.subject)}" in inside
        for other in others:
            assert other.instrument != C1988
            assert (other.label, clause_link(other.clause_id)) in links
    # a clause the map does not name, nor anything around it, has no such section
    lone = [c for c in corpus.clauses if not parallels(corpus, c.clause_id)]
    assert lone


# -- markup in the map is text ---------------------------------------------------------------


def test_topic_and_group_with_markup_are_rendered_as_text(
    monkeypatch: pytest.MonkeyPatch, embedded_index: Settings, tmp_path: Path
) -> None:
    """A provisions map beside a copy of the manifest, with HTML in a topic and a group (the
    index is the session's: the manifest's contents, and so its collection, are the same)."""
    manifest = tmp_path / "manifest.yaml"
    shutil.copy(embedded_index.manifest, manifest)
    folder = tmp_path / "provisions"
    folder.mkdir()
    link = "[click](javascript:alert(1))"
    op5 = f"{RESOLUTION}/op-5"
    topic = {
        "id": "markup",
        "title": f"Markup {SCRIPT}",
        "terms": [f"term {IMG}", "plain"],
        "in_texts": False,
        "note": f"A note {SCRIPT} {IMG} {link} **bold** # heading",
        "provisions": [f"{C1961}/art-38/para-1", op5],
        "sources": [f"A source {SCRIPT} {link}"],
    }
    group = {
        "id": "markup-group",
        "subject": f"Subject {SCRIPT} {IMG}",
        "description": "",
        "provisions": {C1961: [f"{C1961}/art-38/para-1"], RESOLUTION: [op5]},
    }
    (folder / "topics.yaml").write_text(yaml.safe_dump({"version": 1, "topics": [topic]}), encoding="utf-8")
    (folder / "parallels.yaml").write_text(
        yaml.safe_dump({"version": 1, "groups": [group]}), encoding="utf-8"
    )
    settings = embedded_index.model_copy(update={"manifest": manifest})
    for key, value in app_env(settings, tmp_path / "feedback.sqlite3").items():
        monkeypatch.setenv(key, value)

    at = start(TOPICS, topic="markup")
    assert at.subheader[0].value == "Markup \\<script\\>alert(1)\\</script\\>"
    body = "\n".join(texts(at))
    assert "A note \\<script\\>alert(1)\\</script\\> \\<img src=x onerror=alert(1)\\>" in body
    assert "\\[click\\](javascript:alert(1)) \\*\\*bold\\*\\* # heading" in body
    assert "- A source \\<script\\>alert(1)\\</script\\>" in body
    assert "term \\<img src=x onerror=alert(1)\\>, plain" in body
    # the picker shows the title as plain text (a selectbox renders no Markdown)
    assert at.selectbox(key="topic_pick").options == [f"Markup {SCRIPT}"]
    _assert_inert(at)

    at.switch_page(DOCUMENTS)
    at.query_params.clear()
    at.query_params["clause"] = op5
    at.run()
    assert not at.exception
    assert "###### Subject \\<script\\>alert(1)\\</script\\> \\<img src=x onerror=alert(1)\\>" in texts(at)
    _assert_inert(at)


def test_topics_and_parallels_use_no_deprecated_streamlit_api() -> None:
    with deprecations() as found:
        at = start(TOPICS, topic="harm-reduction")
        at.text_input(key="topic_filter").set_value("cannabis").run()
        at.switch_page(DOCUMENTS)
        at.query_params.clear()
        at.query_params["clause"] = f"{C1988}/art-3/para-4/c"
        at.run()
        at.session_state[f"par-{anchor(f'{C1988}/art-3/para-4/c')}"] = True
        at.run()
        assert not at.exception
    assert found == []
