"""Compares the contract run's failures with the baseline of deliberate exceptions.

Usage: compare.py BASELINE DIR. DIR holds one `st run` report per backend and role
(`<backend>-<role>.txt`). A failure
is an operation and the title of a failed check ("POST /api/v1/vacancies | Server error").
Exit status 1 when a failure is not in the baseline; a baseline entry that did not happen is
reported, not counted (a run explores only some of the inputs).
"""

import re
import sys
from pathlib import Path


def baseline(path):
    entries = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        operation, check, reason = (part.strip() for part in line.split("|", 2))
        if not reason:
            sys.exit(f"{path}: every exception needs its reason: {line}")
        entries[(operation, check)] = reason
    return entries


def failures(directory):
    """{(operation, check): [(run, excerpt)]} over every text report in `directory`.

    The reports, not the JUnit files: those fold a message's lines into one."""
    found = {}
    for report in sorted(Path(directory).glob("*.txt")):
        run = report.stem
        section, operation, lines = None, None, []

        def flush():
            if operation is None:
                return
            text = "\n".join(lines).strip()
            if section == "ERRORS":
                first = next((line for line in lines if line.strip()), "?")
                titles = ["Error: " + first.strip()]
            else:
                titles = re.findall(r"^- (.+)$", text, flags=re.MULTILINE) or ["(no check named)"]
            for title in titles:
                found.setdefault((operation, title.strip()), []).append((run, text))

        for line in report.read_text(encoding="utf-8", errors="replace").splitlines():
            banner = re.match(r"^=+ (ERRORS|FAILURES|SUMMARY|.*passed.*|.*failed.*) =+$", line)
            header = re.match(r"^_+ (.+?) _+$", line)
            if banner:
                flush()
                section, operation, lines = banner.group(1), None, []
            elif header and section in ("ERRORS", "FAILURES"):
                flush()
                operation, lines = header.group(1), []
            elif operation is not None:
                lines.append(line)
        flush()
    return found


def main():
    allowed = baseline(sys.argv[1])
    found = failures(sys.argv[2])
    new = {key: runs for key, runs in found.items() if key not in allowed}
    print(f"contract: {len(found)} distinct failures, {len(found) - len(new)} of them in the baseline")
    for (operation, check), runs in sorted(new.items()):
        names = ", ".join(sorted({run for run, _ in runs}))
        print(f"\nNEW  {operation} | {check}   ({names})")
        excerpt = runs[0][1].strip()
        print("     " + "\n     ".join(excerpt.splitlines()[:30]))
    for operation, check in sorted(set(allowed) - set(found)):
        print(f"not seen this run (baseline): {operation} | {check}")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
