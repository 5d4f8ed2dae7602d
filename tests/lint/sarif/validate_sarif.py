#!/usr/bin/env python3
"""Validates the SARIF logs of `writ lint` against the SARIF 2.1.0 schema kept next to this file.

Usage: validate_sarif.py WRIT SOURCE_DIR

Lints the deliberately bad policy set (every rule, labels and fix-its) and the example policies
(no results), and validates each SARIF log. Exits 1 with
the schema violations on failure.
"""
import json
import os
import subprocess
import sys

import jsonschema


def sarif_of(writ, args, cwd):
    run = subprocess.run([writ] + args + ["--format", "sarif"], cwd=cwd, capture_output=True,
                         text=True, check=False)
    if run.returncode not in (0, 1, 2):
        sys.exit(f"{' '.join(args)}: exit {run.returncode}\n{run.stderr}")
    return json.loads(run.stdout)


def main():
    writ, source = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "sarif-schema-2.1.0.json"), encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    logs = {
        "lint tests/lint/bad_set": sarif_of(writ, ["lint", "tests/lint/bad_set"], source),
        "lint policies": sarif_of(writ, ["lint", "policies"], source),
    }
    failed = False
    for name, log in logs.items():
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        for error in errors[:20]:
            failed = True
            path = "/".join(str(p) for p in error.absolute_path)
            print(f"{name}: /{path}: {error.message}")
        results = sum(len(run.get("results") or []) for run in log.get("runs") or [])
        print(f"{name}: {results} results, {'invalid' if errors else 'valid'}")
    bad = logs["lint tests/lint/bad_set"]
    if not any(r.get("fixes") for r in bad["runs"][0]["results"]):
        print("lint tests/lint/bad_set: expected results with fixes")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
