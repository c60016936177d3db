"""What the gate found, in words a school data clerk understands.

A :class:`Finding` never holds a learner's value: only the file, the column, a check id,
what was expected (in words), how many rows failed and up to five row numbers as a
spreadsheet shows them (header = row 1, first record = row 2). That is what is printed,
written to ``result.json`` and shown in the report, so the gate's output can be shared
with the partner without sharing learner data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from pathways.io.markdown import md_escape

MAX_ROWS_SHOWN = 5


@dataclass
class Finding:
    file: str
    column: str | None
    check: str
    expected: str
    count: int = 0
    rows: list[int] = field(default_factory=list)
    message: str = ""

    def __post_init__(self) -> None:
        self.rows = [int(r) for r in self.rows[:MAX_ROWS_SHOWN]]
        self.count = int(self.count)
        if not self.message:
            self.message = finding_message(self)

    def to_dict(self) -> dict:
        return asdict(self)


_PROBLEM = {
    "required_column": "the required column is missing",
    "not_blank": "{n} have a blank value",
    "type": "{n} have a value that is not {expected}",
    "allowed_values": "{n} have a value that is not allowed",
    "pattern": "{n} have a value that is not {expected}",
    "not_ssn": "{n} have a value that looks like a Social Security number",
    "range": "{n} have a value that is not {expected}",
    "school_year": "{n} have a year that is not the school year of the folder",
    "date_window": "{n} have a date outside the school year (July 1 to June 30)",
    "at_most": "{n} have a value larger than {compared}",
    "less_than": "{n} have a value that is not earlier than {compared}",
    "plausible_wages": "{n} have implausibly high wages",
    "unique_key": "{n} repeat a key that must appear only once",
    "repeated_row": "{n} repeat an earlier row in every column",
    "reference_same_year": "{n} have a value that is not in {target}",
    "reference_up_to_year": "{n} have a value that is not in {target}",
    "reference_earlier_years": "{n} have a value that is not in {target}",
    "graduated_once": "{n} have a learner who already graduated with a diploma in an earlier cohort",
}


def _rows_phrase(count: int) -> str:
    return "1 row" if count == 1 else f"{count:,} rows"


def finding_message(f: Finding) -> str:
    """One sentence, e.g. "learners.csv, column grade_level: 3 rows have a value that is not ... (rows 4, 9)."."""
    where = f.file + (f", column {f.column}" if f.column else "")
    template = _PROBLEM.get(f.check)
    if template is None:
        return f"{where}: {f.expected}"
    n = _rows_phrase(f.count)
    compared = f.expected.split(" than ")[-1] if " than " in f.expected else "the other column"
    target = f.expected.split(" appears in ")[-1] if " appears in " in f.expected else "the referenced file"
    problem = template.format(n=n, expected=f.expected, compared=compared, target=target)
    if template.startswith("{n}") and f.count == 1:
        problem = problem.replace(" have ", " has ", 1).replace(" repeat ", " repeats ", 1)
    rows = ""
    if f.rows:
        label = "row" if len(f.rows) == 1 else "rows"
        more = ", ..." if f.count > len(f.rows) else ""
        rows = f" ({label} {', '.join(str(r) for r in f.rows)}{more})"
    return f"{where}: {problem}{rows}. Expected: {f.expected}."


@dataclass
class GateResult:
    partnership_id: str | None
    year: int
    folder: Path
    passed: bool
    failures: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)
    docs_path: Path | None = None

    @property
    def refused(self) -> bool:
        return not self.passed

    @property
    def label(self) -> str:
        who = self.partnership_id or self.folder.name
        return f"{who} {self.year}" if self.partnership_id else f"folder {self.folder} (year {self.year})"

    def to_dict(self) -> dict:
        return {
            "partnership_id": self.partnership_id,
            "year": self.year,
            "folder": str(self.folder),
            "passed": self.passed,
            "status": "passed" if self.passed else "refused",
            "files": dict(self.files),
            "failures": [f.to_dict() for f in self.failures],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: dict) -> GateResult:
        return cls(
            partnership_id=data.get("partnership_id"),
            year=int(data["year"]),
            folder=Path(data["folder"]),
            passed=bool(data["passed"]),
            failures=[Finding(**f) for f in data.get("failures", [])],
            warnings=[Finding(**w) for w in data.get("warnings", [])],
            files=dict(data.get("files", {})),
        )

    def summary(self) -> str:
        if self.passed:
            extra = f" with {len(self.warnings)} warning(s)" if self.warnings else ""
            return f"The submission {self.label} passed the validation gate{extra}."
        return (
            f"The submission {self.label} was refused by the validation gate: "
            f"{len(self.failures)} problem(s) to fix before it can be used."
        )

    def render_text(self) -> str:
        """The clerk report for a terminal."""
        lines = [self.summary()]
        if self.files:
            lines.append(
                "Files checked: "
                + ", ".join(f"{name} ({n:,} rows)" for name, n in sorted(self.files.items()))
            )
        if self.failures:
            lines.append("")
            lines.append("Problems (fix these and send the files again):")
            lines.extend(f"  {i}. {f.message}" for i, f in enumerate(self.failures, 1))
        if self.warnings:
            lines.append("")
            lines.append("Warnings (the submission is accepted; please check):")
            lines.extend(f"  - {w.message}" for w in self.warnings)
        return "\n".join(lines)

    def render_markdown(self) -> str:
        """The clerk report as Markdown (partner-supplied names escaped)."""
        parts = [md_escape(self.summary())]
        if self.failures:
            parts.append("")
            parts.append("**Problems**")
            parts.append("")
            parts.extend(f"1. {md_escape(f.message)}" for f in self.failures)
        if self.warnings:
            parts.append("")
            parts.append("**Warnings**")
            parts.append("")
            parts.extend(f"- {md_escape(w.message)}" for w in self.warnings)
        return "\n".join(parts) + "\n"

    def __str__(self) -> str:
        return self.render_text()
