# Prints the searchable units of the git repository in the working directory, one JSON object a line:
# every tracked text file, and every function and method of its Python files (from the syntax tree).
# Runs in the sandbox before the agent acts, with the sandbox's own python3 (3.6 or later).
#
#   python3 code_units.py FIRST COUNT MAX_TEXT
#
# lists files FIRST .. FIRST+COUNT-1 of the sorted tracked files (pages keep each output bounded), each
# unit's text cut to MAX_TEXT characters, then a last line {"files": TOTAL}.
import ast
import json
import subprocess
import sys

MAX_FILE_BYTES = 1 << 20


def tracked_files():
    listing = subprocess.run(["git", "ls-files", "-z"], stdout=subprocess.PIPE, check=True).stdout
    return sorted(name.decode("utf-8", "replace") for name in listing.split(b"\0") if name)


def read_text(path):
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_FILE_BYTES or b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", "replace")


def end_line(node):
    end = getattr(node, "end_lineno", None)
    if end is not None:
        return end
    return max(getattr(child, "lineno", node.lineno) for child in ast.walk(node))


def signature(node, lines):
    # From the def to the line where the body starts (a one-line def holds its body there), cut at the colon
    # that ends the signature: the first one outside brackets.
    body_start = node.body[0].lineno if node.body else node.lineno
    text = " ".join(line.strip() for line in lines[node.lineno - 1:max(node.lineno, body_start)])
    depth = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == ":" and depth == 0:
            return text[:index + 1][:300]
    return text[:300]


def functions(tree, lines):
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                found.append((name, child))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def units(path, text, max_text):
    lines = text.splitlines()
    try:
        tree = ast.parse(text) if path.endswith(".py") else None
    except (SyntaxError, ValueError):
        tree = None
    doc = (ast.get_docstring(tree) or "") if tree is not None else ""
    yield {"kind": "file", "path": path, "name": path, "start": 1, "end": max(1, len(lines)),
           "signature": "", "docstring": doc[:max_text], "text": text[:max_text]}
    if tree is None:
        return
    for name, node in functions(tree, lines):
        start = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list])
        end = end_line(node)
        yield {"kind": "function", "path": path, "name": name, "start": start, "end": end,
               "signature": signature(node, lines), "docstring": (ast.get_docstring(node) or "")[:max_text],
               "text": "\n".join(lines[node.lineno - 1:end])[:max_text]}


def main():
    first, count, max_text = (int(argument) for argument in sys.argv[1:4])
    files = tracked_files()
    for path in files[first:first + count]:
        text = read_text(path)
        if text is not None:
            for unit in units(path, text, max_text):
                print(json.dumps(unit))
    print(json.dumps({"files": len(files)}))


main()
