"""The agenda of a meeting, generated from the Pokja's state (DESIGN §7).

:func:`~pokja.meetings.agenda.build.build_snapshot` reads sections 1–6 in a fixed number of
statements, whatever the number of cases, into a JSON document holding the full content and,
per case, the facts that decide who sees it in full; a meeting stores it when it is scheduled.
:func:`~pokja.meetings.agenda.reading.read_agenda` turns the live or the frozen document into
what one reader may see (DESIGN §5), with the meeting's manual items (section 7) read live.
"""
