import datetime

import pytest

import newsparse
from newsparse import _core
from newsparse._model import (Article, Attribution, AttributionSource, Dateline, DatelineDate,
                              Entity, Place, Source, Span)

spacy = pytest.importorskip("spacy")

TEXT = "BEIJING, Oct. 3 (Xinhua) -- Foreign Minister Wang Yi said on Monday that talks went well."


def span(text, piece, start=0):
    i = text.index(piece, start)
    return Span(piece, i, i + len(piece))


def hand_built_article(text=TEXT):
    """An Article written by hand for TEXT, as the stages will produce it."""
    wang = span(text, "Wang Yi")
    beijing = span(text, "BEIJING")
    place = Place(beijing, "Beijing", None, "CN")
    dateline = Dateline(span(text, "BEIJING, Oct. 3 (Xinhua) --"), place, (place,),
                        DatelineDate(span(text, "Oct. 3"), "2024-10-03"),
                        Source(span(text, "Xinhua"), "Xinhua"), None,
                        text.index("Foreign"))
    entities = (
        Entity(0, "PER", "Wang Yi", (wang,), (), ("Foreign Minister",)),
        Entity(1, "LOC", "Beijing", (beijing,), (), ()),
        # Overlaps "Wang Yi": set_ents must keep only one of them.
        Entity(2, "MISC", "Minister Wang", (span(text, "Minister Wang"),), (), ()),
    )
    attributions = (Attribution("indirect", span(text, "said"),
                                AttributionSource(wang, 0),
                                (span(text, "talks went well"),)),)
    return Article("doc", None, dateline, (), entities, attributions, ())


def test_set_annotations_with_a_hand_built_article():
    from newsparse.spacy_component import set_annotations
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    article = hand_built_article()
    set_annotations(doc, article, spans_key="np", set_ents=True)
    assert doc._.newsparse is article
    assert doc._.dateline is article.dateline
    assert doc._.attributions == article.attributions
    got = [(s.label_, s.text) for s in doc.spans["np"]]
    for expected in [("DATELINE", "BEIJING, Oct. 3 (Xinhua) --"), ("DATELINE_PLACE", "BEIJING"),
                     ("DATELINE_DATE", "Oct. 3"), ("DATELINE_SOURCE", "Xinhua"),
                     ("PER", "Wang Yi"), ("LOC", "BEIJING"), ("MISC", "Minister Wang"),
                     ("ATTRIBUTION_CUE", "said"), ("ATTRIBUTION_SOURCE", "Wang Yi"),
                     ("ATTRIBUTION_CONTENT", "talks went well")]:
        assert expected in got
    # doc.ents: no overlap; "Minister Wang" and "Wang Yi" overlap and are the same length, so
    # filter_spans keeps the first one.
    assert [(e.label_, e.text) for e in doc.ents] == [("LOC", "BEIJING"),
                                                     ("MISC", "Minister Wang")]


def test_existing_ents_are_merged_without_overlap():
    from newsparse.spacy_component import set_annotations
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    doc.ents = [doc.char_span(TEXT.index("Monday"), TEXT.index("Monday") + 6, label="DATE")]
    set_annotations(doc, hand_built_article(), set_ents=True)
    assert "DATE" in [e.label_ for e in doc.ents]
    assert "LOC" in [e.label_ for e in doc.ents]


def test_spans_expand_to_token_boundaries():
    from newsparse.spacy_component import set_annotations
    nlp = spacy.blank("en")
    text = "São Paulo — “quoted” 😀 text, e\u0301 here; ТАСС said «цитата»."
    article, _ = _core._testing_article(text)
    doc = nlp(text)
    set_annotations(doc, article)
    spans = list(doc.spans["newsparse"])
    assert len(spans) > 10
    for s in article.entities[0].mentions:
        covering = [x for x in spans if x.label_ == "PER"
                    and x.start_char <= s.start and x.end_char >= s.end]
        assert covering, s


def test_add_pipe_through_the_entry_point_and_pipe_batches():
    nlp = spacy.blank("en")
    comp = nlp.add_pipe("newsparse", config={"set_ents": True, "threads": 1})
    doc = nlp(TEXT)
    assert isinstance(doc._.newsparse, newsparse.Article)
    assert doc._.newsparse.error is None
    assert "newsparse" in doc.spans

    calls = []
    real = comp.engine

    class Spy:
        def parse_many(self, texts, **kw):
            calls.append(len(texts))
            return real.parse_many(texts, **kw)

    comp.engine = Spy()
    texts = [f"Story {i} in Paris." for i in range(10)]
    docs = list(nlp.pipe(texts, batch_size=4))
    assert [d.text for d in docs] == texts
    assert calls == [4, 4, 2]
    assert all(d._.newsparse is not None for d in docs)


def test_config_and_dates():
    nlp = spacy.blank("en")
    nlp.add_pipe("newsparse", config={"stages": "dateline", "spans_key": None})
    doc = nlp.make_doc("Some text.")
    doc.user_data["newsparse_date"] = datetime.date(2024, 1, 2)
    doc = nlp.get_pipe("newsparse")(doc)
    assert doc._.newsparse.error is None
    assert "newsparse" not in doc.spans
    with pytest.raises(ValueError, match="unknown stage"):
        spacy.blank("en").add_pipe("newsparse", config={"stages": "nonsense"})


def test_pipeline_round_trips_through_disk(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("newsparse", config={"set_ents": True})
    nlp.to_disk(tmp_path / "pipe")
    nlp2 = spacy.load(tmp_path / "pipe")
    assert nlp2.pipe_names == ["newsparse"]
    assert nlp2.get_pipe("newsparse").set_ents is True
