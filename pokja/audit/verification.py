"""What ``pokja audit-verify`` checks, as one report: the events' keyed hash chain, the access
log's digests, and optionally an anchor (a chain head printed in a closed meeting's signed
minutes) that today's chain must still pass through."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from pokja.audit import access_log, events


@dataclass
class Report:
    """``ok`` and the lines to print; ``problems`` go to standard error."""

    ok: bool = True
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> Report:
        self.ok = False
        self.problems.append(problem)
        return self


def parse_anchor(anchor: str) -> tuple[int, str]:
    """``SEQ:HASH`` as printed in the minutes; ValueError when it is not one."""
    return events.parse_anchor(anchor.strip().lower())


def verify(
    session: Session,
    pokja_id: uuid.UUID | None,
    *,
    anchor: tuple[int, str] | None = None,
    require_keyed: bool = False,
) -> Report:
    report = Report()
    if anchor is not None:
        seq, anchor_hash = anchor
        anchored = events.anchored_pokja(session, seq, anchor_hash)
        if anchored is None or (pokja_id is not None and anchored != pokja_id):
            return report.fail(f"anchor NOT on the chain: no event {seq} with hash {anchor_hash}")
        pokja_id = anchored
    used: Counter[str] = Counter()
    broken = events.verify_chain(session, pokja_id, used)
    if broken is not None:
        event = f"event {broken.event_id}" if broken.event_id else "the chain's end"
        return report.fail(
            f"audit chain BROKEN in Pokja {broken.pokja_id} at seq {broken.seq} ({event}): "
            f"{broken.reason}"
        )
    digest = access_log.verify_digests(session, pokja_id)
    if digest is not None:
        return report.fail(
            f"access log BROKEN in Pokja {digest.pokja_id} (digest event {digest.event_id}): "
            f"{digest.reason}"
        )
    if anchor is not None:
        report.lines.append(f"anchor {anchor[0]}:{anchor[1]} is on Pokja {pokja_id}'s chain")
    verified = ", ".join(f"{n} with key {key}" for key, n in sorted(used.items()))
    report.lines.append(
        f"audit chain intact ({events.count(session, pokja_id)} events: {verified or 'none'}); "
        f"access log digests intact ({access_log.undigested(session, pokja_id)} reads not "
        "digested yet)"
    )
    if used[events.UNKEYED] and require_keyed:
        report.fail(f"{used[events.UNKEYED]} events carry no audit key (plain SHA-256)")
    return report
