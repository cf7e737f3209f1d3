"""The original tool's use cases and example workflow, offline against a catalog synced from a
fake Hub (no internet): the results are asserted, not just the calls."""

import json
import shutil
import sqlite3
import warnings

import pytest

import therapy_catalog as tc
from fake_hub import FakeHub, chat, item


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    hub = FakeHub()
    hub.add(item("clinic/long-therapy-sessions", "Multi-turn therapy session conversations between a therapist and clients with anxiety.", ["mental-health", "therapy"], downloads=5400, likes=51),
            [chat(24, i) for i in range(6)])
    hub.add(item("trauma/cbt-dialogues", "Trauma-focused CBT counseling dialogues between licensed therapists and clients with PTSD.", ["mental-health", "cbt"], downloads=900, likes=12),
            [chat(30, 100 + i) for i in range(5)])
    hub.add(item("peer/support-chats", "Peer support conversations for depression: a supporter and a help seeker talk.", ["mental-health"], downloads=300, likes=3),
            [chat(12, 200 + i, system=False) for i in range(5)])
    hub.add(item("qa/counseling-answers", "Mental health counseling question answering: a client question and a counselor answer.", ["mental-health", "counseling"], downloads=12000, likes=80),
            [{"Context": f"I can't sleep and feel anxious ({i}).", "Response": "That sounds hard. Let's talk about your evenings."} for i in range(8)])
    hub.add(item("bio/gene-therapy-vectors", "AAV capsid sequences for gene therapy vector design.", ["biology"], downloads=90000, likes=200))
    hub.start()
    data_dir = str(tmp_path_factory.mktemp("catalog"))
    counters = tc.sync(quick=True, data_dir=data_dir, hub_url=hub.url, viewer_url=hub.url, quiet=True)
    yield data_dir, counters
    hub.stop()


def names(datasets):
    return [d.name for d in datasets]


def test_sync_reports_its_counters(catalog):
    _, counters = catalog
    assert counters["status"] == "complete"
    assert counters["sampled_ok"] == 4
    assert counters["passes"] == ["plan"]


def test_use_case_long_multi_turn_therapy_datasets(catalog):
    data_dir, _ = catalog
    found = tc.find_therapy_datasets(min_turns=20, min_quality=0.0, data_dir=data_dir)
    assert sorted(names(found)) == ["clinic/long-therapy-sessions", "trauma/cbt-dialogues"]
    by = {d.name: d for d in found}
    assert by["clinic/long-therapy-sessions"].avg_turns == 24.0  # system prompt excluded
    assert by["trauma/cbt-dialogues"].conversation_format == "multi_turn"
    assert all(isinstance(d, tc.DatasetMetadata) for d in found)
    with pytest.raises(dataclasses_frozen_error()):
        found[0].avg_turns = 1.0


def dataclasses_frozen_error():
    import dataclasses
    return dataclasses.FrozenInstanceError


def test_use_case_search_then_filter_by_quality_and_relevance(catalog):
    data_dir, _ = catalog
    sourcing = tc.TherapyDatasetSourcing(data_dir=data_dir)
    results = sourcing.search_huggingface("therapy", limit=10)
    assert "bio/gene-therapy-vectors" in names(results)  # text matches; relevance tells it apart
    relevant = sourcing.filter_by_therapeutic_relevance(results, min_relevance=0.5)
    assert "bio/gene-therapy-vectors" not in names(relevant)
    assert "clinic/long-therapy-sessions" in names(relevant)
    good = sourcing.filter_by_quality(relevant, min_quality=0.0)
    assert good == relevant
    assert sourcing.filter_by_quality(relevant, min_quality=1.0) == []


def test_use_case_conversation_length_windows(catalog):
    data_dir, _ = catalog
    sourcing = tc.TherapyDatasetSourcing(data_dir=data_dir)
    everything = sourcing.search_huggingface("", limit=50)
    medium = sourcing.filter_by_conversation_length(everything, min_turns=10, max_turns=19)
    known = [d.name for d in medium if d.avg_turns is not None]
    assert known == ["peer/support-chats"]
    # Unknown lengths are kept for a manual check, as the original did.
    assert "bio/gene-therapy-vectors" in names(medium)


def test_use_case_custom_ranking_keeps_quality(catalog):
    data_dir, _ = catalog
    sourcing = tc.TherapyDatasetSourcing(data_dir=data_dir)
    datasets = sourcing.filter_by_therapeutic_relevance(sourcing.search_huggingface("", limit=50), 0.5)
    by_turns = sourcing.rank_datasets(datasets, weights={"turns": 1.0})
    assert by_turns[0].name == "trauma/cbt-dialogues"
    by_popularity = sourcing.rank_datasets(datasets, weights={"popularity": 1.0})
    assert by_popularity[0].name == "qa/counseling-answers"
    before = {d.name: d.quality_score for d in datasets}
    assert {d.name: d.quality_score for d in by_turns} == before  # never overwritten
    with pytest.raises(ValueError):
        sourcing.rank_datasets(datasets, weights={"bogus": 1.0})


def test_example_workflow_export_and_report(catalog, tmp_path):
    data_dir, _ = catalog
    sourcing = tc.TherapyDatasetSourcing(data_dir=data_dir)
    found = sourcing.find_therapy_datasets(query="therapy counseling", min_turns=20, min_quality=0.0,
                                           output=str(tmp_path / "found.json"))
    ranked = sourcing.rank_datasets(found)
    path = sourcing.export_results(ranked, str(tmp_path / "ranked.json"))
    records = json.loads(open(path, encoding="utf-8").read())
    original_fields = ["name", "source", "url", "description", "tags", "downloads", "likes", "size_bytes",
                       "num_conversations", "avg_turns", "min_turns", "max_turns", "conversation_format",
                       "languages", "license", "created_at", "updated_at", "quality_score", "therapeutic_relevance"]
    assert [r["name"] for r in records] == names(ranked)
    assert all(all(k in r for k in original_fields) for r in records)
    assert json.loads((tmp_path / "found.json").read_text())[0]["source"] == "huggingface"
    report = sourcing.generate_report(ranked)
    assert "clinic/long-therapy-sessions" in report and "Quality distribution" in report


def test_to_pandas_when_pandas_is_installed(catalog):
    pytest.importorskip("pandas")
    data_dir, _ = catalog
    found = tc.find_therapy_datasets(min_turns=20, min_quality=0.0, data_dir=data_dir)
    frame = tc.to_pandas(found)
    assert list(frame["name"]) == names(found)


def test_errors_are_python_exceptions(catalog, tmp_path):
    with pytest.raises(tc.CatalogNotFoundError) as missing:
        tc.find_therapy_datasets(data_dir=str(tmp_path / "nothing-here"))
    assert "sync" in str(missing.value) and "nothing-here" in str(missing.value)
    data_dir, _ = catalog
    with pytest.raises(ValueError):
        tc.find_therapy_datasets(min_quality=2.0, data_dir=data_dir)
    with pytest.raises(ValueError):
        tc.TherapyDatasetSourcing(data_dir).search_huggingface("x", limit=0)


def test_scores_from_another_scorer_warn_until_reindex(catalog, tmp_path):
    data_dir, _ = catalog
    tool = tc.TherapyDatasetSourcing(data_dir=data_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("error", tc.StaleScoresWarning)
        fresh = names(tool.find_therapy_datasets(min_turns=20, min_quality=0.0))
    assert fresh
    # The same catalog, as a catalog scored by an older scorer leaves it.
    stale_dir = tmp_path / "stale"
    shutil.copytree(data_dir, stale_dir)
    with sqlite3.connect(stale_dir / "catalog.sqlite3") as db:
        updated = db.execute("UPDATE meta SET value = 'scorer 1, lexicon 00000000' WHERE key = 'scored_with'").rowcount
    assert updated == 1
    stale_tool = tc.TherapyDatasetSourcing(data_dir=str(stale_dir))
    with pytest.warns(tc.StaleScoresWarning, match="catalog reindex"):
        stale = names(stale_tool.find_therapy_datasets(min_turns=20, min_quality=0.0))
    assert stale == fresh
