"""Identifier formats of the SentinelOne API, generated deterministically from a `random.Random`."""

from __future__ import annotations

import random

# 19-digit decimal strings, like current consoles (`1913920934584665209`).
FIRST_ID = 1_800_000_000_000_000_000


def random_uuid(rng: random.Random) -> str:
    """Dashed 8-4-4-4-12 lowercase UUID drawn from `rng`."""
    raw = f"{rng.getrandbits(128):032x}"
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


class IdFactory:
    """Makes every identifier format the API uses.

    Numeric ids only ever increase, in creation order, like the console's time-based ids; that keeps `sortBy=id`
    walks stable while objects are added.
    """

    def __init__(self, rng: random.Random, last_id: int = FIRST_ID) -> None:
        self.rng = rng
        self.last_id = last_id

    def numeric_id(self) -> str:
        self.last_id += self.rng.randint(1_000, 9_999_999)
        return str(self.last_id)

    def hex_string(self, length: int, upper: bool = False) -> str:
        text = f"{self.rng.getrandbits(4 * length):0{length}x}"
        return text.upper() if upper else text

    def uuid(self) -> str:
        """Dashed 8-4-4-4-12 lowercase UUID (agent `uuid` on newer agents, `activityUuid`, `commandBatchUuid`)."""
        return random_uuid(self.rng)

    def storyline(self) -> str:
        """16 uppercase hex characters (`A8F6CB4CB9AE09A1`)."""
        return self.hex_string(16, upper=True)

    def dv_query_id(self) -> str:
        return "q" + self.hex_string(32)

    def power_query_id(self) -> str:
        return "pq" + self.hex_string(32)
