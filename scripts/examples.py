#!/usr/bin/env python3
"""Assemble and validate the example coding tasks in examples/.

Each task lives in examples/<slug>/:

    task.json       instruction, category, difficulty, tags, estimated_steps, timeout_seconds
    files/          the initial repository (copied to /workspace in the container)
    tests/          hidden verification tests, copied to /workspace/tests/ at verification time
    solution.json   the reference solution: a list of read / edit / bash tool calls

Usage:

    python3 scripts/examples.py jsonl [--image IMAGE] [--examples-dir DIR] [SLUG ...]
        Print one task per line (the API's task format) to stdout.

    python3 scripts/examples.py validate [--examples-dir DIR] [--keep] [-v] [SLUG ...]
        Check every example locally, without Docker:
          * structure (keys, enums, types, estimated_steps.min <= max, paths, UTF-8);
          * the hidden tests FAIL on the initial files (pytest exit code 1);
          * replaying the reference solution (edits with exact-one-occurrence semantics,
            bash calls must exit 0) and then running the hidden tests PASSES.
        Prints one line per task and exits 1 if any task is wrong.

Standard library only.
"""
import argparse
import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXAMPLES_DIR = REPO_ROOT / "examples"
DEFAULT_IMAGE = "synth-python:bookworm"

CATEGORIES = ("bugfix", "feature", "refactor", "algorithm", "testing")
DIFFICULTIES = ("easy", "medium", "hard")
TOOLS = {
    "read": {"required": {"path"}, "optional": set()},
    "edit": {"required": {"path", "old_str", "new_str"}, "optional": set()},
    "bash": {"required": {"command"}, "optional": set()},
}
TASK_KEYS = {
    "instruction": str,
    "category": str,
    "difficulty": str,
    "tags": list,
    "estimated_steps": dict,
    "timeout_seconds": int,
}
MIN_TEST_FUNCTIONS = 3
MIN_SOLUTION_CALLS = 2
MAX_SOLUTION_CALLS = 6
BASH_TIMEOUT = 120
IGNORED_NAMES = {"__pycache__", ".pytest_cache", ".DS_Store"}
IGNORED_SUFFIXES = (".pyc", ".pyo")


class ExampleError(Exception):
    """A problem with an example; the message says what is wrong."""


# --------------------------------------------------------------------------- loading


def _walk_files(root):
    """Sorted relative POSIX paths of the regular files under root (caches skipped)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in IGNORED_NAMES)
        for name in filenames:
            if name in IGNORED_NAMES or name.endswith(IGNORED_SUFFIXES):
                continue
            path = Path(dirpath) / name
            if path.is_symlink():
                raise ExampleError("symlinks are not allowed: %s" % path)
            found.append(path.relative_to(root).as_posix())
    return sorted(found)


def _read_text_tree(root):
    files = {}
    for rel in _walk_files(root):
        try:
            files[rel] = (root / rel).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ExampleError("%s is not UTF-8 text" % (root / rel))
    return files


def _load_json(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExampleError("missing %s" % path.name)
    except ValueError as exc:
        raise ExampleError("%s is not valid JSON: %s" % (path.name, exc))


def _check_rel_path(path, what):
    if not isinstance(path, str) or not path:
        raise ExampleError("%s: path must be a non-empty string" % what)
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or "\\" in path:
        raise ExampleError("%s: path must be relative to /workspace without '..': %r" % (what, path))


def _check_task_json(task):
    if not isinstance(task, dict):
        raise ExampleError("task.json must be an object")
    missing = [k for k in TASK_KEYS if k not in task]
    if missing:
        raise ExampleError("task.json is missing keys: %s" % ", ".join(missing))
    unknown = sorted(set(task) - set(TASK_KEYS))
    if unknown:
        raise ExampleError("task.json has unknown keys: %s" % ", ".join(unknown))
    for key, typ in TASK_KEYS.items():
        value = task[key]
        if not isinstance(value, typ) or isinstance(value, bool):
            raise ExampleError("task.json: %s must be %s" % (key, typ.__name__))
    if not task["instruction"].strip():
        raise ExampleError("task.json: instruction is empty")
    if task["category"] not in CATEGORIES:
        raise ExampleError("task.json: category %r not in %s" % (task["category"], CATEGORIES))
    if task["difficulty"] not in DIFFICULTIES:
        raise ExampleError("task.json: difficulty %r not in %s" % (task["difficulty"], DIFFICULTIES))
    if not task["tags"] or not all(isinstance(t, str) and t for t in task["tags"]):
        raise ExampleError("task.json: tags must be a non-empty list of strings")
    steps = task["estimated_steps"]
    if set(steps) != {"min", "max"}:
        raise ExampleError("task.json: estimated_steps must have exactly 'min' and 'max'")
    if not all(isinstance(steps[k], int) and not isinstance(steps[k], bool) for k in steps):
        raise ExampleError("task.json: estimated_steps values must be integers")
    if not 1 <= steps["min"] <= steps["max"]:
        raise ExampleError("task.json: need 1 <= estimated_steps.min <= estimated_steps.max")
    if task["timeout_seconds"] <= 0:
        raise ExampleError("task.json: timeout_seconds must be positive")


def _check_solution(solution):
    if not isinstance(solution, list):
        raise ExampleError("solution.json must be a list of tool calls")
    if not MIN_SOLUTION_CALLS <= len(solution) <= MAX_SOLUTION_CALLS:
        raise ExampleError("solution.json must have %d to %d calls, has %d"
                           % (MIN_SOLUTION_CALLS, MAX_SOLUTION_CALLS, len(solution)))
    for i, call in enumerate(solution):
        where = "solution.json call %d" % i
        if not isinstance(call, dict) or set(call) != {"tool", "arguments"}:
            raise ExampleError("%s must be {\"tool\": ..., \"arguments\": {...}}" % where)
        tool, args = call["tool"], call["arguments"]
        if tool not in TOOLS:
            raise ExampleError("%s: unknown tool %r (allowed: %s)" % (where, tool, ", ".join(TOOLS)))
        if not isinstance(args, dict):
            raise ExampleError("%s: arguments must be an object" % where)
        spec = TOOLS[tool]
        missing = spec["required"] - set(args)
        extra = set(args) - spec["required"] - spec["optional"]
        if missing or extra:
            raise ExampleError("%s (%s): missing %s, unexpected %s"
                               % (where, tool, sorted(missing), sorted(extra)))
        if not all(isinstance(v, str) for v in args.values()):
            raise ExampleError("%s (%s): arguments must be strings" % (where, tool))
        if "path" in args:
            _check_rel_path(args["path"], where)
    if not any(c["tool"] == "edit" for c in solution):
        raise ExampleError("solution.json never edits a file")


def _count_test_functions(source, name):
    try:
        tree = ast.parse(source, filename=name)
    except SyntaxError as exc:
        raise ExampleError("%s does not parse: %s" % (name, exc))
    return sum(
        1
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test")
    )


def load_example(path):
    """Load and statically check one example directory; return the API task dict."""
    slug = path.name
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        raise ExampleError("directory name must be a lowercase slug")
    task = _load_json(path / "task.json")
    _check_task_json(task)
    solution = _load_json(path / "solution.json")
    _check_solution(solution)

    if not (path / "files").is_dir():
        raise ExampleError("missing files/ directory")
    if not (path / "tests").is_dir():
        raise ExampleError("missing tests/ directory")
    initial_files = _read_text_tree(path / "files")
    if not initial_files:
        raise ExampleError("files/ is empty")
    test_files = {"tests/" + rel: text for rel, text in _read_text_tree(path / "tests").items()}
    test_modules = sorted(p for p in test_files
                          if re.fullmatch(r"tests/(.*/)?test_[^/]*\.py", p))
    if not test_modules:
        raise ExampleError("tests/ has no test_*.py files")
    clashes = sorted(set(test_files) & set(initial_files))
    if clashes:
        raise ExampleError("hidden test files would overwrite initial files: %s" % ", ".join(clashes))
    n_tests = sum(_count_test_functions(test_files[p], p) for p in test_modules)
    if n_tests < MIN_TEST_FUNCTIONS:
        raise ExampleError("hidden tests define %d test functions, need >= %d" % (n_tests, MIN_TEST_FUNCTIONS))
    for p in test_modules:
        if PurePosixPath(p).name in task["instruction"]:
            raise ExampleError("instruction reveals hidden test file %s" % p)
    for call in solution:
        if call["tool"] == "edit" and call["arguments"]["path"] in test_files:
            raise ExampleError("reference solution edits hidden test file %s" % call["arguments"]["path"])

    command = "python3 -m pytest -q -p no:cacheprovider " + " ".join(shlex.quote(p) for p in test_modules)
    return {
        "instruction": task["instruction"],
        "category": task["category"],
        "difficulty": task["difficulty"],
        "tags": list(task["tags"]),
        "docker_image": DEFAULT_IMAGE,
        "initial_files": initial_files,
        "verification_tests": [{"name": "hidden", "command": command, "files": test_files}],
        "estimated_steps": {"min": task["estimated_steps"]["min"], "max": task["estimated_steps"]["max"]},
        "timeout_seconds": task["timeout_seconds"],
        "reference_solution": solution,
        "external_id": slug,
    }


def example_dirs(examples_dir, slugs):
    if not examples_dir.is_dir():
        raise SystemExit("examples directory not found: %s" % examples_dir)
    dirs = sorted(p for p in examples_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if slugs:
        known = {p.name: p for p in dirs}
        unknown = [s for s in slugs if s not in known]
        if unknown:
            raise SystemExit("unknown example(s): %s" % ", ".join(unknown))
        dirs = [known[s] for s in slugs]
    return dirs


# --------------------------------------------------------------------------- sandbox replay


def _write_files(root, files):
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _sandbox_env():
    env = dict(os.environ)
    for var in ("PYTHONPATH", "PYTHONHOME", "PYTEST_ADDOPTS", "PYTEST_PLUGINS"):
        env.pop(var, None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _run(command, cwd, timeout):
    try:
        proc = subprocess.run(
            ["bash", "-c", command], cwd=str(cwd), env=_sandbox_env(), timeout=timeout,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return None, "timed out after %ss" % timeout
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def _count_occurrences(text, needle):
    """Occurrences of needle in text, overlapping ones included."""
    count, start = 0, 0
    while True:
        idx = text.find(needle, start)
        if idx < 0:
            return count
        count += 1
        start = idx + 1


def apply_tool_call(root, call, timeout):
    """Replay one reference-solution tool call inside root; raise ExampleError on failure."""
    tool, args = call["tool"], call["arguments"]
    if tool == "read":
        target = root / args["path"]
        if not target.is_file():
            raise ExampleError("read: %s does not exist" % args["path"])
        target.read_text(encoding="utf-8")
        return None
    if tool == "edit":
        target = root / args["path"]
        old, new = args["old_str"], args["new_str"]
        if old == "":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(new, encoding="utf-8")
            return None
        if not target.is_file():
            raise ExampleError("edit: %s does not exist" % args["path"])
        text = target.read_text(encoding="utf-8")
        n = _count_occurrences(text, old)
        if n != 1:
            raise ExampleError("edit: old_str occurs %d times in %s (must be exactly 1): %r"
                               % (n, args["path"], old[:80]))
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        return None
    if tool == "bash":
        rc, output = _run(args["command"], root, timeout)
        if rc != 0:
            raise ExampleError("bash call failed (%s): %s\n%s"
                               % ("exit %s" % rc if rc is not None else output,
                                  args["command"][:80], output[-2000:]))
        return output
    raise ExampleError("unknown tool %r" % tool)


_PASSED = re.compile(r"(\d+) passed")
_BAD = re.compile(r"\d+ (failed|errors?|skipped|xfailed|xpassed)")


def validate_example(path, keep=False, verbose=False):
    """Full check of one example; returns a short summary string or raises ExampleError."""
    api_task = load_example(path)
    test = api_task["verification_tests"][0]
    timeout = api_task["timeout_seconds"]
    work = Path(tempfile.mkdtemp(prefix="synth-example-%s-" % path.name))
    try:
        # 1. Hidden tests must fail on the untouched repository.
        before = work / "before"
        before.mkdir()
        _write_files(before, api_task["initial_files"])
        _write_files(before, test["files"])
        rc, output = _run(test["command"], before, timeout)
        if rc is None:
            raise ExampleError("hidden tests on initial files: %s" % output)
        if rc != 1:
            raise ExampleError("hidden tests on initial files should fail with pytest exit code 1 "
                               "(tests ran and failed), got %s:\n%s" % (rc, output[-2000:]))
        failed_before = re.search(r"(\d+) failed", output)
        if verbose:
            print(output.rstrip())

        # 2. Replay the reference solution in a fresh copy, then the hidden tests must pass.
        after = work / "after"
        after.mkdir()
        _write_files(after, api_task["initial_files"])
        for i, call in enumerate(api_task["reference_solution"]):
            try:
                out = apply_tool_call(after, call, min(timeout, BASH_TIMEOUT))
            except ExampleError as exc:
                raise ExampleError("reference solution call %d: %s" % (i, exc))
            if verbose and out:
                print(out.rstrip())
        _write_files(after, test["files"])
        rc, output = _run(test["command"], after, timeout)
        if verbose:
            print(output.rstrip())
        if rc != 0:
            raise ExampleError("hidden tests after reference solution: exit %s\n%s" % (rc, output[-3000:]))
        passed = _PASSED.search(output)
        if not passed or int(passed.group(1)) < MIN_TEST_FUNCTIONS or _BAD.search(output):
            raise ExampleError("unexpected pytest summary after solution:\n%s" % output[-1000:])
        return "%s failed before, %s passed after" % (
            failed_before.group(1) if failed_before else "?", passed.group(1))
    finally:
        if keep:
            print("  kept %s" % work, file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------- commands


def cmd_jsonl(args):
    errors = 0
    for path in example_dirs(args.examples_dir, args.slugs):
        try:
            task = load_example(path)
        except ExampleError as exc:
            print("%s: %s" % (path.name, exc), file=sys.stderr)
            errors += 1
            continue
        task["docker_image"] = args.image
        sys.stdout.write(json.dumps(task, ensure_ascii=False) + "\n")
    return 1 if errors else 0


def cmd_validate(args):
    dirs = example_dirs(args.examples_dir, args.slugs)
    if not dirs:
        print("no examples found in %s" % args.examples_dir)
        return 1
    failures = 0
    seen = {"category": set(), "difficulty": set()}
    for path in dirs:
        try:
            summary = validate_example(path, keep=args.keep, verbose=args.verbose)
            task = json.loads((path / "task.json").read_text(encoding="utf-8"))
            seen["category"].add(task["category"])
            seen["difficulty"].add(task["difficulty"])
            print("ok    %-24s %-9s %-6s %s" % (path.name, task["category"], task["difficulty"], summary))
        except ExampleError as exc:
            failures += 1
            print("FAIL  %-24s %s" % (path.name, exc))
        sys.stdout.flush()
    if not args.slugs and not failures:
        if len(seen["category"]) < 3 or len(seen["difficulty"]) < 2:
            print("FAIL  examples should span >= 3 categories and >= 2 difficulties (have %s / %s)"
                  % (sorted(seen["category"]), sorted(seen["difficulty"])))
            failures += 1
    print("%d example(s) checked, %d problem(s)" % (len(dirs), failures))
    return 1 if failures else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p_jsonl = sub.add_parser("jsonl", help="print the examples as API tasks, one JSON per line")
    p_jsonl.add_argument("--image", default=DEFAULT_IMAGE, help="docker_image (default %(default)s)")
    p_validate = sub.add_parser("validate", help="check the examples locally (no Docker)")
    p_validate.add_argument("--keep", action="store_true", help="keep the temporary directories")
    p_validate.add_argument("-v", "--verbose", action="store_true", help="show pytest and bash output")
    for p in (p_jsonl, p_validate):
        p.add_argument("--examples-dir", type=Path, default=DEFAULT_EXAMPLES_DIR,
                       help="directory holding one folder per example (default: examples/)")
        p.add_argument("slugs", nargs="*", help="only these examples")

    args = parser.parse_args(argv)
    return cmd_jsonl(args) if args.command == "jsonl" else cmd_validate(args)


if __name__ == "__main__":
    sys.exit(main())
