"""Timeline imports: CSV files, JSON files and Slack exports turned into timeline events.

``read_timeline`` only reads (nothing is stored); ``import_timeline`` reads and then adds
the events to a review in one transaction, leaving out those already imported. Bad rows
are reported as :class:`Problem` (file, line, reason) while the good rows are imported; a
file that cannot be read at all raises :class:`TimelineImportError`.
"""

from __future__ import annotations

from review_assistant.importers.common import ParsedTimeline, Problem, TimelineImportError
from review_assistant.importers.importing import (
    FORMATS,
    ImportReport,
    detect_format,
    import_timeline,
    read_timeline,
    report_text,
)

__all__ = [
    "FORMATS",
    "ImportReport",
    "ParsedTimeline",
    "Problem",
    "TimelineImportError",
    "detect_format",
    "import_timeline",
    "read_timeline",
    "report_text",
]
