#!/usr/bin/env python3
"""Every target declares exactly what it imports.

Reads Package.swift, and for each target compares the modules its Swift files import with the dependencies it
declares (target names and product names). Prints what is imported but not declared and what is declared but
never imported; exits 1 when anything differs. Run from the package root: scripts/check-imports.py
"""
import os
import re
import sys

SYSTEM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Musl", "Darwin", "Dispatch",
    "Synchronization", "Testing", "XCTest", "_Concurrency", "RegexBuilder", "os", "FoundationXML",
}
IMPORT = re.compile(r"^\s*(?:@\w+\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"
                    r"(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?(\w+)", re.M)


def targets(manifest):
    """(kind, name, path, dependencies) of every target in the manifest."""
    found = []
    for match in re.finditer(r"\.(target|executableTarget|testTarget|systemLibrary)\(", manifest):
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(manifest)):
            depth += {"(": 1, ")": -1}.get(manifest[end], 0)
            if depth == 0:
                break
        body = manifest[match.end():end]
        name = re.search(r'name:\s*"([^"]+)"', body).group(1)
        path = re.search(r'path:\s*"([^"]+)"', body)
        deps_match = re.search(r"dependencies:\s*\[", body)
        deps = set()
        if deps_match:
            depth, start = 0, deps_match.end() - 1
            for stop in range(start, len(body)):
                depth += {"[": 1, "]": -1}.get(body[stop], 0)
                if depth == 0:
                    break
            listed = body[start + 1:stop]
            deps |= set(re.findall(r'\.product\(\s*name:\s*"([^"]+)"', listed))
            deps |= set(re.findall(r'(?<![:\w])"([^"]+)"', re.sub(r"\.product\([^)]*\)", "", listed)))
        kind = match.group(1)
        default = ("Tests/" if kind == "testTarget" else "Sources/") + name
        found.append((kind, name, path.group(1) if path else default, deps))
    return found


def imports(directory):
    modules = set()
    for root, _, files in os.walk(directory):
        for file in files:
            if file.endswith(".swift"):
                with open(os.path.join(root, file), encoding="utf-8") as handle:
                    modules |= set(IMPORT.findall(handle.read()))
    return modules - SYSTEM


def main():
    with open("Package.swift", encoding="utf-8") as handle:
        manifest = handle.read()
    problems = 0
    for kind, name, path, deps in targets(manifest):
        if kind == "systemLibrary":
            continue
        used = imports(path) - {name}
        missing, unused = sorted(used - deps), sorted(deps - used)
        if missing or unused:
            problems += 1
            print(f"{name} ({path}):")
            if missing:
                print(f"  imported but not declared: {', '.join(missing)}")
            if unused:
                print(f"  declared but not imported: {', '.join(unused)}")
    if problems:
        print(f"{problems} targets do not declare exactly what they import; fix Package.swift or the imports")
        return 1
    print("every target declares exactly what it imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
