"""Writes the expected outputs of the golden fixtures with SWE-bench's own code.

For each case under CASES_DIR: its parser's statuses (parsed.json) and its report.json. For each run
under RUNS_DIR (dataset.json, predictions.json, run.json and the harness's logs/ tree): the run
summary make_run_report writes, MODEL.RUN_ID.json.

Usage: swebench_golden.py SWE_BENCH_CHECKOUT CASES_DIR RUNS_DIR (see scripts/swebench-golden).
"""
import contextlib
import io
import json
import os
import sys
import types
from pathlib import Path


def load_grading(checkout):
    # The packages' __init__ files import Docker and datasets clients; grading needs neither.
    for name, path in (("swebench", "swebench"), ("swebench.harness", "swebench/harness"), ("swebench.image_builder", "swebench/image_builder")):
        package = types.ModuleType(name)
        package.__path__ = [str(Path(checkout) / path)]
        sys.modules[name] = package
    sys.path.insert(0, checkout)
    from swebench.harness import grading, reporting
    from swebench.harness.log_parsers import PARSER_REGISTRY
    return grading, reporting, PARSER_REGISTRY


def main(checkout, cases, runs):
    grading, reporting, parsers = load_grading(checkout)
    for case in sorted(p for p in Path(cases).iterdir() if p.is_dir()):
        instance = json.loads((case / "instance.json").read_text())
        log_path = case / "test_output.txt"
        spec = types.SimpleNamespace(
            instance_id=instance["instance_id"],
            FAIL_TO_PASS=instance["FAIL_TO_PASS"],
            PASS_TO_PASS=instance["PASS_TO_PASS"],
            log_parser=instance["log_parser"],
            eval_type=instance.get("eval_type") or "pass_and_fail",
            version=instance.get("version"),
        )
        parsed = parsers[spec.log_parser](log_path.read_text(), spec)
        (case / "parsed.json").write_text(json.dumps(list(parsed.items()), indent=1) + "\n")
        prediction = {"instance_id": spec.instance_id, "model_patch": instance["model_patch"]}
        report = grading.get_eval_report(spec, prediction, str(log_path), include_tests_status=True)
        (case / "report.json").write_text(json.dumps(report, indent=4))
        print(case.name, "resolved" if report[spec.instance_id]["resolved"] else "unresolved")
    for run in sorted(p for p in Path(runs).iterdir() if p.is_dir()):
        dataset = json.loads((run / "dataset.json").read_text())
        predictions = json.loads((run / "predictions.json").read_text())
        run_id = json.loads((run / "run.json").read_text())["run_id"]
        # make_run_report reads logs/run_evaluation/ relative to the working directory.
        os.chdir(run)
        with contextlib.redirect_stdout(io.StringIO()):
            written = reporting.make_run_report(predictions, dataset, run_id, report_dir=".")
        print(run.name, written)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
