"""Bug proposals for Crucible's task factory, run inside the sandbox with the image's python3.

  python3 mutator.py list ROOT          JSON list of candidate mutations of the non-test modules
  python3 mutator.py apply ROOT ID      rewrites one file with candidate ID applied

Candidates are numbered in a fixed order (files sorted, nodes in source order), so an ID means the
same mutation on every run. Only the mutated node's source span is rewritten, so the diff is small.
"""
import ast
import json
import os
import sys

COMPARE_FLIPS = {
    ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}


def source_files(root):
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("tests", "test", "__pycache__"))
        for name in sorted(files):
            if name.endswith(".py") and not name.startswith("test_") and not name.endswith("_test.py") and name != "conftest.py" and name != "setup.py":
                yield os.path.relpath(os.path.join(directory, name), root)


def enclosing_functions(tree):
    owner = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for child in ast.walk(node):
                owner.setdefault(id(child), node.name)
    return owner


def is_docstring(statement):
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)


def candidates(path, source):
    """Yields (kind, node, replacement_source, description) for one module, in source order."""
    tree = ast.parse(source)
    owner = enclosing_functions(tree)
    found = []
    for node in ast.walk(tree):
        function = owner.get(id(node))
        if function is None:
            continue
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in COMPARE_FLIPS:
            flipped = ast.Compare(left=node.left, ops=[COMPARE_FLIPS[type(node.ops[0])]()], comparators=node.comparators)
            found.append(("flip_comparison", node, ast.unparse(flipped), function))
        elif isinstance(node, ast.Constant) and type(node.value) is int and not isinstance(node.value, bool):
            found.append(("off_by_one", node, repr(node.value + 1), function))
        elif isinstance(node, (ast.If, ast.While)) and not isinstance(node.test, ast.Constant):
            found.append(("negate_condition", node.test, "not (" + ast.unparse(node.test) + ")", function))
        elif isinstance(node, ast.Return) and node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            found.append(("wrong_return", node, "return None", function))
        elif isinstance(node, ast.Call) and len(node.args) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args[:2]):
            swapped = ast.Call(func=node.func, args=[node.args[1], node.args[0]] + node.args[2:], keywords=node.keywords)
            if ast.unparse(swapped) != ast.unparse(node):
                found.append(("swap_arguments", node, ast.unparse(swapped), function))
        elif isinstance(node, ast.BoolOp):
            other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            found.append(("flip_boolean_operator", node, ast.unparse(ast.BoolOp(op=other, values=node.values)), function))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = [s for s in node.body if not is_docstring(s)]
            if len(body) > 1:
                for statement in body[:-1]:
                    found.append(("remove_statement", statement, "pass", node.name))
            for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
                if isinstance(default, ast.Constant):
                    changed = changed_default(default.value)
                    if changed is not None:
                        found.append(("changed_default", default, changed, node.name))
    found.sort(key=lambda item: (item[1].lineno, item[1].col_offset, item[0]))
    return found


def changed_default(value):
    if isinstance(value, bool):
        return repr(not value)
    if isinstance(value, int):
        return repr(value + 1)
    if isinstance(value, str):
        return repr(value + "x") if value else repr(" ")
    if value is None:
        return "0"
    return None


def all_candidates(root):
    result = []
    for path in source_files(root):
        with open(os.path.join(root, path), encoding="utf-8") as handle:
            source = handle.read()
        try:
            found = candidates(path, source)
        except SyntaxError:
            continue
        for kind, node, replacement, function in found:
            result.append({"id": len(result), "kind": kind, "file": path, "function": function,
                           "line": node.lineno, "replacement": replacement,
                           "span": [node.lineno, node.col_offset, node.end_lineno, node.end_col_offset]})
    return result


def offset(lines, line, column):
    """The character offset of an ast position; ast columns count UTF-8 bytes."""
    return sum(len(text) for text in lines[:line - 1]) + len(lines[line - 1].encode("utf-8")[:column].decode("utf-8"))


def apply(root, candidate_id):
    candidate = all_candidates(root)[candidate_id]
    path = os.path.join(root, candidate["file"])
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines(keepends=True)
    start_line, start_col, end_line, end_col = candidate["span"]
    start, end = offset(lines, start_line, start_col), offset(lines, end_line, end_col)
    text = "".join(lines)
    mutated = text[:start] + candidate["replacement"] + text[end:]
    ast.parse(mutated)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(mutated)
    print(json.dumps(candidate))


if __name__ == "__main__":
    if sys.argv[1] == "list":
        print(json.dumps(all_candidates(sys.argv[2])))
    elif sys.argv[1] == "apply":
        apply(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("usage: mutator.py list ROOT | apply ROOT ID")
