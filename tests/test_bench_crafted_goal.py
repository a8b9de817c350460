"""The crafted-uploads goal of bench/goals.py (item 3 of the security issue), judged on made-up figures."""
from bench import goals

CRAFTED = {
    "alone": {"object-stream bomb": {"kb": 279, "refused": True, "seconds": 0.15, "limit": "memory", "child_peak_growth_mb": 44.2},
              "PNG": {"kb": 410, "refused": True, "seconds": 0.01, "limit": "rejected", "child_peak_growth_mb": 0.6}},
    "concurrent_file": "object-stream bomb", "concurrent_status": [200], "concurrent_slowest_s": 1.6,
    "worker_peak_growth_mb": 0.3, "minimal_requests": 40, "minimal_errors": 0, "minimal_worst_ms": 900,
}


def test_met_when_every_crafted_file_is_refused_fast_and_small_and_others_answer():
    v = goals.crafted_uploads(CRAFTED)
    assert v.met
    assert "slowest 1.6 s, peak growth 44.2 MB" in v.measured and "0 errors, worst 900 ms" in v.measured


def test_not_met_when_a_file_passes_is_slow_or_big_or_others_wait():
    accepted = {**CRAFTED, "alone": {**CRAFTED["alone"], "PNG": {**CRAFTED["alone"]["PNG"], "refused": False}}}
    assert not goals.crafted_uploads(accepted).met
    assert not goals.crafted_uploads({**CRAFTED, "concurrent_slowest_s": 2.5}).met
    assert not goals.crafted_uploads({**CRAFTED, "worker_peak_growth_mb": 70}).met
    assert not goals.crafted_uploads({**CRAFTED, "minimal_errors": 1}).met
    assert not goals.crafted_uploads({**CRAFTED, "minimal_worst_ms": 2500}).met


def test_the_upload_section_includes_the_crafted_verdict_only_when_measured():
    upload = {"size_mb": 99.9, "seconds": 0.5, "worker_peak_growth_mb": 4, "copy_seconds": 0.04,
              "sha256_seconds": 0.1, "pdf_check_seconds": 0.06, "throughput_share_of_floor": 0.4}
    assert len(goals.verdicts({"upload": upload})) == 2
    assert goals.verdicts({"upload": {**upload, "crafted": CRAFTED}})[-1].goal.startswith("crafted uploads refused")
