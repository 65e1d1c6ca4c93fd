"""Who sees what: the scoped queries every read starts from.

An object outside a caller's scope is simply not found (404), never "forbidden": a liaison of
one Pokja cannot even learn that another Pokja's agency exists.
"""

from __future__ import annotations

import sqlalchemy as sa

from pokja.models import Agency, Pokja, User


def is_admin(user: User) -> bool:
    return user.role == "admin"


def manages_pokja(user: User, pokja_id: object) -> bool:
    """Admins manage every Pokja; a coordinator manages its own (agencies, users, settings)."""
    return is_admin(user) or (user.role == "coordinator" and user.pokja_id == pokja_id)


def visible_pokjas(user: User) -> sa.Select[tuple[Pokja]]:
    stmt = sa.select(Pokja)
    if not is_admin(user):
        stmt = stmt.where(Pokja.id == user.pokja_id)
    return stmt


def visible_agencies(user: User) -> sa.Select[tuple[Agency]]:
    stmt = sa.select(Agency)
    if not is_admin(user):
        stmt = stmt.where(Agency.pokja_id == user.pokja_id)
    return stmt


def visible_users(user: User) -> sa.Select[tuple[User]]:
    """Admins see everyone, coordinators their Pokja's users, anyone else only themselves."""
    stmt = sa.select(User)
    if is_admin(user):
        return stmt
    if user.role == "coordinator":
        return stmt.where(User.pokja_id == user.pokja_id)
    return stmt.where(User.id == user.id)
