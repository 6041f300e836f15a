"""The limits that keep reading and evaluating an untrusted workbook bounded in time and memory.

A workbook comes from someone else, so every cost that grows with the file is capped here, in
one place, and crossing a cap refuses the file with a message naming it. The caps admit the
large workbooks the generator writes (a Training sheet of 20,000 updates: 700,000 formulas;
step sheets of an 8-8-8-8-4 network over two steps: 2.7 million characters of distinct
formulas), so a file just inside all of them costs what those do. Reading is bounded by
construction: every XML part streams through ``xmlstream``, which counts nesting, elements
and attributes before any handler keeps anything, and the handlers count the text they keep
in characters once decoded (``_xHHHH_`` escapes included), not in bytes. The sizes of the
zip's parts are counted as they are inflated, so a zip header that lies about them changes
nothing. Measured (benchmarks/bench_hostile.py): every hostile shape is refused within a few
seconds and under 300 MB, the evaluator's parse of ``MAX_PARSED_CHARS`` included (290 MB).
"""

from __future__ import annotations

from worksheet.evaluator.values import MAX_TEXT as MAX_TEXT  # one text value: Excel's limit

MB = 1024 * 1024

# The zip and its XML
MAX_DIRECTORY_BYTES = 4 * MB  # the zip's table of contents (tens of thousands of entries)
MAX_ENTRIES = 10_000  # entries in the zip
MAX_PART_BYTES = 200 * MB  # one part (a sheet) once inflated, counted while streaming
MAX_SMALL_PART_BYTES = 32 * MB  # the workbook, relationships and content types
MAX_TOTAL_BYTES = 512 * MB  # every part read, once inflated
MAX_TOKEN_BYTES = 1 * MB  # one XML tag (with its attributes), comment or instruction
MAX_DEPTH = 64  # elements open at once in one part; files of ours nest 8 deep at most
MAX_ELEMENTS = 4_000_000  # XML elements, all parts together: a cell is up to 3 (c, f, v)
MAX_ATTRIBUTES = 64  # attributes (namespace declarations aside) on one element

# The workbook
MAX_SHEETS = 1_000
MAX_NAMES = 100_000  # defined names
MAX_NAMES_CHARS = 4_000_000  # characters of all defined names' text
MAX_CELLS = 1_000_000  # stored cells, all sheets together
MAX_STRINGS = 1_000_000  # entries of the shared string table
MAX_TEXT_CHARS = 16_000_000  # characters of text kept (strings, text cells), once decoded
MAX_STYLES = 65_536  # entries of each list in styles.xml (formats, fonts, fills, cell styles)
MAX_STYLE_VALUES = 4 * MAX_STYLES  # distinct attribute values kept from styles.xml
MAX_MERGES = 100_000  # merged areas on one sheet
MAX_MERGES_TOTAL = 100_000  # merged areas, all sheets together (ours: a few hundred at most)
MAX_FORMULA = 8_192  # characters of one formula: Excel's own limit
MAX_FORMULA_CHARS = 64_000_000  # characters of all formulas, shared formulas moved to each cell
MAX_MOVED_CHARS = 2_000_000  # shared formula text tokenized, or moved other than straight down

# Evaluation
MAX_PARSED_CHARS = 4_000_000  # formula text parsed (a formula copied down is parsed once)
MAX_NODES = 20_000  # operations in one formula, its defined names expanded
MAX_OPERATIONS = 10_000_000  # operations in all formula cells together
MAX_RANGE_CELLS = 1_000_000  # cells read through ranges, all formulas: ours read none
# (means are written with + and /); a person's SUM(D5:D9) reads a few
