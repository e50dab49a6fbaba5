"""Arrow and pandas results: one row per article, nested columns with an explicit schema.

Needs pyarrow (``pip install newsparse[arrow]``); pandas only for parse_pandas. The schema is
fixed (``arrow_schema()``), so an all-empty batch has the same column types as any other; spans
are structs ``{text, start, end}`` with ``start``/``end`` as ``str`` indices, as in the Python
objects.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

import pyarrow as pa

from . import _core
from ._model import Article, Span

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from . import Engine, Stages

_CHUNK = 8192  # rows per record batch


def _result_schema() -> pa.Schema:
    """The schema the C++ builder writes (core/arrow_export.h), imported once."""
    return pa.schema(_core.ArrowSchema())


_SCHEMA = _result_schema()


def arrow_schema(id_type: Optional[pa.DataType] = None) -> pa.Schema:
    """The result schema; with ``id_type``, an ``id`` column of that type comes first."""
    if id_type is None:
        return _SCHEMA
    return _SCHEMA.insert(0, pa.field("id", id_type))


# --- typed objects to Arrow (for results that exist only as Article objects, e.g. the CLI's
# JSON Lines records written as Parquet; parsing goes through parse_batches below) ---------------


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


def _string_chunks(arr: pa.ChunkedArray) -> List[pa.Array]:
    """The chunks as utf8 / large_utf8 arrays (string_view chunks are cast)."""
    out = []
    for c in arr.chunks:
        if not (pa.types.is_string(c.type) or pa.types.is_large_string(c.type)):
            c = c.cast(pa.large_string())
        out.append(c)
    return out


def parse_batches(engine: "Engine", texts: Sequence[pa.Array], dates: Optional[List[Any]] = None,
                  row_errors: Optional[List[Optional[Tuple[str, str]]]] = None, *,
                  null_message: str = "text is null", stages: "Stages" = "all",
                  threads: int = 0, max_rows: int = _CHUNK) -> List[pa.RecordBatch]:
    """Parses Arrow string arrays into record batches of ``arrow_schema()``, built in C++.

    ``dates``: one date (ISO str, datetime.date or None) per text across all arrays;
    ``row_errors``: None, or per text None or (kind, message) for a row that is not parsed and
    gets that error instead. A null text gives the error ("missing_field", null_message)."""
    from . import _iso, _seq, _stages, _threads
    st, th = _stages(stages), _threads(threads)
    # ISO strs and None go to C++ as they are; other values (datetime.date, pandas.NaT, NaN)
    # through _iso, called from C++ only for them.
    isos = None if dates is None else _seq(dates, "dates")
    total = sum(len(t) for t in texts)
    for what, values in (("dates", isos), ("row_errors", row_errors)):
        if values is not None and len(values) != total:
            raise ValueError(f"{what} must have one entry per text")
    out: List[pa.RecordBatch] = []
    start = 0
    for t in texts:
        n = len(t)
        d = None if isos is None else isos[start:start + n]
        e = None if row_errors is None else row_errors[start:start + n]
        for b in engine._core.parse_arrow(t.__arrow_c_array__(), d, e, null_message, st, th,
                                          max_rows, _iso):
            out.append(pa.record_batch(b))
        start += n
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
    date_list: Any = None  # one value per text for parse_batches
    if isinstance(dates, (str, _dt.date)):
        date_list = [dates] * n
    elif isinstance(dates, (pa.Array, pa.ChunkedArray)):
        date_list = dates.to_pylist()
    elif dates is not None:
        date_list = dates if isinstance(dates, (list, tuple)) else list(dates)
    if date_list is not None and len(date_list) != n:
        raise ValueError("dates must have one entry per text")
    id_arr: Optional[pa.ChunkedArray] = None
    if ids is not None:
        id_arr = ids if isinstance(ids, pa.ChunkedArray) else (
            pa.chunked_array([ids]) if isinstance(ids, pa.Array)
            else pa.chunked_array([pa.array(list(ids))]))
        if len(id_arr) != n:
            raise ValueError("ids must have one entry per text")
    batches = parse_batches(engine, _string_chunks(arr), date_list, stages=stages,
                            threads=threads)
    table = pa.Table.from_batches(batches, schema=_SCHEMA)
    if id_arr is not None:
        table = table.add_column(0, pa.field("id", id_arr.type), id_arr)
    return table


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
    try:
        arr = pa.array(values, type=pa.string())
    except (UnicodeEncodeError, pa.ArrowException) as e:
        raise ValueError(f"texts must be valid Unicode str (no lone surrogates): {e}") from None
    batches = parse_batches(engine, [arr], date_values, stages=stages, threads=threads)
    table = pa.Table.from_batches(batches, schema=_SCHEMA)
    df = table.to_pandas()
    df.index = texts.index
    return df


def _date_ref_array(refs: Any, n: int) -> pa.ChunkedArray:
    """Reference dates given as a pyarrow array, as date32 or string chunks."""
    r = refs if isinstance(refs, pa.ChunkedArray) else pa.chunked_array([refs])
    if pa.types.is_timestamp(r.type) or pa.types.is_date64(r.type):
        r = r.cast(pa.date32())
    elif not (pa.types.is_date32(r.type) or pa.types.is_string(r.type)
              or pa.types.is_large_string(r.type)):
        raise TypeError(f"reference_dates must be a date, timestamp or string array, not {r.type}")
    if len(r) != n:
        raise ValueError(f"reference_dates must have one entry per string ({len(r)} for {n})")
    return r


def parse_dates_arrow(strings: Any, reference_dates: Any = None, languages: Any = None) -> Any:
    from . import _date_refs
    chunked_in = isinstance(strings, pa.ChunkedArray)
    if isinstance(strings, (str, bytes, bytearray)):
        raise TypeError(f"strings must be an array of str, not a single {type(strings).__name__}")
    if not isinstance(strings, (pa.Array, pa.ChunkedArray)):
        values = list(strings)
        for i, v in enumerate(values):  # name the first bad entry, as parse_dates does
            if v is not None and not isinstance(v, str):
                raise TypeError(f"strings[{i}] must be str or None, not {type(v).__name__}")
        try:
            strings = pa.array(values, type=pa.string())
        except (UnicodeEncodeError, pa.ArrowException):
            for i, v in enumerate(values):
                try:
                    if v is not None:
                        v.encode("utf-8")
                except UnicodeEncodeError:
                    raise ValueError(f"strings[{i}] holds a lone surrogate (not valid Unicode "
                                     "text)") from None
            raise
    arr = _as_array(strings, "strings")
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)
            or str(arr.type) == "string_view"):
        raise TypeError(f"strings must be a string array, not {arr.type}")
    n = len(arr)
    ref_arr: Optional[pa.ChunkedArray] = None
    refs: Any = None
    if isinstance(reference_dates, (pa.Array, pa.ChunkedArray)):
        ref_arr = _date_ref_array(reference_dates, n)
    else:
        refs = _date_refs(reference_dates)
        if isinstance(refs, (list, tuple)) and len(refs) != n:
            raise ValueError(f"reference_dates must have one entry per string ({len(refs)} for "
                             f"{n})")
    out = []
    offset = 0
    for chunk in _string_chunks(arr):
        m = len(chunk)
        chunk_refs = refs[offset:offset + m] if isinstance(refs, (list, tuple)) else refs
        ref_caps = None
        if ref_arr is not None:
            ref_caps = ref_arr.slice(offset, m).combine_chunks().__arrow_c_array__()
        out.append(pa.array(_core.parse_dates_arrow(chunk.__arrow_c_array__(), chunk_refs,
                                                    ref_caps, languages)))
        offset += m
    if chunked_in:
        return pa.chunked_array(out, type=pa.date32())
    return out[0] if out else pa.array([], type=pa.date32())
