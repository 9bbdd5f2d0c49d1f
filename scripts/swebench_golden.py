"""Writes parsed.json and report.json for each golden case with SWE-bench's own grading code.

Usage: swebench_golden.py SWE_BENCH_CHECKOUT CASES_DIR (see scripts/swebench-golden).
"""
import json
import sys
import types
from pathlib import Path


def load_grading(checkout):
    # The packages' __init__ files import Docker and datasets clients; grading needs neither.
    for name, path in (("swebench", "swebench"), ("swebench.harness", "swebench/harness")):
        package = types.ModuleType(name)
        package.__path__ = [str(Path(checkout) / path)]
        sys.modules[name] = package
    sys.path.insert(0, checkout)
    from swebench.harness import grading
    from swebench.harness.log_parsers import PARSER_REGISTRY
    return grading, PARSER_REGISTRY


def main(checkout, cases):
    grading, parsers = load_grading(checkout)
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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
