"""The offline composer knows the form of UN texts."""

from __future__ import annotations

from conftest import C1961, C1971, C1988, RESOLUTION

from assistant.answer.compose import (
    TIE_RATIO,
    compose,
    header_sentence,
    lower_first,
    pick_sentences,
    render,
    select_clauses,
    with_cited_clauses,
)
from assistant.answer.text import finish, support
from assistant.retrieve import Hit
from assistant.types import Corpus


def test_operative_verb(corpus: Corpus) -> None:
    op = corpus.by_id()[f"{RESOLUTION}/op-6"]
    out = render(op, corpus.instrument(RESOLUTION), "What should UNODC make available?")
    assert out.startswith(
        "The resolution also requests the United Nations Office on Drugs and Crime to make information"
    )
    assert out.endswith(".")


def test_preambular_participle(corpus: Corpus) -> None:
    pp = corpus.by_id()[f"{RESOLUTION}/pp-12"]
    out = render(pp, corpus.instrument(RESOLUTION), "coordination between health and justice")
    assert out.startswith(
        "In its preamble, the Commission stresses the importance of strengthening cooperation"
    )


def test_convention_provision_and_chapeau(corpus: Corpus) -> None:
    by_id = corpus.by_id()
    inst = corpus.instrument(C1961)
    out = render(by_id[f"{C1961}/art-36/para-1/b"], inst, "treatment")
    assert out.startswith(
        "Under art. 36(1)(b) of the 1961 Convention, notwithstanding the preceding subparagraph"
    )
    out = render(by_id[f"{C1961}/art-34/a"], inst, "qualifications of licensees")
    assert out.startswith(
        "Under art. 34(a) of the 1961 Convention, the Parties shall require that all persons"
    )
    out = render(by_id[f"{C1961}/art-1/para-1/a"], inst, "What is the Board?")
    assert (
        out
        == "Under art. 1(1)(a) of the 1961 Convention, “Board” means the International Narcotics Control Board."
    )


def test_header(corpus: Corpus) -> None:
    out = header_sentence(corpus.by_id()[f"{RESOLUTION}/header"].text)
    assert "submitted by Mexico and the United States of America" in out
    assert "fifty-fifth session (Vienna, 12-16 March 2012)" in out and "dated 15 March 2012" in out


def test_every_rendering_is_supported_by_its_clause(corpus: Corpus) -> None:
    for clause in corpus.clauses:
        if not clause.locator:
            continue
        out = render(clause, corpus.instrument(clause.instrument), "what does it say")
        assert support(out, clause.text + " " + clause.context) >= 0.9, clause.clause_id


def test_small_helpers() -> None:
    assert lower_first("Each Party shall") == "each Party shall"
    assert lower_first("Parties which do not") == "Parties which do not"
    assert finish("such abusers shall undergo treatment;") == "such abusers shall undergo treatment."
    long = "First sentence about cats. " * 10 + "The Board shall publish reports on drugs."
    assert "Board" in pick_sentences("Does the Board publish reports?", long, max_words=20, keep=1)


def test_a_question_about_what_a_clause_cites_brings_the_cited_clauses(corpus: Corpus) -> None:
    fn5 = corpus.by_id()[f"{RESOLUTION}/fn-5"]
    out = with_cited_clauses("Which treaty paragraphs does footnote 5 cite?", [fn5], corpus)
    assert [c.clause_id for c in out] == [fn5.clause_id, *fn5.references]
    assert with_cited_clauses("What does footnote 5 say about volume 976?", [fn5], corpus) == [fn5]
    assert with_cited_clauses("Which provisions does it cite?", [], corpus) == []


def test_the_citing_paragraph_is_followed_through_its_footnote(corpus: Corpus) -> None:
    """Chosen after the conventions' provisions, the resolution's paragraph still cites: it
    comes first, then its footnote, then the provisions the footnote names."""
    by_id = corpus.by_id()
    pp3, fn5 = by_id[f"{RESOLUTION}/pp-3"], by_id[f"{RESOLUTION}/fn-5"]
    chosen = [by_id[f"{C1961}/art-36/para-1/b"], by_id[f"{C1971}/art-22/para-1/b"], pp3]
    question = (
        "Which treaty provisions does the 2012 resolution cite when it says the conventions allow treatment?"
    )
    out = [c.clause_id for c in with_cited_clauses(question, chosen, corpus)]
    assert out == [pp3.clause_id, fn5.clause_id, *fn5.references]


def test_clauses_chosen_across_the_conventions_answer_a_which_provisions_question(corpus: Corpus) -> None:
    """No clause the question names: what was chosen in each convention is the answer, and the
    first clause's own cross-references do not replace it."""
    by_id = corpus.by_id()
    chosen = [
        by_id[f"{C1961}/art-50/para-3"],
        by_id[f"{C1971}/art-32/para-2"],
        by_id[f"{C1988}/art-32/para-4"],
    ]
    assert chosen[0].references  # the premise: the first clause cites others
    question = "Which provisions of each convention can a state make reservations to?"
    assert with_cited_clauses(question, chosen, corpus) == chosen


def test_a_near_tie_puts_both_clauses_in_the_answer(corpus: Corpus) -> None:
    """When the search cannot tell its two best clauses apart, the answer gives both; a clear
    winner stands alone.  The first sentence never opens with "also"."""
    by_id = corpus.by_id()
    op5, op6 = by_id[f"{RESOLUTION}/op-5"], by_id[f"{RESOLUTION}/op-6"]
    question = "Does UNODC provide guidance and information on alternative approaches?"

    def chosen(second: float) -> list[str]:
        hits = [Hit(op6, 1.0), Hit(op5, second)]
        return [c.clause_id for c in select_clauses(question, hits, corpus, [])]

    assert chosen(TIE_RATIO + 0.01) == [op6.clause_id, op5.clause_id]
    assert chosen(TIE_RATIO - 0.2) == [op6.clause_id]
    first = compose(question, [op6, op5], corpus)[0].text
    assert first.startswith("Yes: the resolution requests") and " also " not in first[:30]


def test_a_list_item_keeps_its_chapeau(corpus: Corpus) -> None:
    """ "(a) Three members ..." is no sentence alone: the chapeau that says what they are comes first."""
    item = corpus.by_id()[f"{C1961}/art-9/para-1/a"]
    out = render(item, corpus.instrument(C1961), "How many members does the Board have?")
    assert "thirteen members" in out and "as follows: three members" in out
    assert support(out, item.text + " " + item.context) >= 0.9


def test_an_item_is_one_sentence_with_its_chapeau(corpus: Corpus) -> None:
    """ "Publicly inciting ..." is no sentence: it is given after the words that introduce it,
    verbatim, with a lower-case first letter."""
    from conftest import C1988

    item = corpus.by_id()[f"{C1988}/art-3/para-1/c/iii"]
    out = render(item, corpus.instrument(C1988), "Is public incitement an offence?", corpus)
    assert out.startswith(
        "Under art. 3(1)(c)(iii) of the 1988 Convention, each Party shall adopt such measures"
    )
    assert (
        "subject to its constitutional principles" in out and ": publicly inciting or inducing others" in out
    )
    assert support(out, item.text + " " + item.context) >= 0.9


def test_a_chapeau_is_given_with_its_items(corpus: Corpus) -> None:
    """ "Who elects the members of the Board?": the answer is in the items of art. 9(1)."""
    para = corpus.by_id()[f"{C1961}/art-9/para-1"]
    out = render(para, corpus.instrument(C1961), "Who elects the members of the Board?", corpus)
    assert "as follows: (a) three members" in out and "(b) ten members" in out
    assert "World Health Organization" in out and not out.rstrip(".").endswith("follows")


def test_an_article_is_narrowed_to_its_paragraph_and_loses_its_numbering(corpus: Corpus) -> None:
    """A hit on art. 17 of the 1971 Convention ("1. The Commission may ... 2. The decisions ...")
    is answered from the paragraph that holds the answer, without the leaked numbers."""
    from conftest import C1971

    art = corpus.by_id()[f"{C1971}/art-17"]
    chosen = select_clauses(
        "By what majority does the Commission take its decisions?", [Hit(art, 1.0)], corpus, []
    )
    assert [c.clause_id for c in chosen] == [f"{C1971}/art-17/para-2"]
    text = compose("By what majority does the Commission take its decisions?", chosen, corpus)[0].text
    assert "two-thirds majority" in text and "1." not in text and "2. " not in text


def test_on_subject_first_puts_the_maps_provisions_first_in_their_instrument(corpus: Corpus) -> None:
    """Within an instrument, the clauses on the map's subject (the provision, and what it holds)
    come before that instrument's other hits; the instruments keep their order."""
    from conftest import C1988

    from assistant.answer.compose import on_subject_first

    by_id = corpus.by_id()
    pool = [
        Hit(by_id[f"{C1961}/art-31/para-1/a"], 1.0, ("bm25",)),
        Hit(by_id[f"{C1988}/art-3/para-2"], 0.99, ("dense",)),
        Hit(by_id[f"{C1961}/art-39"], 0.98, ("map",)),
        Hit(by_id[f"{C1988}/art-24"], 0.97, ("map",)),
        Hit(by_id[f"{C1988}/art-5/para-1"], 0.5, ("bm25",)),
    ]
    assert [h.clause.clause_id for h in on_subject_first(pool)] == [
        f"{C1961}/art-39",
        f"{C1988}/art-24",
        f"{C1961}/art-31/para-1/a",
        f"{C1988}/art-3/para-2",
        f"{C1988}/art-5/para-1",
    ]
    training = [  # another paragraph of the subject's article keeps its place
        Hit(by_id[f"{C1961}/art-38/para-2"], 1.0, ("bm25",)),
        Hit(by_id[f"{C1961}/art-38/para-1"], 0.98, ("map",)),
    ]
    assert on_subject_first(training) == training
    # ... unless the question's words fit it clearly better than the one the search put first
    asked = "Are conspiracy and attempts to commit the offences punishable?"
    penal = [
        Hit(by_id[f"{C1961}/art-36/para-1/a"], 1.0, ("map",)),
        Hit(by_id[f"{C1961}/art-36/para-2/a/ii"], 0.9, ("bm25",)),
        Hit(by_id[f"{C1961}/art-36/para-1/b"], 0.8, ("bm25",)),
    ]
    assert [h.clause.clause_id for h in on_subject_first(penal, asked)][:1] == [f"{C1961}/art-36/para-2/a/ii"]
    assert on_subject_first(penal, "What are the penal provisions?") == penal
    plain = [h for h in pool if "map" not in h.sources]
    assert on_subject_first(plain) == plain
    chosen = select_clauses(
        "Can a country adopt laws stricter than the conventions require?", pool, corpus, []
    )
    assert chosen[0].clause_id == f"{C1961}/art-39"


def test_yes_no_leads_read_the_modal_strictly(corpus: Corpus) -> None:
    """A permissive "may" is not an obligation; "shall adopt such measures as may be necessary"
    is one (its "may" grants nothing), and its qualification is stated; "shall not" is a no."""
    from conftest import C1988

    by_id = corpus.by_id()

    def lead(question: str, cid: str) -> str:
        return compose(question, [by_id[cid]], corpus)[0].text

    assert lead(
        "Must Parties provide treatment instead of conviction?", f"{C1961}/art-36/para-1/b"
    ).startswith("No, it is not an obligation: under art. 36(1)(b)")
    assert lead(
        "Can Parties provide treatment instead of conviction?", f"{C1961}/art-36/para-1/b"
    ).startswith("Yes:")
    assert lead(
        "Must each Party make possession for personal consumption a criminal offence?",
        f"{C1988}/art-3/para-2",
    ).startswith("Yes, subject to its constitutional principles and the basic concepts of its legal system:")
    assert lead(
        "Can a Party refuse legal assistance because of bank secrecy?", f"{C1988}/art-7/para-5"
    ).startswith("No:")
    assert lead(
        "Does the resolution oblige Member States to offer treatment instead of prison?", f"{RESOLUTION}/op-1"
    ).startswith("No, it is a recommendation, not an obligation:")
    assert lead(  # "shall not be ... precluded from" grants a freedom
        "Can a country adopt measures of control stricter than the Convention requires?", f"{C1961}/art-39"
    ).startswith("Yes:")
    assert lead("Is the sky green in the Convention?", f"{C1961}/art-36/para-1/b").startswith(
        "The texts do not say so directly"
    )
    # a wordy question shares few words with the clause: the verb asked about still answers it,
    # another verb does not ("shall limit" says nothing on whether shops can be licensed)
    wordy = (
        "Can a judge send someone caught using drugs to a treatment programme instead of convicting "
        "them, without putting the country in breach?"
    )
    assert lead(wordy, f"{C1961}/art-36/para-1/b").startswith("Yes:")
    assert lead(wordy.replace("Can a judge", "Must a judge"), f"{C1961}/art-36/para-1/b").startswith(
        "The texts do not say so directly"
    )
    assert lead(
        "Can a government license shops or pharmacies to sell cannabis to adults for recreational use?",
        f"{C1961}/art-4/para-1/c",
    ).startswith("The texts do not say so directly")
    # a schedule says what is controlled: its entry answers "is it controlled?", not "is it banned?"
    assert lead("Is heroin controlled under the 1961 Convention?", f"{C1961}/schedule-iv").startswith("Yes:")
    assert lead(
        "Heroin is in Schedule IV. Does that mean heroin-assisted treatment is banned?",
        f"{C1961}/schedule-iv",
    ).startswith("The texts do not say so directly")


def test_a_conventions_preamble_is_quoted_by_the_recitals_that_answer(corpus: Corpus) -> None:
    """The preamble is one long sentence: a question on access to medicines gets the recital on
    the availability of drugs for the relief of pain, cut at recital boundaries; a question on
    the Convention's aims gets the preamble whole."""
    preamble = corpus.by_id()[f"{C1961}/preamble"]
    text = compose(
        "Do the conventions ensure the availability of drugs for the relief of pain?", [preamble], corpus
    )
    quoted = text[-1].text
    assert "Recognizing that the medical use of narcotic drugs continues to be indispensable" in quoted
    assert "Hereby agree" not in quoted and quoted.count("…") >= 1
    whole = compose("What are the aims of the 1961 Convention according to its preamble?", [preamble], corpus)
    assert "Hereby agree" in whole[-1].text


def test_an_article_found_alone_is_answered_by_its_first_paragraph_on_a_tie(corpus: Corpus) -> None:
    """A hit on a whole article whose paragraphs fit the question equally is narrowed to the
    paragraph that states the rule (the first); among paragraphs the search found, the shorter."""
    from assistant.answer.compose import _analysis, _prefer_leaf

    by_id = corpus.by_id()
    article = by_id[f"{C1961}/art-47"]
    first, second = by_id[f"{C1961}/art-47/para-1"], by_id[f"{C1961}/art-47/para-2"]
    a = _analysis("How is the Single Convention amended?")
    assert _prefer_leaf(article, [Hit(article, 1.0)], a, corpus) == first
    shorter = min((first, second), key=lambda c: len(c.text))
    found = [Hit(article, 1.0), Hit(first, 0.9), Hit(second, 0.8)]
    assert _prefer_leaf(article, found, a, corpus) == shorter


def test_across_the_conventions_a_paragraph_is_joined_by_its_fitting_sibling(corpus: Corpus) -> None:
    """Each convention's clause is joined by another paragraph of its article that fits the
    question about as well (the reports, and their publication), given right after it."""
    from conftest import C1971

    by_id = corpus.by_id()
    reports, published = by_id[f"{C1961}/art-15/para-1"], by_id[f"{C1961}/art-15/para-2"]
    pool = [
        Hit(reports, 1.0, ("map",)),
        Hit(by_id[f"{C1971}/art-18/para-1"], 0.99, ("map",)),
        Hit(published, 0.9, ("bm25",)),
        Hit(by_id[f"{C1961}/art-9/para-1"], 0.8, ("bm25",)),
    ]
    both = "Under the conventions, what reports does the Board prepare and are they published?"
    assert [c.clause_id for c in select_clauses(both, pool, corpus, [])] == [
        reports.clause_id,
        published.clause_id,
        f"{C1971}/art-18/para-1",
    ]
    # the sibling fitting clearly less than the chosen paragraph stays out
    one = "What do the conventions say about the annual reports of the Board and their publication?"
    assert published not in select_clauses(one, pool, corpus, [])
