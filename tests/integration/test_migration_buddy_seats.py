"""The buddy seats migration on a database with pairs in it: each rep in an active pair gets their seat,
and a second active pair of someone (only a race could have made one) is ended, the newest kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import MetaData, create_engine, insert, select

from tests.integration.test_migration_keeps_streaks import a_rep, database_url, upgrade  # noqa: F401 (a fixture)

BEFORE = "a9c0ffee0009"  # the revision before the buddy seats
CREATED = datetime(2026, 11, 20, 9, 0)


def test_active_pairs_take_their_seats_and_a_double_pairing_keeps_the_newest(database_url):  # noqa: F811
    upgrade(database_url, BEFORE)
    engine = create_engine(database_url)
    tables = MetaData()
    tables.reflect(engine)
    users, teams, pairs = tables.tables["users"], tables.tables["teams"], tables.tables["buddy_pairs"]
    with engine.begin() as conn:
        ana, ben, cy, di = (
            conn.execute(insert(users).values(a_rep(f"{name}@example.com", 40))).inserted_primary_key[0]
            for name in ("ana", "ben", "cy", "di")
        )
        team = conn.execute(
            insert(teams).values(name="Owls", timezone="UTC", created_at=CREATED, version=0)
        ).inserted_primary_key[0]

        def pair(inviter: int, invitee: int, status: str) -> int:
            row = {"team_id": team, "inviter_id": inviter, "invitee_id": invitee, "status": status}
            return conn.execute(insert(pairs).values(created_at=CREATED, **row)).inserted_primary_key[0]

        older = pair(ana, ben, "active")
        newer = pair(cy, ana, "active")  # Ana paired twice: two accepts that raced
        invited = pair(cy, di, "invited")
    engine.dispose()
    upgrade(database_url)

    engine = create_engine(database_url)
    tables = MetaData()
    tables.reflect(engine)
    seats, pairs = tables.tables["buddy_seats"], tables.tables["buddy_pairs"]
    with engine.connect() as conn:
        assert dict(conn.execute(select(seats.c.user_id, seats.c.pair_id)).all()) == {ana: newer, cy: newer}
        statuses = dict(conn.execute(select(pairs.c.id, pairs.c.status)).all())
        assert statuses == {older: "ended", newer: "active", invited: "invited"}
    engine.dispose()
