"""Files → YAML → models, with every problem located by file, line and column: the
YAML gateway, the only place that parses YAML.

* ``files`` reads a data folder's files safely (regular files only, links inside the
  folder, size limits, UTF-8);
* ``syntax`` turns text into plain values and node trees by YAML 1.2 rules with
  limits, and node trees into positions;
* ``validate`` turns values into pydantic models and pydantic's errors into located
  problems that say what would be right (``suggest`` says "did you mean");
* ``portfolio`` reads the whole data folder through the content-keyed cache.

Everything other modules use is importable from ``roadmap.load`` itself.
"""

from __future__ import annotations

from ..cache import Cache, default_cache_dir
from .files import (
    MAX_FILE_BYTES,
    MAX_READ_ATTEMPTS,
    RawProblem,
    decode,
    display_path,
    project_files,
    read_file,
)
from .portfolio import (
    MAX_PORTFOLIO_MEASUREMENTS,
    LoadResult,
    gc_paused,
    load_model_file,
    load_portfolio,
    read_yaml_bytes,
    read_yaml_file,
)
from .suggest import Suggester, did_you_mean
from .syntax import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    MAX_VALUES,
    Composer,
    Resolver12,
    YamlProblem,
    compose,
    compose_file,
    construct,
    core_scalar,
    locate,
    locate_findings,
    locate_in_file,
    node_tree,
    parse,
)
from .validate import (
    FileResult,
    load_document,
    load_model_text,
    load_project_text,
    load_strategy_text,
    schema_findings,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INT_DIGITS",
    "MAX_PORTFOLIO_MEASUREMENTS",
    "MAX_READ_ATTEMPTS",
    "MAX_VALUES",
    "Cache",  # the cache lives in cache.py; kept importable here
    "Composer",
    "FileResult",
    "LoadResult",
    "RawProblem",
    "Resolver12",
    "Suggester",
    "YamlProblem",
    "compose",
    "compose_file",
    "construct",
    "core_scalar",
    "decode",
    "default_cache_dir",
    "did_you_mean",
    "display_path",
    "gc_paused",
    "load_document",
    "load_model_file",
    "load_model_text",
    "load_portfolio",
    "load_project_text",
    "load_strategy_text",
    "locate",
    "locate_findings",
    "locate_in_file",
    "node_tree",
    "parse",
    "project_files",
    "read_file",
    "read_yaml_bytes",
    "read_yaml_file",
    "schema_findings",
]
