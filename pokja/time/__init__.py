"""Time: the one clock, the working-day calendar, the catalogue of legal limits, a Pokja's
clock settings, a case's own clocks and the one list of deadline sources."""
