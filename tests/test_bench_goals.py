"""The bench report's verdicts on issue 21's goals (bench/goals.py): plain Python, no database."""
import copy

from bench import goals

NEW = {f"{name} GET": {"errors": 0, "p95_ms": 90.0} for name in goals.NEW_PAGES}
RUN = {
    "queries": [
        {"data": "small", "queries": {"dashboard": 9, "wizard A": 5, **{f"{n}": 7 for n in goals.NEW_PAGES}}},
        {"data": "large", "queries": {"dashboard": 9, "wizard A": 5, **{f"{n}": 7 for n in goals.NEW_PAGES}}},
    ],
    "load": {
        "users": 50,
        "mixed": {"dashboard": {"errors": 0, "p95_ms": 120.0}, "reviewer queue": {"errors": 0, "p95_ms": 140.0},
                  **NEW, "Aggregated": {"errors": 0, "p95_ms": 250.0}},
        "wizard_rps": 53.1, "minimal_rps": 650.6, "wizard_share": 0.08, "wizard_errors": 0,
        "floor_rps": 121.9, "floor_share": 0.19, "floor_errors": 0, "wizard_share_of_floor": 0.44,
    },
    "scale": {"pages": {"queue": {"small_p95_ms": 40.0, "large_p95_ms": 49.0, "ratio": 1.22},
                        "dashboard": {"small_p95_ms": 80.0, "large_p95_ms": 81.0, "ratio": 1.01}}},
    "pdf": {"ratio": 1.69, "portal_seconds": 1.364, "reference_seconds": 0.808, "pages": 11,
            "portal_characters": 59391, "reference_characters": 43346},
    "upload": {"size_mb": 99.9, "seconds": 0.49, "worker_peak_growth_mb": 4.5, "copy_seconds": 0.04,
               "sha256_seconds": 0.128, "pdf_check_seconds": 0.063, "throughput_share_of_floor": 0.47},
    "csv": {"sites": 5000, "rows": 5000, "seconds": 1.2, "first_byte_seconds": 0.05, "peak_growth_mb": 6.0,
            "streaming": True},
}


def test_every_goal_of_the_issue_is_judged_in_a_full_run_in_the_issues_order():
    verdicts = goals.verdicts(RUN)
    assert [v.goal.split(" ")[0] for v in verdicts] == [
        "floor", "wizard", "upload", "upload:", "PDF:", "PDF:", "the", "queries", "every", "zero", "consultant's",
        "large-database"]
    assert [v.met for v in verdicts] == [None, None, False, True, False, False, True, True, True, True, True, True]
    rows = goals.markdown(verdicts)
    assert len(rows) == 2 + len(verdicts)
    assert [r for r in rows if "| information |" in r] == rows[2:4]  # issue 29: no longer goals


def test_a_partial_run_judges_only_what_it_measured():
    assert [v.goal for v in goals.verdicts({"scale": RUN["scale"]})] == [
        "large-database p95 within 2x of the small database's"]
    assert [v.goal.split(":")[0] for v in goals.verdicts({"pdf": RUN["pdf"]})] == ["PDF", "PDF"]


def test_floor_and_wizard_shares_are_shown_as_information_not_judged():
    """Issue 29 retired the goals "floor page >= 0.30 of the minimal view" and "wizard >= 0.60 of the floor
    page": the bench still prints both shares, and neither passes nor fails a run."""
    load = copy.deepcopy(RUN["load"])
    v = goals.floor_page(load)
    assert v.met is None and v.measured == "0.187 (121.9 vs 650.6 req/s)"
    w = goals.wizard_throughput(load)
    assert w.met is None and w.measured == "0.435 (53.1 vs 121.9 req/s)"
    assert goals.floor_page({**load, "floor_rps": 0.3 * load["minimal_rps"]}).met is None


def test_shares_are_shown_cut_to_three_decimals_never_rounded_up():
    """A clean-clone run measured the wizard at 333.6 vs 556.6 req/s: 0.5993, once shown as 0.60."""
    load = copy.deepcopy(RUN["load"])
    load.update(wizard_rps=333.6, floor_rps=556.6, wizard_share_of_floor=0.6, minimal_rps=1855.4, floor_share=0.3)
    w, f = goals.wizard_throughput(load), goals.floor_page(load)
    assert w.measured.startswith("0.599 ") and f.measured.startswith("0.299 ")
    load.update(wizard_rps=334.0, floor_rps=556.6, minimal_rps=1855.0)
    assert goals.wizard_throughput(load).measured.startswith("0.600 ")


def test_upload_share_of_its_floor_and_memory():
    v = goals.upload_throughput(RUN["upload"])
    assert not v.met and "copy 0.04 s + SHA-256 0.128 s + check 0.063 s" in v.bound
    assert goals.upload_throughput({**RUN["upload"], "throughput_share_of_floor": 0.8}).met
    assert goals.upload_memory(RUN["upload"]).met
    assert not goals.upload_memory({"worker_peak_growth_mb": 20}).met


def test_pdf_per_printed_character_and_seconds():
    v = goals.pdf_per_character(RUN["pdf"])
    assert not v.met and v.measured == "1.23" and "printing 1.37x its characters" in v.bound
    assert goals.pdf_per_character({**RUN["pdf"], "ratio": 1.50}).met  # 1.50 / 1.37 = 1.095
    assert not goals.pdf_seconds(RUN["pdf"]).met
    assert goals.pdf_seconds({**RUN["pdf"], "portal_seconds": 0.99}).met


def test_every_new_page_must_be_in_both_the_query_table_and_the_load_mix():
    assert goals.new_pages(RUN).met
    run = copy.deepcopy(RUN)
    del run["load"]["mixed"]["stress assessment GET"]
    v = goals.new_pages(run)
    assert not v.met and v.measured == "missing: stress assessment"
    run = copy.deepcopy(RUN)
    del run["queries"][0]["queries"]["log-in"]
    assert goals.new_pages(run).measured == "missing: log-in"


def test_csv_export_must_stream_and_stay_within_time_and_memory():
    assert goals.csv_export(RUN["csv"]).met
    for change in ({"streaming": False}, {"seconds": 2.0}, {"peak_growth_mb": 30.0}):
        assert not goals.csv_export({**RUN["csv"], **change}).met


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


def test_scale_limit_is_strict():
    run = copy.deepcopy(RUN)
    run["scale"]["pages"]["queue"]["ratio"] = 2.01
    v = goals.scale(run["scale"])
    assert not v.met and "(queue)" in v.measured


def _stack(pg_ms, web_ms, errors=0):
    return {"stack": {"wizard": {"postgres_cpu_ms": pg_ms, "web_cpu_ms": web_ms,
                                 "postgres_share": round(pg_ms / web_ms, 3), "web_cores_per_postgres_core": round(web_ms / pg_ms, 1)},
                      "servers_1": {"errors": errors}, "servers_2": {"errors": 0}}}


def test_the_stack_goal_wants_postgres_under_a_tenth_of_the_web_servers_cpu():
    from bench import goals

    met, many = goals.verdicts(_stack(0.3, 4.0)), goals.verdicts(_stack(0.5, 4.0, errors=2))
    assert [v.met for v in met] == [True, True]
    assert [v.met for v in many] == [False, False]
    assert "13.3" in met[0].bound


def test_the_peak_assumption_gives_the_requests_per_second_it_states():
    import importlib.util
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "bench" / "run.py").read_text()
    assert "= 119 requests a second" in text
    a = {"applications_a_year": 40_000, "requests_per_application": 300, "share_in_last_fortnight": 0.5, "days": 14,
         "hours_a_day": 10, "peak_factor": 10}
    assert round(a["applications_a_year"] * a["requests_per_application"] * a["share_in_last_fortnight"]
                 / (a["days"] * a["hours_a_day"] * 3600) * a["peak_factor"]) == 119


def _browser_page(first_lcp=1.2, kb=90.0, cls=0.0, repeat_lcp=0.5, blocking=("/static/frontend/bootstrap-italia.0123456789ab.css",
                                                                            "/static/ot24/portal.0123456789ab.css")):
    return {"path": "/", "who": "anonymous",
            "first": {"lcp_s": first_lcp, "kb": kb, "cls": cls, "requests": 4, "blocking": list(blocking), "runs_lcp_s": []},
            "repeat": {"lcp_s": repeat_lcp, "kb": 6.0, "cls": 0.0, "requests": 1, "blocking": list(blocking),
                       "runs_lcp_s": []}}


BROWSER = {"runs": 3, "load_before": [1.0, 1.0, 1.0], "load_after": [1.2, 1.0, 1.0],
           "pages": {"home": _browser_page(), "log-in": _browser_page(first_lcp=0.9)}}


def test_the_browser_goals_are_met_when_every_page_is_within_them_and_judged_after_the_others():
    verdicts = goals.verdicts({**RUN, "browser": BROWSER})
    browser = verdicts[-5:]
    assert [v.met for v in browser] == [True, True, True, True, True]
    assert browser[0].goal == "first visit (empty cache): every page's LCP <= 1.5 s"
    assert browser[0].measured == "worst 1.2 s (home)"
    assert goals.verdicts(RUN) == verdicts[:-5]  # a run without the section judges nothing of it


def test_each_browser_goal_fails_on_the_worst_page_alone_and_holds_at_its_bound():
    for field, value, index in (("first_lcp", 1.51, 0), ("kb", 150.1, 1), ("cls", 0.06, 2), ("repeat_lcp", 0.81, 3)):
        result = copy.deepcopy(BROWSER)
        result["pages"]["dashboard"] = _browser_page(**{field: value})
        verdicts = goals.browser(result)
        assert [v.met for v in verdicts] == [i != index for i in range(5)], field
        assert "(dashboard)" in verdicts[index].measured
    at_bounds = copy.deepcopy(BROWSER)
    at_bounds["pages"]["dashboard"] = _browser_page(first_lcp=1.5, kb=150.0, cls=0.05, repeat_lcp=0.8)
    assert all(v.met for v in goals.browser(at_bounds))


def test_a_page_without_an_lcp_fails_the_goal_instead_of_being_skipped():
    result = copy.deepcopy(BROWSER)
    result["pages"]["review screen"] = _browser_page(repeat_lcp=None)
    verdicts = goals.browser(result)
    assert verdicts[3].met is False and verdicts[3].measured == "no figure on review screen"


def test_a_render_blocking_script_or_the_whole_bundle_fails_the_render_blocking_goal():
    for blocking in (["/static/ot24/vendor-settings.bbe0e295bebf.js"],
                     ["/static/css/bootstrap-italia.min.d997ff46f6e8.css"],
                     ["/static/frontend/bootstrap-italia.0123456789ab.js"]):
        result = copy.deepcopy(BROWSER)
        result["pages"]["wizard"] = _browser_page(blocking=blocking)
        verdict = goals.browser(result)[4]
        assert verdict.met is False and blocking[0] in verdict.measured and "(wizard)" in verdict.measured
    result = copy.deepcopy(BROWSER)
    result["pages"]["log-in"] = _browser_page(blocking=["/static/identity/spid.0123456789ab.css"])
    assert goals.browser(result)[4].met is True


# --- issue 35: the goals over three rounds, the deadline's rush, the machine's load ---------------------------


def _load(p95: float, errors: int = 0, floor_rps: float = 121.9) -> dict:
    load = copy.deepcopy(RUN["load"])
    load["mixed"]["dashboard"].update(p95_ms=p95, errors=errors)
    load["floor_rps"] = floor_rps
    return load


def _rounds(*loads) -> dict:
    return {**RUN, "load": loads[0], "rounds": {"load": list(loads)}}


def _by_goal(verdicts, start: str):
    [v] = [v for v in verdicts if v.goal.startswith(start)]
    return v


def test_one_noisy_round_cannot_flip_a_goal_the_median_round_judges():
    """A round slowed by the machine's other work (260 ms) does not fail the p95 goal, nor does one lucky
    round pass it; the measured figure is the median round's, every round's figure shown."""
    slow_once = goals.verdicts_over_rounds(_rounds(_load(120.0), _load(260.0), _load(130.0)))
    v = _by_goal(slow_once, "every page's p95")
    assert v.met and v.value == 140.0  # the quiet rounds' worst page: the reviewer queue at 140 ms
    assert v.measured == "worst 140.0 ms (reviewer queue) [median of 3 rounds: 140, 260, 140]"
    fast_once = goals.verdicts_over_rounds(_rounds(_load(230.0), _load(120.0), _load(240.0)))
    v = _by_goal(fast_once, "every page's p95")
    assert not v.met and v.measured.startswith("worst 230.0 ms (dashboard) [median of 3 rounds: 230, 140, 240]")


def test_the_median_is_the_middle_round_whatever_the_order():
    made = [goals.Verdict("g", f"{x} s", x < 5, value=x) for x in (7.0, 1.0, 4.0)]
    v = goals.combine(made)
    assert v.value == 4.0 and v.met and v.measured == "4.0 s [median of 3 rounds: 7, 1, 4]"
    assert goals.combine(made[:1]) is made[0]  # one round: its verdict as it is, no brackets


def test_errors_and_counts_take_the_worst_round_so_one_bad_round_shows():
    v = _by_goal(goals.verdicts_over_rounds(_rounds(_load(120.0), _load(120.0, errors=2), _load(120.0))), "zero errors")
    assert not v.met and v.measured == "2 errors [worst of 3 rounds: 0, 2, 0]"
    v = _by_goal(goals.verdicts_over_rounds(_rounds(_load(120.0), _load(120.0), _load(120.0))), "zero errors")
    assert v.met and v.measured == "0 errors [worst of 3 rounds: 0, 0, 0]"


def test_retired_ratios_stay_information_over_the_rounds():
    judged = goals.verdicts_over_rounds(_rounds(_load(120.0, floor_rps=100.0), _load(120.0, floor_rps=300.0),
                                                _load(120.0, floor_rps=200.0)))
    floor = _by_goal(judged, "floor page's throughput")
    assert floor.met is None and floor.measured.startswith("0.307 (200.0 vs 650.6 req/s) [median of 3 rounds")
    assert _by_goal(judged, "wizard pages' throughput").met is None


def test_sections_measured_once_count_in_every_round():
    """The query counts are measured once (no load moves them): judged once, beside goals of three rounds."""
    judged = goals.verdicts_over_rounds(_rounds(_load(120.0), _load(130.0), _load(140.0)))
    q = _by_goal(judged, "queries constant")
    assert q.met and q.measured == "5–9 per page [worst of 3 rounds: 9, 9, 9]"
    assert [v.goal for v in judged] == [v.goal for v in goals.verdicts(RUN)]  # every goal of today's table kept


def test_the_goals_table_shows_the_machine_load_of_each_round_of_the_goals_section():
    judged = goals.verdicts_over_rounds(_rounds(_load(120.0), _load(130.0), _load(140.0)))
    rows = goals.markdown(judged, load={"load": [(1.0, 2.5), (2.5, 3.04), (3.0, 1.96)]})
    assert rows[0].endswith("| machine load (loadavg start-end, each round) |")
    [p95] = [r for r in rows if r.startswith("| every page's p95")]
    assert p95.endswith("| 1.0-2.5, 2.5-3.0, 3.0-2.0 |")
    assert goals.markdown(judged)[0] == "| goal | measured | met | what this run shows about its reach |"


RUSH = {"companies": 20, "statuses": [302] * 20, "errors": 0, "submitted": 20, "sealed_once": 20,
        "sealed_more_than_once": 0, "unique_receipts": 20, "well_formed_receipts": 20, "pdfs_stored_and_matching": 20,
        "slowest_s": 3.2, "median_s": 2.0, "worker_cpu_per_submit_s": 0.31, "workers": 2}
CROWD = {"users": 150, "mixed": {"dashboard": {"errors": 0, "p95_ms": 180.0},
                                 "reviewer queue": {"errors": 0, "p95_ms": 240.0},
                                 "Aggregated": {"errors": 0, "p95_ms": 900.0}}}


def test_the_rush_judges_sealed_once_unique_receipts_and_the_slowest_answer():
    correct, slowest, p95, errors = goals.verdicts({"rush": {"submit": RUSH, "crowd": CROWD}})
    assert correct.met and correct.measured == "20 sealed once, 20 unique receipts"
    assert slowest.met and slowest.measured == "3.2 s" and slowest.goal.endswith("within 5 s")
    assert p95.met and p95.measured == "worst 240.0 ms (reviewer queue)" and p95.goal.endswith("at 150 users")
    assert errors.met
    for change, shown in (({"sealed_more_than_once": 1}, "1 sealed more than once"),
                          ({"unique_receipts": 19}, "1 receipts missing or repeated"),
                          ({"submitted": 19, "sealed_once": 19}, "1 not submitted"),
                          ({"errors": 1, "statuses": [500] + [302] * 19}, "1 answers not a redirect")):
        v = goals.rush_submit({**RUSH, **change})[0]
        assert not v.met and shown in v.measured
    assert not goals.rush_submit({**RUSH, "slowest_s": 5.01})[1].met
    assert goals.rush_submit({**RUSH, "slowest_s": 5.0})[1].met
    crowd = copy.deepcopy(CROWD)
    crowd["mixed"]["dashboard"].update(p95_ms=300.0, errors=1)
    assert [v.met for v in goals.crowd(crowd)] == [False, False]


def test_a_duplicate_receipt_in_one_round_fails_the_rush_whatever_the_other_rounds():
    rounds = [{"submit": RUSH, "crowd": CROWD}, {"submit": {**RUSH, "unique_receipts": 19}, "crowd": CROWD},
              {"submit": RUSH, "crowd": CROWD}]
    judged = goals.verdicts_over_rounds({"rush": rounds[0], "rounds": {"rush": rounds}})
    assert not judged[0].met and "[worst of 3 rounds: 0, 1, 0]" in judged[0].measured
