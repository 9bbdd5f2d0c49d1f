"""Compares what crucible evaluate wrote with what SWE-bench's own grading code makes of the same runs.

For each instance of each model under OUT/RUN_ID/: the official report.json, from the official
make_test_spec and get_eval_report on the test_output.txt Crucible kept, against Crucible's report.json,
byte for byte (and so resolved and every FAIL_TO_PASS/PASS_TO_PASS list); the official eval.sh against
Crucible's; for each model, the official run summary (make_run_report) against Crucible's MODEL.RUN_ID.json.
Prints one JSON line of counts, and each difference on stderr. Exits 1 when anything differs.

Usage: swebench_parity.py SWE_BENCH_CHECKOUT ROWS.jsonl PREDICTIONS.jsonl OUT RUN_ID [GOLDEN_DIR]
(PREDICTIONS.jsonl may hold several models; each was evaluated from its own file, as the harness
keeps one prediction per instance)
(see scripts/swebench-parity). With GOLDEN_DIR, each graded instance becomes a golden case there
(instance.json and test_output.txt; scripts/swebench-golden writes their expected outputs).
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import types
from pathlib import Path


def load_official(checkout):
    # The packages' __init__ files import Docker and datasets clients, utils imports datasets, dotenv
    # and tqdm at the top; grading and make_test_spec use none of them.
    for name, path in (("swebench", "swebench"), ("swebench.harness", "swebench/harness"), ("swebench.image_builder", "swebench/image_builder")):
        package = types.ModuleType(name)
        package.__path__ = [str(Path(checkout) / path)]
        sys.modules[name] = package
    for name, attributes in (("datasets", ("Dataset", "load_dataset", "load_from_disk")), ("dotenv", ("load_dotenv",)), ("tqdm", ("tqdm",))):
        if name not in sys.modules:
            stub = types.ModuleType(name)
            for attribute in attributes:
                setattr(stub, attribute, lambda *args, **kwargs: None)
            sys.modules[name] = stub
    sys.path.insert(0, checkout)
    from swebench.harness import grading, reporting, utils
    return grading, reporting, utils


def main(checkout, rows_path, predictions_path, out, run_id, golden=None):
    grading, reporting, utils = load_official(checkout)
    rows = [json.loads(line) for line in Path(rows_path).read_text().splitlines() if line.strip()]
    by_id = {row["instance_id"]: row for row in rows}
    predictions = [json.loads(line) for line in Path(predictions_path).read_text().splitlines() if line.strip()]
    models = sorted({p["model_name_or_path"] for p in predictions})
    counts = {"instances": 0, "graded": 0, "reports_equal": 0, "eval_scripts_equal": 0, "resolved": 0, "unresolved": 0,
              "summaries_equal": 0, "models": len(models), "differences": 0}
    for prediction in predictions:
        instance_id = prediction["instance_id"]
        folder = Path(out) / run_id / prediction["model_name_or_path"].replace("/", "__") / instance_id
        counts["instances"] += 1
        spec = utils.make_test_spec(by_id[instance_id])
        ours_script = folder / "eval.sh"
        if ours_script.exists() and ours_script.read_text() == spec.eval_script:
            counts["eval_scripts_equal"] += 1
        elif (folder / "test_output.txt").exists():
            counts["differences"] += 1
            print(f"{folder}: eval.sh differs from the official one", file=sys.stderr)
        ours = folder / "report.json"
        if not ours.exists():
            print(f"{folder}: no report.json ({(folder / 'crucible.json').read_text() if (folder / 'crucible.json').exists() else 'no record'})",
                  file=sys.stderr)
            counts["differences"] += 1
            continue
        counts["graded"] += 1
        official = json.dumps(grading.get_eval_report(spec, prediction, str(folder / "test_output.txt"), include_tests_status=True), indent=4)
        if official == ours.read_text():
            counts["reports_equal"] += 1
        else:
            counts["differences"] += 1
            print(f"{folder}: report.json differs\n--- official\n{official}\n--- crucible\n{ours.read_text()}", file=sys.stderr)
        resolved = json.loads(official)[instance_id]["resolved"]
        counts["resolved" if resolved else "unresolved"] += 1
        if golden:
            case = Path(golden) / f"upstream_{instance_id}_{prediction['model_name_or_path']}".replace("/", "__")
            case.mkdir(parents=True, exist_ok=True)
            row = by_id[instance_id]
            (case / "instance.json").write_text(json.dumps({
                "instance_id": instance_id, "FAIL_TO_PASS": row["FAIL_TO_PASS"], "PASS_TO_PASS": row["PASS_TO_PASS"],
                "log_parser": row["log_parser"], "eval_type": row["eval_type"], "version": row["version"],
                "model_patch": prediction["model_patch"]}, indent=1) + "\n")
            (case / "test_output.txt").write_bytes((folder / "test_output.txt").read_bytes())
    for model in models:
        mine = {p["instance_id"]: p for p in predictions if p["model_name_or_path"] == model}
        with tempfile.TemporaryDirectory() as scratch:
            # make_run_report reads logs/run_evaluation/RUN_ID/MODEL/ID/report.json under the working directory.
            (Path(scratch) / "logs").mkdir()
            os.symlink(Path(out).resolve(), Path(scratch) / "logs" / "run_evaluation")
            cwd = os.getcwd()
            os.chdir(scratch)
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    written = reporting.make_run_report(mine, rows, run_id, report_dir=scratch)
            finally:
                os.chdir(cwd)
            official = Path(written).read_text()
        ours = Path(out) / f"{model.replace('/', '__')}.{run_id}.json"
        if ours.exists() and ours.read_text() == official:
            counts["summaries_equal"] += 1
        else:
            counts["differences"] += 1
            print(f"{ours}: the run summary differs\n--- official\n{official}\n--- crucible\n{ours.read_text() if ours.exists() else 'missing'}",
                  file=sys.stderr)
    print(json.dumps(counts))
    return 1 if counts["differences"] else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
