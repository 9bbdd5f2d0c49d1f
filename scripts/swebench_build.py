"""Builds the images of SWE-bench 5 task repositories with SWE-bench's own build step.

Runs swebench.image_builder.prepare_images (what `swebench images build TASK_REPO --namespace swebench`
runs) on each export: the official code selects the tasks, checks the repository, reads each task's
Dockerfile and build context and names each image; the images get the names the tasks' task.yaml
declare only when the exporter derived them as the official code does.

Usage: swebench_build.py SWE_BENCH_CHECKOUT TASK_REPO... (see scripts/swebench-parity)
"""
import sys
import types
from pathlib import Path


class _Progress:
    """tqdm's place: the build counts its images through it; nothing is drawn."""

    def __init__(self, *args, **kwargs):
        self.n = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1):
        self.n += n

    def set_description(self, *args, **kwargs):
        pass


def load_official(checkout):
    # The packages' __init__ files import the Modal, Docker and datasets clients; utils imports datasets,
    # dotenv and tqdm at the top. The build uses Docker alone.
    for name, path in (("swebench", "swebench"), ("swebench.harness", "swebench/harness"),
                       ("swebench.image_builder", "swebench/image_builder"), ("swebench.task", "swebench/task")):
        package = types.ModuleType(name)
        package.__path__ = [str(Path(checkout) / path)]
        sys.modules[name] = package
    for name, attributes in (("datasets", {"Dataset": object, "load_dataset": None, "load_from_disk": None}),
                             ("dotenv", {"load_dotenv": lambda *args, **kwargs: False}), ("tqdm", {"tqdm": _Progress})):
        if name not in sys.modules:
            stub = types.ModuleType(name)
            for attribute, value in attributes.items():
                setattr(stub, attribute, value)
            sys.modules[name] = stub
    sys.path.insert(0, checkout)
    from swebench.image_builder.prepare_images import main
    return main


def main(checkout, task_repos):
    prepare_images = load_official(checkout)
    for task_repo in task_repos:
        prepare_images(task_repo=task_repo, instance_ids=None, datasets=None, max_workers=2, force_rebuild=True, open_file_limit=4096,
                       namespace="swebench", tag="latest", dry_run=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
