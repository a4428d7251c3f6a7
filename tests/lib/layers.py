#!/usr/bin/env python3
"""layers.py - the source folders are layers (HACKING.md, "Layers"); hold the
code to them.

    layers.py includes SRCDIR            the #include lines of src/ and screens/
    layers.py calls SRCDIR BUILDDIR      the symbols the object files use (nm)
    layers.py docs SRCDIR                README.md and HACKING.md against the tree
    layers.py graph SRCDIR [BUILDDIR]    print the module graph (for a reader)

includes: every source file lives in a layer folder; a file includes only
headers of its own layer or of the layers below it; no file outside screens/
includes curses; no two headers share a name (the build puts every folder on
the include path); no include circle between files, nor between modules (a
module is x.c with x.h: x.c including y.h and y.c including x.h is a circle).

calls: the file-level call graph, from `nm` of each object file: a file uses
another when it refers to a function or variable the other defines.  No
circle in it, and no use of a file in a higher layer (a lower layer reaching
up through a symbol its headers do not show).

docs: README.md and HACKING.md name every folder of src/ (and screens/),
and every path of the tree they quote (`src/...`, `screens/...`, `am/...`,
`tests/...`) exists.

Each finding is one line "file: what is wrong"; the exit status is 1 when
there is any, 0 otherwise.
"""
import os
import re
import subprocess
import sys

# The layers, lowest first.  A file may include headers (and use symbols)
# of its own layer and of the layers this one lists.
LAYERS = {
    "src/base": [],
    "src/core": ["src/base"],
    "src/probe": ["src/base", "src/core"],
    "src/checks": ["src/base", "src/core", "src/probe"],
    "src/cli": ["src/base", "src/core", "src/probe", "src/checks"],
    "screens": ["src/base", "src/core", "src/probe", "src/checks"],
    # src/main.c: the program, a command or the wizard.
    "src": ["src/base", "src/core", "src/probe", "src/checks", "src/cli", "screens"],
}
# Headers of the layers above that main.c may include: the wizard's entry.
MAIN_MAY_INCLUDE = {"screens/tui.h"}
RANK = {"src/base": 0, "src/core": 1, "src/probe": 2, "src/checks": 3,
        "src/cli": 4, "screens": 4, "src": 5}

# Files waiting in src/ to move to a layer folder, with that folder: they
# are held to its rules meanwhile (none today).
PENDING = {}

# Known breaches, each with the reason it is still there (none today).  One
# that no longer happens is a finding too: delete its entry then.
#   ("include", file, header), ("use", file, used file),
#   ("include-cycle", sorted files) or ("call-cycle", sorted files)
KNOWN = {}

CURSES = re.compile(r"^(n?curses\w*|ncursesw/.*|term|panel|menu|form)\.h$")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def sources(top):
    out = []
    for d in ("src", "screens"):
        for root, dirs, files in os.walk(os.path.join(top, d)):
            dirs.sort()
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    out.append(os.path.relpath(os.path.join(root, f), top))
    return out


def layer_of(path):
    if path in PENDING:
        return PENDING[path]
    d = os.path.dirname(path)
    if d == "src":
        return "src" if os.path.basename(path) == "main.c" else None
    return d if d in LAYERS else None


def module_of(path):
    return os.path.splitext(path)[0]


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def scan_includes(top, files):
    headers = {}
    problems = []
    for f in files:
        if f.endswith(".h"):
            headers.setdefault(os.path.basename(f), []).append(f)
    for name, paths in sorted(headers.items()):
        if len(paths) > 1:
            problems.append("%s: header name also used by %s (every folder is on the "
                            "include path)" % (paths[0], ", ".join(paths[1:])))
    incs = {}
    for f in files:
        with open(os.path.join(top, f), encoding="utf-8", errors="replace") as fh:
            text = strip_comments(fh.read())
        incs[f] = [(m.group(1), m.group(2)) for m in INCLUDE.finditer(text)]
    return headers, incs, problems


def find_cycles(graph):
    """Strongly connected components with more than one node, or a node
    with an edge to itself (Tarjan, iterative)."""
    index, low, onstack, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        onstack.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    onstack.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                elif w in onstack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    onstack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in graph.get(v, ()):
                    out.append(sorted(comp))
    return out


def cycle_path(graph, comp):
    """One circle through comp, for the message: a -> b -> ... -> a."""
    members = set(comp)
    start = comp[0]
    prev = {start: None}
    todo = [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(graph.get(v, ())):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return " -> ".join(list(reversed(path)) + [start])
            if w in members and w not in prev:
                prev[w] = v
                todo.append(w)
    return " -> ".join(comp)


class Findings:
    def __init__(self):
        self.lines = []
        self.known_hit = set()

    def add(self, key, line):
        if key in KNOWN:
            self.known_hit.add(key)
        else:
            self.lines.append(line)

    def stale(self, kinds):
        for key in sorted(KNOWN, key=repr):
            if key[0] in kinds and key not in self.known_hit:
                self.lines.append("tests/lib/layers.py: the known breach %r no longer happens: "
                                  "delete its entry in KNOWN" % (key,))


def module_graph(files, file_graph):
    """Modules are the .c files with their headers (x.c, x.h).  Module x
    uses module y when x.c or x.h includes y.h, directly or through headers
    that have no .c of their own (declarations only, such as tui_int.h or
    exitcodes.h, which belong to whoever includes them)."""
    impl = {module_of(f) for f in files if f.endswith(".c")}
    graph = {}
    for m in impl:
        seen, todo, out = set(), [m + ".c", m + ".h"], set()
        while todo:
            f = todo.pop()
            for t in file_graph.get(f, ()):
                if t in seen:
                    continue
                seen.add(t)
                tm = module_of(t)
                if tm in impl:
                    if tm != m:
                        out.add(tm)
                else:
                    todo.append(t)
        graph[m] = out
    return graph


def check_includes(top):
    f = Findings()
    files = sources(top)
    headers, incs, problems = scan_includes(top, files)
    f.lines.extend(problems)
    file_graph = {}
    for src in files:
        layer = layer_of(src)
        if layer is None:
            f.lines.append("%s: not in a layer folder (src/base, src/core, src/probe, "
                           "src/checks, src/cli; screens/ for the wizard)" % src)
            continue
        file_graph.setdefault(src, set())
        for kind, name in incs[src]:
            if kind == "<":
                if CURSES.match(name) and layer != "screens":
                    f.add(("include", src, name), "%s: includes <%s>: curses belongs to "
                          "screens/ only" % (src, name))
                continue
            targets = headers.get(os.path.basename(name))
            if not targets:
                continue    # config.h, generated by configure
            target = targets[0]
            file_graph[src].add(target)
            tl = layer_of(target)
            if tl is None or tl == layer or tl in LAYERS[layer]:
                if layer == "src" and tl == "screens" and target not in MAIN_MAY_INCLUDE:
                    f.add(("include", src, name), "%s: includes %s: main.c takes only the "
                          "wizard's entry (%s) from screens/" % (src, target,
                                                               ", ".join(sorted(MAIN_MAY_INCLUDE))))
                continue
            f.add(("include", src, name), "%s (%s) includes %s (%s): %s may include only %s" % (
                src, layer, target, tl, layer, ", ".join([layer] + LAYERS[layer])))
    for comp in find_cycles(file_graph):
        f.add(("include-cycle", tuple(comp)), "include circle: %s" % cycle_path(file_graph, comp))
    for comp in find_cycles(module_graph(files, file_graph)):
        f.add(("include-cycle", tuple(comp)), "include circle between modules (x.c/x.h): %s" %
              cycle_path(module_graph(files, file_graph), comp))
    f.stale({"include", "include-cycle"})
    return f.lines


def nm_symbols(obj):
    out = subprocess.run(["nm", "-P", obj], check=True, capture_output=True, text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == "U":
            undefined.add(name)
        elif kind.isupper() or kind in "uvw":
            defined.add(name)
    return defined, undefined


def call_graph(top, build):
    objs = {}
    for src in sources(top):
        if src.endswith(".c"):
            o = os.path.join(build, os.path.splitext(src)[0] + ".o")
            if os.path.exists(o):
                objs[src] = o
    owner, uses = {}, {}
    for src, o in objs.items():
        d, u = nm_symbols(o)
        for s in d:
            owner.setdefault(s, src)
        uses[src] = u
    graph = {}
    for src, u in uses.items():
        graph[src] = {owner[s] for s in u if s in owner and owner[s] != src}
    return objs, graph


def check_calls(top, build):
    f = Findings()
    objs, graph = call_graph(top, build)
    least = int(os.environ.get("LAYERS_MIN_OBJECTS", "20"))
    if len(objs) < least:
        return ["%s: only %d object files found for the sources: build first" % (build, len(objs))]
    for src in sorted(graph):
        layer = layer_of(src)
        for dst in sorted(graph[src]):
            tl = layer_of(dst)
            if layer is None or tl is None or tl == layer or tl in LAYERS[layer]:
                continue
            if layer == "src" and tl == "screens":
                continue    # main.c calls the wizard; the includes rule says through what
            f.add(("use", src, dst), "%s (%s) uses %s (%s): %s may use only %s" % (
                src, layer, dst, tl, layer, ", ".join([layer] + LAYERS[layer])))
    for comp in find_cycles(graph):
        f.add(("call-cycle", tuple(comp)), "call circle: %s" % cycle_path(graph, comp))
    f.stale({"use", "call-cycle"})
    return f.lines


DOC_PATH = re.compile(r"`((?:src|screens|am|tests)/[^`\s]*)`")


def check_docs(top):
    lines = []
    folders = sorted({os.path.dirname(f) for f in sources(top)} - {"src"})
    for doc in ("README.md", "HACKING.md"):
        try:
            with open(os.path.join(top, doc), encoding="utf-8") as fh:
                text = fh.read()
        except OSError as e:
            lines.append("%s: cannot read it (%s)" % (doc, e.strerror))
            continue
        for d in folders:
            if "`%s/`" % d not in text:
                lines.append("%s: does not name the folder %s/" % (doc, d))
        for m in DOC_PATH.finditer(text):
            path = m.group(1)
            if any(c in path for c in "*<>{}") or path.endswith("..."):
                continue    # a pattern, not a path
            if not os.path.exists(os.path.join(top, path.rstrip("/"))):
                lines.append("%s: names %s, which is not in the tree" % (doc, path))
    return lines


def print_graph(top, build):
    files = sources(top)
    headers, incs, _ = scan_includes(top, files)
    for src in files:
        names = [n for k, n in incs[src] if k == '"' and os.path.basename(n) in headers]
        print("%s [%s] includes: %s" % (src, layer_of(src), " ".join(names)))
    if build:
        _, graph = call_graph(top, build)
        for src in sorted(graph):
            print("%s [%s] uses: %s" % (src, layer_of(src), " ".join(sorted(graph[src]))))


def main(argv):
    if len(argv) < 3 or argv[1] not in ("includes", "calls", "docs", "graph"):
        sys.stderr.write(__doc__)
        return 2
    top = argv[2]
    if argv[1] == "graph":
        print_graph(top, argv[3] if len(argv) > 3 else None)
        return 0
    if argv[1] == "includes":
        lines = check_includes(top)
    elif argv[1] == "docs":
        lines = check_docs(top)
    else:
        if len(argv) < 4:
            sys.stderr.write("layers.py calls SRCDIR BUILDDIR\n")
            return 2
        lines = check_calls(top, argv[3])
    for line in lines:
        print(line)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
