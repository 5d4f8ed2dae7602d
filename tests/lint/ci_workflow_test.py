#!/usr/bin/env python3
"""Runs docs/ci/writ.yml's `writ` steps and docs/ci/pre-commit on policies/, as CI would.

Usage: ci_workflow_test.py WRIT SOURCE_DIR

The steps named `writ ...` of the workflow are taken from the file as written (their `run:`
lines) and run with bash in a copy of SOURCE_DIR's policies, with the built `writ` first on PATH
and the workflow's `env`; each must exit 0 and the lint step must leave a SARIF log. Then the
pre-commit hook must pass, and fail once a policy is misformatted.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def workflow_steps(path):
    """(name, run) of the steps whose name starts with `writ `, and the workflow's env."""
    steps, env, name, in_env = [], {}, None, False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if re.match(r"^env:\s*$", line):
                in_env = True
                continue
            if in_env:
                m = re.match(r"^  ([A-Z_]+):\s*(.*)$", line)
                if m:
                    env[m.group(1)] = m.group(2).strip()
                    continue
                in_env = False
            m = re.match(r"^\s*- name:\s*(.*)$", line)
            if m:
                name = m.group(1).strip()
                continue
            m = re.match(r"^\s*run:\s*(.*)$", line)
            if m and name and name.startswith("writ "):
                steps.append((name, m.group(1).strip()))
    return steps, env


def main():
    writ, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    steps, wf_env = workflow_steps(os.path.join(source, "docs/ci/writ.yml"))
    names = [n for n, _ in steps]
    want = ["writ check", "writ fmt --check", "writ lint", "writ test"]
    if names != want:
        sys.exit(f"workflow steps are {names}, expected {want}")
    failed = False
    with tempfile.TemporaryDirectory() as work:
        shutil.copytree(os.path.join(source, "policies"), os.path.join(work, "policies"))
        env = dict(os.environ)
        env.update(wf_env)
        bin_dir = os.path.join(work, "bin")
        os.mkdir(bin_dir)
        os.symlink(writ, os.path.join(bin_dir, "writ"))
        env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
        for name, command in steps:
            run = subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=work, env=env,
                                 capture_output=True, text=True, check=False)
            print(f"{name}: `{command}` -> exit {run.returncode}")
            if run.returncode != 0:
                failed = True
                print(run.stderr)
        with open(os.path.join(work, "writ-lint.sarif"), encoding="utf-8") as f:
            if json.load(f).get("version") != "2.1.0":
                failed = True
                print("writ lint did not leave a SARIF 2.1.0 log")
        if not os.path.exists(os.path.join(work, "writ-tests.xml")):
            failed = True
            print("writ test did not leave JUnit XML")

        hook = os.path.join(source, "docs/ci/pre-commit")
        env["WRIT"] = writ
        run = subprocess.run([hook], cwd=work, env=env, capture_output=True, text=True, check=False)
        print(f"pre-commit -> exit {run.returncode}")
        if run.returncode != 0:
            failed = True
            print(run.stderr)
        # A misformatted policy must stop the commit.
        target = os.path.join(work, "policies", "email", "email.writ")
        with open(target, "a", encoding="utf-8") as f:
            f.write("\n\n\npermit    call email.read_inbox\n")
        run = subprocess.run([hook], cwd=work, env=env, capture_output=True, text=True, check=False)
        print(f"pre-commit on a misformatted policy -> exit {run.returncode}")
        if run.returncode == 0:
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
