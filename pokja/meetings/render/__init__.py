"""The documents a meeting secretary sends: the agenda and the minutes as Markdown, printable
HTML and DOCX, and the meeting itself as iCalendar (DESIGN §7).

Every format renders the same blocks (:mod:`.blocks`), built from the agenda *as one reader
may see it* (:mod:`pokja.meetings.agenda.reading`), so the content and the redaction are the
same in each. Dates are written by Babel in the Pokja's zone (:mod:`.dates`).
"""
