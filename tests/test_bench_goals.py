"""The bench report's verdicts on the performance goals (bench/goals.py): plain Python, no database."""
import copy

import pytest

from bench import goals

RUN = {
    "queries": [
        {"data": "small", "queries": {"dashboard": 9, "wizard A": 5}},
        {"data": "large", "queries": {"dashboard": 9, "wizard A": 5}},
    ],
    "load": {
        "users": 50,
        "mixed": {"dashboard": {"errors": 0, "p95_ms": 120.0}, "reviewer queue": {"errors": 0, "p95_ms": 140.0},
                  "Aggregated": {"errors": 0, "p95_ms": 250.0}},
        "wizard_rps": 53.1, "minimal_rps": 650.6, "wizard_share": 0.08, "wizard_errors": 0,
        "floor_rps": 121.9, "floor_share": 0.19, "floor_errors": 0,
    },
    "scale": {"pages": {"queue": {"small_p95_ms": 40.0, "large_p95_ms": 49.0, "ratio": 1.22},
                        "dashboard": {"small_p95_ms": 80.0, "large_p95_ms": 81.0, "ratio": 1.01}}},
    "pdf": {"ratio": 1.9, "portal_seconds": 1.357, "reference_seconds": 0.712,
            "portal_characters": 59391, "reference_characters": 43346},
    "upload": {"size_mb": 99.9, "seconds": 0.57, "throughput_share": 0.08, "worker_peak_growth_mb": 4.2,
               "copy_seconds": 0.044, "sha256_seconds": 0.131},
}


def test_every_goal_of_the_issue_is_judged_in_a_full_run():
    verdicts = goals.verdicts(RUN)
    assert [v.met for v in verdicts] == [True, True, True, False, True, False, True, False]
    assert len(goals.markdown(verdicts)) == 2 + 8


def test_a_partial_run_judges_only_what_it_measured():
    assert [v.goal for v in goals.verdicts({"scale": RUN["scale"]})] == [
        "large-database p95 within 2x of the small database's"]


def test_query_counts_that_grow_with_the_data_fail_and_are_named():
    run = copy.deepcopy(RUN)
    run["queries"][1]["queries"]["dashboard"] = 10
    v = goals.queries(run["queries"])
    assert not v.met and "dashboard" in v.measured and "wizard A" not in v.measured
    run["queries"][1]["queries"]["dashboard"] = 9
    run["queries"][0]["queries"]["wizard A"] = run["queries"][1]["queries"]["wizard A"] = 16
    assert not goals.queries(run["queries"]).met


def test_load_counts_errors_of_every_run_but_not_the_aggregate_twice():
    run = copy.deepcopy(RUN)
    run["load"]["mixed"]["Aggregated"]["errors"] = 3
    assert goals.load_errors(run["load"]).met
    run["load"]["floor_errors"] = 1
    assert goals.load_errors(run["load"]).measured == "1 errors"


def test_p95_names_the_worst_page_and_ignores_the_aggregate():
    v = goals.load_p95(RUN["load"])
    assert v.met and v.measured == "worst 140.0 ms (reviewer queue)"
    run = copy.deepcopy(RUN)
    run["load"]["mixed"]["dashboard"]["p95_ms"] = 200.0
    assert not goals.load_p95(run["load"]).met


@pytest.mark.parametrize("floor_share, out_of_reach", [(0.19, True), (0.55, False)])
def test_the_wizard_verdict_says_whether_the_floor_page_itself_misses_the_goal(floor_share, out_of_reach):
    run = copy.deepcopy(RUN)
    run["load"]["floor_share"] = floor_share
    v = goals.wizard_throughput(run["load"])
    assert not v.met
    assert ("no wizard page doing at least that work can meet it" in v.bound) is out_of_reach


def test_the_upload_verdict_compares_the_hash_alone_with_the_time_the_goal_allows():
    v = goals.upload_throughput(RUN["upload"])
    assert not v.met
    assert "allows 0.088 s" in v.bound and "out of reach while every upload is hashed" in v.bound
    fast_hash = {**RUN["upload"], "sha256_seconds": 0.05}
    assert "out of reach" not in goals.upload_throughput(fast_hash).bound
    assert goals.upload_throughput({**RUN["upload"], "throughput_share": 0.5}).met


def test_the_pdf_verdict_shows_the_cost_per_printed_character():
    v = goals.pdf(RUN["pdf"])
    assert not v.met
    assert "1.37x the reference's characters" in v.bound and "1.39x the reference's" in v.bound
    assert goals.pdf({**RUN["pdf"], "ratio": 1.3}).met


def test_memory_and_scale_limits_are_strict_where_the_issue_says_under():
    assert not goals.upload_memory({"worker_peak_growth_mb": 20}).met
    run = copy.deepcopy(RUN)
    run["scale"]["pages"]["queue"]["ratio"] = 2.01
    v = goals.scale(run["scale"])
    assert not v.met and "(queue)" in v.measured
