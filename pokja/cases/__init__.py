"""Cases (dugaan pelanggaran): registration, edits, subjects and evidence, stages, register
numbers, the case list's filters and how a case is presented to each caller."""
