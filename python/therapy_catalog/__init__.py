"""Therapy and counseling conversation datasets from the Hugging Face Hub, found offline.

The original ``TherapyDatasetSourcing`` API (``find_therapy_datasets``, ``search_huggingface``,
the filters, ``rank_datasets``, ``export_results``, ``generate_report``) answered from a local
catalog that ``sync()`` (or ``catalog sync``) keeps up to date. Searches take milliseconds and
need no network; records are the same as ``catalog export`` writes.

    >>> from therapy_catalog import sync, find_therapy_datasets
    >>> sync(quick=True)                           # once, or now and then (network)
    >>> for d in find_therapy_datasets(min_turns=20, min_quality=0.5):
    ...     print(d.name, d.avg_turns, d.conversation_format)
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

from . import _engine
from ._engine import CatalogError, CatalogNotFoundError, StaleScoresWarning

__all__ = [
    "CatalogError",
    "CatalogNotFoundError",
    "DatasetMetadata",
    "StaleScoresWarning",
    "TherapyDatasetSourcing",
    "find_therapy_datasets",
    "sync",
    "to_pandas",
]

#: The original tool's ranking weights (it had no text match).
DEFAULT_WEIGHTS: Dict[str, float] = {"quality": 0.3, "relevance": 0.3, "turns": 0.2, "popularity": 0.2}
_WEIGHT_KEYS = ("match", "quality", "relevance", "turns", "popularity")


@dataclass(frozen=True)
class DatasetMetadata:
    """One dataset: the original tool's 19 fields, then the catalog's own.

    ``quality_score`` is always the quality score (ranking never overwrites it; the composite
    is ``score``). ``avg_turns`` is ``None`` when only a lower bound is known
    (``avg_turns_lower_bound``); ``turns_figure`` says how far a figure can be trusted.
    """

    name: str
    source: str
    url: str
    description: str
    tags: List[str]
    downloads: int = 0
    likes: int = 0
    size_bytes: Optional[int] = None
    num_conversations: Optional[int] = None
    avg_turns: Optional[float] = None
    min_turns: Optional[int] = None
    max_turns: Optional[int] = None
    conversation_format: Optional[str] = None
    languages: List[str] = field(default_factory=list)
    license: Optional[str] = None
    created_at: Optional[str] = None
    updated_at: Optional[str] = None
    quality_score: float = 0.0
    therapeutic_relevance: float = 0.0
    # ---- the catalog's additions ----
    id: str = ""
    score: Optional[float] = None
    median_turns: Optional[float] = None
    avg_turns_lower_bound: Optional[float] = None
    turns_figure: Optional[str] = None
    turns_source: Optional[str] = None
    turns_exact: Optional[bool] = None
    turns_layout: Optional[str] = None
    turns_status: Optional[str] = None
    turns_evidence: List[Dict[str, Any]] = field(default_factory=list)
    num_conversations_source: Optional[str] = None
    kind: str = "other"
    family_id: Optional[str] = None
    family_role: Optional[str] = None
    related: List[str] = field(default_factory=list)
    licenses: List[str] = field(default_factory=list)
    pretty_name: Optional[str] = None
    gated: Optional[str] = None
    matched_terms: List[str] = field(default_factory=list)
    modalities: List[str] = field(default_factory=list)
    extra: Dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> Dict[str, Any]:
        """The record as a dict (the ``catalog export`` JSON shape)."""
        record = dataclasses.asdict(self)
        extra = record.pop("extra")
        record.update(extra)
        return record

    @classmethod
    def from_record(cls, record: Dict[str, Any]) -> "DatasetMetadata":
        names = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        known = {k: v for k, v in record.items() if k in names}
        extra = {k: v for k, v in record.items() if k not in names}
        return cls(**known, extra=extra)

    def _turns(self) -> Optional[float]:
        return self.avg_turns if self.avg_turns is not None else self.avg_turns_lower_bound


def _filters(**kwargs: Any) -> str:
    return json.dumps({k: v for k, v in kwargs.items() if v is not None})


def _records(raw: str) -> List[DatasetMetadata]:
    return [DatasetMetadata.from_record(r) for r in json.loads(raw)]


def _check_unit(name: str, value: Optional[float]) -> None:
    if value is not None and not (0.0 <= float(value) <= 1.0):
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")


def _check_turns(name: str, value: Optional[float]) -> None:
    if value is not None and (not isinstance(value, (int, float)) or value < 0):
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")


def sync(
    quick: bool = False,
    full: bool = False,
    data_dir: Optional[str] = None,
    hub_url: Optional[str] = None,
    viewer_url: Optional[str] = None,
    max_requests: Optional[int] = None,
    no_samples: bool = False,
    quiet: bool = False,
) -> Dict[str, Any]:
    """Refresh the catalog from the Hub — the same sync as ``catalog sync``.

    The first sync runs a quick pass (therapy searches, minutes) then a whole-Hub pass;
    ``quick=True`` stops after the quick pass, ``full=True`` forces a whole-Hub pass. Progress
    goes to stderr; Ctrl-C raises ``KeyboardInterrupt`` and the next sync resumes. Returns the
    sync's counters (``status`` is ``complete`` or ``partial``).
    """
    raw = _engine.sync(quick, full, data_dir, hub_url, viewer_url, max_requests, no_samples, quiet,
                       _retry_base_ms())
    return json.loads(raw)


def _retry_base_ms() -> Optional[int]:
    value = os.environ.get("CATALOG_RETRY_BASE_MS")
    return int(value) if value and value.isdigit() else None


class TherapyDatasetSourcing:
    """The original tool's sourcing engine, answering from the local catalog.

    ``data_dir`` is the catalog's data directory (default: ``$CATALOG_DIR``, else the OS data
    dir, as for the ``catalog`` command). Nothing here touches the network except ``sync``.
    """

    def __init__(self, data_dir: Optional[str] = None, output_path: Optional[str] = None):
        self.data_dir = _engine.resolve_data_dir(data_dir)
        self.output_path = Path(output_path) if output_path else None

    # ---------------- search ----------------

    def search_huggingface(
        self, query: str = "therapy conversation", min_turns: Optional[int] = None, limit: int = 50
    ) -> List[DatasetMetadata]:
        """Search the *local catalog* (the name is kept for compatibility with the original,
        which searched the Hub live): full-text over ids, names, tags, descriptions and READMEs,
        ranked with relevance, quality, turns and popularity. With ``min_turns``, datasets known
        to be shorter are dropped; datasets of unknown length are kept (as the original did).
        """
        _check_turns("min_turns", min_turns)
        results = self._query(query or "", limit=limit)
        if min_turns is None:
            return results
        return [d for d in results if d._turns() is None or d._turns() >= min_turns]

    def find_therapy_datasets(
        self,
        query: Optional[str] = None,
        min_turns: int = 20,
        min_quality: float = 0.5,
        min_relevance: float = 0.5,
        limit: int = 50,
        output: Optional[str] = None,
    ) -> List[DatasetMetadata]:
        """The main pipeline: therapy datasets with at least ``min_turns`` average turns (a
        measured lower bound counts when it reaches it), quality and relevance above the
        minimums, ranked. ``output`` writes the export JSON there.
        """
        _check_turns("min_turns", min_turns)
        _check_unit("min_quality", min_quality)
        _check_unit("min_relevance", min_relevance)
        results = self._query(
            query or "",
            limit=limit,
            min_turns=min_turns,
            min_quality=min_quality,
            min_relevance=min_relevance,
        )
        if output:
            self.export_results(results, output)
        return results

    def _query(self, text: str, limit: int = 50, weights: Optional[Dict[str, float]] = None,
               collapse: bool = False, **filters: Any) -> List[DatasetMetadata]:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        spec = ",".join(f"{k}={v}" for k, v in (weights or {}).items())
        raw = _engine.query(text, _filters(**filters), spec or None, 0, int(limit), collapse,
                            self.data_dir)
        return _records(raw)

    # ---------------- filters (same meaning as the original) ----------------

    def filter_by_conversation_length(
        self, datasets: List[DatasetMetadata], min_turns: int = 20, max_turns: Optional[int] = None
    ) -> List[DatasetMetadata]:
        """Datasets whose average turns lie in ``[min_turns, max_turns]``; datasets of unknown
        length are kept for a manual check (as the original did). A lower bound counts as known
        once it reaches ``min_turns``, and never passes a ``max_turns``."""
        _check_turns("min_turns", min_turns)
        _check_turns("max_turns", max_turns)
        kept = []
        for d in datasets:
            if d.avg_turns is None and d.avg_turns_lower_bound is None:
                kept.append(d)
            elif d.avg_turns is not None:
                if d.avg_turns >= min_turns and (max_turns is None or d.avg_turns <= max_turns):
                    kept.append(d)
            elif d.avg_turns_lower_bound >= min_turns and max_turns is None:
                kept.append(d)
        return kept

    def filter_by_quality(self, datasets: List[DatasetMetadata], min_quality: float = 0.5) -> List[DatasetMetadata]:
        """Datasets with ``quality_score >= min_quality``."""
        _check_unit("min_quality", min_quality)
        return [d for d in datasets if d.quality_score >= min_quality]

    def filter_by_therapeutic_relevance(
        self, datasets: List[DatasetMetadata], min_relevance: float = 0.5
    ) -> List[DatasetMetadata]:
        """Datasets with ``therapeutic_relevance >= min_relevance``."""
        _check_unit("min_relevance", min_relevance)
        return [d for d in datasets if d.therapeutic_relevance >= min_relevance]

    def rank_datasets(
        self, datasets: List[DatasetMetadata], weights: Optional[Dict[str, float]] = None
    ) -> List[DatasetMetadata]:
        """Rank by a composite of quality, relevance, turns and popularity (the original's
        keys and defaults; ``match`` uses each record's search ``score``). Returns new records
        with ``score`` set; ``quality_score`` is never overwritten (the original did)."""
        weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
        unknown = set(weights) - set(_WEIGHT_KEYS)
        if unknown:
            raise ValueError(f"unknown weight keys {sorted(unknown)} (known: {', '.join(_WEIGHT_KEYS)})")
        if any((not isinstance(v, (int, float))) or v < 0 or math.isnan(v) for v in weights.values()):
            raise ValueError("weights must be non-negative numbers")
        total = sum(weights.values())
        if total <= 0:
            raise ValueError("at least one weight must be positive")

        def composite(d: DatasetMetadata) -> float:
            turns = d._turns()
            factors = {
                "match": d.score or 0.0,
                "quality": d.quality_score,
                "relevance": d.therapeutic_relevance,
                "turns": min(1.0, math.log1p(turns) / math.log(31)) if turns else 0.0,
                "popularity": min(1.0, 0.7 * math.log10(1 + d.downloads) / 6 + 0.3 * math.log10(1 + d.likes) / 4),
            }
            return sum(w * factors[k] for k, w in weights.items()) / total

        ranked = [dataclasses.replace(d, score=round(composite(d), 4)) for d in datasets]
        ranked.sort(key=lambda d: (-(d.score or 0.0), d.name))
        return ranked

    # ---------------- output ----------------

    def export_results(self, datasets: List[DatasetMetadata], filename: str) -> str:
        """Write the records as a JSON array (the ``catalog export`` shape), atomically; a
        relative ``filename`` goes under ``output_path`` when one was given. Returns the path."""
        path = Path(filename)
        if not path.is_absolute() and self.output_path is not None:
            path = self.output_path / path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=".export-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump([d.to_dict() for d in datasets], out, ensure_ascii=False, indent=2)
                out.write("\n")
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return str(path)

    def generate_report(self, datasets: List[DatasetMetadata]) -> str:
        """The text report of these datasets (the same report as ``catalog report``)."""
        return _engine.report(json.dumps([d.to_dict() for d in datasets]), "", "", self.data_dir)


def find_therapy_datasets(
    min_turns: int = 20,
    min_quality: float = 0.5,
    min_relevance: float = 0.5,
    query: Optional[str] = None,
    limit: int = 50,
    output: Optional[str] = None,
    data_dir: Optional[str] = None,
) -> List[DatasetMetadata]:
    """Therapy conversation datasets from the local catalog: ``min_turns`` average turns or more,
    quality and relevance at least the minimums, ranked. ``output=PATH`` also writes the export."""
    return TherapyDatasetSourcing(data_dir).find_therapy_datasets(
        query=query, min_turns=min_turns, min_quality=min_quality, min_relevance=min_relevance,
        limit=limit, output=output,
    )


def to_pandas(datasets: Iterable[DatasetMetadata]):
    """A pandas DataFrame of the records (pandas is optional: ``pip install pandas``)."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("to_pandas needs pandas: pip install pandas") from e
    return pd.DataFrame([d.to_dict() for d in datasets])
