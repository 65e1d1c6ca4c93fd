"""Meetings (rapat koordinasi, "rakor", DESIGN §3 "Meeting", §7): their lifecycle, invited
agencies and attendance, manual agenda items, minutes and decisions."""
