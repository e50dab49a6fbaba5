"""Type stubs of newsparse._core, the pybind11 binding of the C++ engine.

Use the ``newsparse`` package rather than this module: it normalises dates, stages and iterables.
"""

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ._model import Article

SCHEMA_VERSION: int

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

def tokenize(text: str) -> Tuple[List[Tuple[int, int, str, str, int]], List[Tuple[int, int]],
                                  List[Tuple[int, int]]]: ...
def register_model(classes: Dict[str, type]) -> None: ...
def _testing_article(text: str) -> Tuple[Article, str]: ...
