"""Meetings (rapat koordinasi, rakor): their lifecycle, attendance, minutes and decisions, the
agenda generated from the Pokja's state, and the documents a secretary sends (DESIGN §7)."""
