"""Counts test outcomes in every .trx file under a folder and prints 'N passed, N failed, N skipped'."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def main(folder: str) -> None:
    passed = failed = skipped = 0
    files = sorted(pathlib.Path(folder).rglob("*.trx"))
    for trx in files:
        root = ET.parse(trx).getroot()
        for result in root.iter(f"{NS}UnitTestResult"):
            outcome = result.get("outcome", "")
            if outcome == "Passed":
                passed += 1
            elif outcome in ("NotExecuted", "Inconclusive"):
                skipped += 1
            else:
                failed += 1
    if not files:
        # No results at all is a failure to run, not a pass.
        failed = 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "TestResults")
