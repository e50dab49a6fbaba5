"""Arrow and pandas results: one row per article, nested columns with an explicit schema.

Needs pyarrow (``pip install newsparse[arrow]``); pandas only for parse_pandas. The schema is
fixed (``arrow_schema()``), so an all-empty batch has the same column types as any other; spans
are structs ``{text, start, end}`` with ``start``/``end`` as ``str`` indices, as in the Python
objects.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, cast

import pyarrow as pa

from ._model import Article, ParseError, Span

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from . import Engine, Stages

_CHUNK = 8192


def _span_fields() -> List[pa.Field]:
    return [pa.field("text", pa.string()), pa.field("start", pa.int32()),
            pa.field("end", pa.int32())]


SPAN = pa.struct(_span_fields())
PLACE = pa.struct(_span_fields() + [pa.field("city", pa.string()),
                                    pa.field("region", pa.string()),
                                    pa.field("country", pa.string())])
DATELINE_DATE = pa.struct(_span_fields() + [pa.field("value", pa.string())])
SOURCE = pa.struct(_span_fields() + [pa.field("name", pa.string())])
DATELINE = pa.struct(_span_fields() + [
    pa.field("place", PLACE), pa.field("places", pa.list_(PLACE)),
    pa.field("date", DATELINE_DATE), pa.field("source", SOURCE), pa.field("byline", SPAN),
    pa.field("body_start", pa.int32())])
CREDIT = pa.struct([pa.field("kind", pa.string())] + _span_fields())
ENTITY = pa.struct([pa.field("id", pa.int32()), pa.field("type", pa.string()),
                    pa.field("name", pa.string()), pa.field("mentions", pa.list_(SPAN)),
                    pa.field("aliases", pa.list_(pa.string())),
                    pa.field("titles", pa.list_(pa.string()))])
ATTRIBUTION_SOURCE = pa.struct(_span_fields() + [pa.field("entity", pa.int32())])
ATTRIBUTION = pa.struct([pa.field("kind", pa.string()), pa.field("cue", SPAN),
                         pa.field("source", ATTRIBUTION_SOURCE),
                         pa.field("content", pa.list_(SPAN))])
DATE_MENTION = pa.struct(_span_fields() + [pa.field("value", pa.string())])
ERROR = pa.struct([pa.field("kind", pa.string()), pa.field("message", pa.string()),
                   pa.field("line", pa.int64())])

_SCHEMA = pa.schema([
    pa.field("error", ERROR), pa.field("dateline", DATELINE),
    pa.field("credits", pa.list_(CREDIT)), pa.field("entities", pa.list_(ENTITY)),
    pa.field("attributions", pa.list_(ATTRIBUTION)), pa.field("dates", pa.list_(DATE_MENTION)),
], metadata={"newsparse.schema_version": "1"})


def arrow_schema(id_type: Optional[pa.DataType] = None) -> pa.Schema:
    """The result schema; with ``id_type``, an ``id`` column of that type comes first."""
    if id_type is None:
        return _SCHEMA
    return _SCHEMA.insert(0, pa.field("id", id_type))


def _sp(s: Span) -> Dict[str, Any]:
    return {"text": s.text, "start": s.start, "end": s.end}


def _span(s: Optional[Span]) -> Optional[Dict[str, Any]]:
    return None if s is None else _sp(s)


def _columns(articles: Sequence[Article]) -> Dict[str, List[Any]]:
    error: List[Any] = []
    dateline: List[Any] = []
    credits: List[Any] = []
    entities: List[Any] = []
    attributions: List[Any] = []
    dates: List[Any] = []
    for a in articles:
        e = a.error
        error.append(None if e is None else
                     {"kind": e.kind, "message": e.message, "line": e.line})
        d = a.dateline
        if d is None:
            dateline.append(None)
        else:
            place = None if d.place is None else {**_sp(d.place.span),
                                                  "city": d.place.city,
                                                  "region": d.place.region,
                                                  "country": d.place.country}
            dateline.append({
                **_sp(d.span),
                "place": place,
                "places": [{**_sp(p.span), "city": p.city,
                            "region": p.region, "country": p.country} for p in d.places],
                "date": None if d.date is None else {**_sp(d.date.span),
                                                     "value": d.date.value},
                "source": None if d.source is None else {**_sp(d.source.span),
                                                         "name": d.source.name},
                "byline": _span(d.byline),
                "body_start": d.body_start,
            })
        credits.append([{"kind": c.kind, **_sp(c.span)} for c in a.credits]
                       if a.credits else [])
        entities.append([{"id": x.id, "type": x.type, "name": x.name,
                          "mentions": [_span(m) for m in x.mentions],
                          "aliases": list(x.aliases), "titles": list(x.titles)}
                         for x in a.entities] if a.entities else [])
        attributions.append([{"kind": t.kind, "cue": _span(t.cue),
                              "source": None if t.source is None else {
                                  **_sp(t.source.span),
                                  "entity": t.source.entity},
                              "content": [_span(c) for c in t.content]}
                             for t in a.attributions] if a.attributions else [])
        dates.append([{**_sp(x.span), "value": x.value}
                      for x in a.dates] if a.dates else [])
    return {"error": error, "dateline": dateline, "credits": credits, "entities": entities,
            "attributions": attributions, "dates": dates}


def articles_to_batch(articles: Sequence[Article], ids: Optional[pa.Array] = None
                      ) -> pa.RecordBatch:
    """A RecordBatch of ``articles`` with the result schema (and ``ids`` as first column)."""
    schema = arrow_schema(None if ids is None else ids.type)
    cols = _columns(articles)
    arrays = [pa.array(cols[f.name], type=f.type) for f in _SCHEMA]
    if ids is not None:
        arrays.insert(0, ids)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _texts_of(values: List[Any]) -> List[Optional[str]]:
    for i, v in enumerate(values):
        if v is not None and not isinstance(v, str):
            if isinstance(v, float) and v != v:  # NaN: a missing value in pandas
                values[i] = None
                continue
            raise TypeError(f"texts[{i}] must be str or null, not {type(v).__name__}")
    return values


def parse_texts(engine: "Engine", texts: List[Optional[str]], dates: Optional[List[Any]],
                ids: Optional[List[Any]], stages: "Stages", threads: int) -> List[Article]:
    """engine.parse_many where a None text gives an error result ("missing_field")."""
    present = [i for i, t in enumerate(texts) if t is not None]
    if len(present) == len(texts):
        return engine.parse_many(cast(List[str], texts), dates=dates, ids=ids, threads=threads,
                                 stages=stages)
    parsed = engine.parse_many([cast(str, texts[i]) for i in present],
                               ids=None if ids is None else [ids[i] for i in present],
                               dates=None if dates is None else [dates[i] for i in present],
                               threads=threads, stages=stages)
    null = ParseError("missing_field", "text is null", 0)
    out = [Article(None if ids is None else ids[i], null, None) for i in range(len(texts))]
    for i, a in zip(present, parsed):
        out[i] = a
    return out


def _as_array(values: Any, what: str) -> pa.ChunkedArray:
    if isinstance(values, pa.ChunkedArray):
        return values
    if isinstance(values, pa.Array):
        return pa.chunked_array([values])
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{what} must be an array of str, not a single {type(values).__name__}")
    try:
        return pa.chunked_array([pa.array(list(values), type=pa.string())])
    except (TypeError, pa.ArrowInvalid, pa.ArrowTypeError) as e:
        raise TypeError(f"{what} must be a pyarrow string array or a sequence of str: {e}") \
            from None


def parse_arrow(engine: "Engine", texts: Any, dates: Any = None, *, ids: Any = None,
                stages: "Stages" = "all", threads: int = 0) -> pa.Table:
    arr = _as_array(texts, "texts")
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)
            or str(arr.type) == "string_view"):
        raise TypeError(f"texts must be a string array, not {arr.type}")
    n = len(arr)
    date_arr: Optional[pa.ChunkedArray] = None
    scalar_date: Any = None
    if isinstance(dates, (str, _dt.date)):
        scalar_date = dates
    elif dates is not None:
        date_arr = dates if isinstance(dates, pa.ChunkedArray) else (
            pa.chunked_array([dates]) if isinstance(dates, pa.Array)
            else pa.chunked_array([pa.array(list(dates))]))
        if len(date_arr) != n:
            raise ValueError("dates must have one entry per text")
    id_arr: Optional[pa.ChunkedArray] = None
    if ids is not None:
        id_arr = ids if isinstance(ids, pa.ChunkedArray) else (
            pa.chunked_array([ids]) if isinstance(ids, pa.Array)
            else pa.chunked_array([pa.array(list(ids))]))
        if len(id_arr) != n:
            raise ValueError("ids must have one entry per text")
    batches = []
    for start in range(0, n, _CHUNK):
        chunk = _texts_of(arr.slice(start, _CHUNK).to_pylist())
        if date_arr is not None:
            d: Optional[List[Any]] = date_arr.slice(start, _CHUNK).to_pylist()
        elif scalar_date is not None:
            d = [scalar_date] * len(chunk)
        else:
            d = None
        articles = parse_texts(engine, chunk, d, None, stages, threads)
        id_chunk = None
        if id_arr is not None:
            id_chunk = id_arr.slice(start, _CHUNK).combine_chunks()
        batches.append(articles_to_batch(articles, id_chunk))
    schema = arrow_schema(None if id_arr is None else id_arr.type)
    return pa.Table.from_batches(batches, schema=schema)


def parse_pandas(engine: "Engine", texts: Any, dates: Any = None, *, stages: "Stages" = "all",
                 threads: int = 0) -> "pandas.DataFrame":
    import pandas as pd
    if not isinstance(texts, pd.Series):
        raise TypeError(f"texts must be a pandas.Series, not {type(texts).__name__}")
    values = _texts_of(texts.tolist())
    date_values: Optional[List[Any]] = None
    if isinstance(dates, (str, _dt.date)):
        date_values = [dates] * len(values)
    elif dates is not None:
        date_values = list(dates.tolist() if isinstance(dates, pd.Series) else dates)
        if len(date_values) != len(values):
            raise ValueError("dates must have one entry per text")
    batches = []
    for start in range(0, len(values), _CHUNK):
        chunk = values[start:start + _CHUNK]
        d = None if date_values is None else date_values[start:start + _CHUNK]
        batches.append(articles_to_batch(parse_texts(engine, chunk, d, None, stages, threads)))
    table = pa.Table.from_batches(batches, schema=_SCHEMA)
    df = table.to_pandas()
    df.index = texts.index
    return df
