"""Type stubs of newsparse._core, the pybind11 binding of the C++ engine.

Use the ``newsparse`` package rather than this module: it normalises dates, stages and iterables.
"""

import datetime
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from ._model import Article

SCHEMA_VERSION: int
__compiler__: Optional[str]

_Id = Union[str, int, None]

class Engine:
    def __init__(self, data_dir: Optional[str] = None,
                 max_article_bytes: int = 67108864) -> None: ...
    @property
    def data_dir(self) -> str: ...
    def parse(self, text: str, date: Optional[str] = None, id: _Id = None,
              stages: str = "all") -> Article: ...
    def parse_many(self, texts: Sequence[str], dates: Optional[Sequence[Optional[str]]] = None,
                   ids: Optional[Sequence[_Id]] = None, stages: str = "all",
                   threads: int = 0) -> List[Article]: ...
    def parse_arrow(self, texts: Tuple[object, object],
                    dates: Optional[Sequence[Any]] = None,
                    row_errors: Optional[Sequence[Optional[Tuple[str, str]]]] = None,
                    null_message: str = "text is null", stages: str = "all", threads: int = 0,
                    max_rows: int = 8192,
                    date_converter: Optional[Callable[[Any, str], Optional[str]]] = None
                    ) -> List[ArrowBatch]: ...
    def _time_parse(self, texts: Sequence[str], stages: str = "all",
                    threads: int = 0) -> float: ...
    def parse_json(self, text: str, date: Optional[str] = None, id: _Id = None,
                   stages: str = "all") -> str: ...
    def parse_bytes_json(self, data: bytes, date: Optional[str] = None,
                         id: Optional[str] = None, stages: str = "all") -> str: ...
    def parse_json_many(self, texts: Sequence[str],
                        dates: Optional[Sequence[Optional[str]]] = None,
                        ids: Optional[Sequence[_Id]] = None, stages: str = "all",
                        threads: int = 0) -> List[str]: ...
    def parse_jsonl(self, lines: Sequence[bytes], first_line: int = 1, text_field: str = "text",
                    date_field: str = "", id_field: str = "id", stages: str = "all",
                    threads: int = 0, date: Optional[str] = None) -> List[str]: ...

class ArrowBatch:
    """One record batch of results; pyarrow.record_batch(obj) takes it (once)."""
    def __arrow_c_array__(self, requested_schema: object = None) -> Tuple[object, object]: ...

class ArrowSchema:
    """The result schema; pyarrow.schema(obj) reads it."""
    def __init__(self) -> None: ...
    def __arrow_c_schema__(self) -> object: ...

class DateArray:
    """One Arrow date32 array, handed over once through the PyCapsule interface."""
    def __arrow_c_array__(self, requested_schema: Optional[object] = None
                          ) -> Tuple[object, object]: ...

def parse_dates(strings: Union[List[Optional[str]], Tuple[Optional[str], ...]],
                reference_dates: object = None,
                languages: Union[str, Iterable[str], None] = None
                ) -> List[Optional[datetime.date]]:
    """Date strings to days (see newsparse.parse_dates); GIL released while parsing."""
def parse_dates_arrow(strings: Tuple[object, object], reference_dates: object = None,
                      reference_capsules: Optional[Tuple[object, object]] = None,
                      languages: Union[str, Iterable[str], None] = None) -> DateArray:
    """An Arrow utf8/large_utf8 array (its capsules) to a date32 array; references as in
    parse_dates or the capsules of a date32 / string array (reference_dates None then)."""
def _arrow_exports_alive() -> int: ...
def tokenize(text: str) -> Tuple[List[Tuple[int, int, str, str, int]], List[Tuple[int, int]],
                                  List[Tuple[int, int]]]: ...
def register_model(classes: Dict[str, type]) -> None: ...
def _testing_article(text: str) -> Tuple[Article, str]: ...

# Evaluation, training and benchmark drivers (behind `newsparse eval|train|bench`). Errors raise
# FileNotFoundError (NotFound), ValueError (InvalidArgument) or RuntimeError with the message.
def eval_dateline(corpus: str, has_gold: bool = True, data_dir: str = "",
                  want_disagreements: bool = False) -> Tuple[str, str, bytes, int]: ...
def eval_ner(conll: str, model: str = "", data_dir: str = "") -> Tuple[str, str]: ...
def train_ner(train: str, dev: str, out: str, data_dir: str = "", seed: int = 1,
              epochs: int = 8, folds: int = 8,
              mixtures: int = 5, word_dropout: float = 0.1,
              beam: int = 3) -> Tuple[str, Optional[str], Optional[str]]: ...
def eval_entities(gold: str, oracle_mentions: bool = False,
                  data_dir: str = "") -> Tuple[str, str]: ...
def eval_attribution(gold: str, data_dir: str = "", errors_path: str = "",
                     agreement: bool = False,
                     multi_annotated: bool = False) -> Tuple[str, str, List[Tuple[int, str]]]: ...
def bench_corpus(path: str, field: str = "text", max_docs: int = 0, stages: str = "all",
                 threads: List[int] = ..., data_dir: str = "") -> Dict[str, Any]: ...
def bench_stream(path: str, field: str = "text", target_bytes: int = 0,
                 chunk_bytes: int = 67108864, stages: str = "all", threads: int = 1,
                 progress: Optional[Callable[[int, int], None]] = None,
                 data_dir: str = "") -> Dict[str, Any]: ...
def peak_rss_kb() -> int: ...
