"""Mineral group tokens and the names each one covers, for routing.

The classifier tags an event with lowercase element or material names (``dysprosium``,
``graphite``) and, when a story is about a whole family, with a group token
(``rare_earths``). A route that lists a group matches an event naming any member of that
group, or the group itself, or a smaller group inside it. See ``docs/routing.md``.

The table is data: one frozenset per group. Groups nest: ``rare_earth_magnets`` is inside
``rare_earths``, which is inside ``critical_minerals``; so is ``superhard_materials``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

RARE_EARTHS = "rare_earths"
RARE_EARTH_MAGNETS = "rare_earth_magnets"
CRITICAL_MINERALS = "critical_minerals"

# The seventeen rare earth elements: the fifteen lanthanides plus scandium and yttrium (IUPAC).
RARE_EARTH_ELEMENTS: frozenset[str] = frozenset(
    {
        "lanthanum", "cerium", "praseodymium", "neodymium", "promethium",
        "samarium", "europium", "gadolinium", "terbium", "dysprosium",
        "holmium", "erbium", "thulium", "ytterbium", "lutetium",
        "scandium", "yttrium",
    }
)  # fmt: skip

# Rare earths that go into permanent magnets: NdFeB (neodymium, praseodymium, with dysprosium
# and terbium for heat resistance) and SmCo (samarium). Cobalt is deliberately NOT here: it is
# not a rare earth and most cobalt news is about batteries, so a magnets route would be flooded.
# A desk that cares about SmCo cobalt supply lists ``cobalt`` in its route.
MAGNET_RARE_EARTHS: frozenset[str] = frozenset(
    {"neodymium", "praseodymium", "dysprosium", "terbium", "samarium"}
)

# Superhard materials: the category China's export-control notices use (not elements).
SUPERHARD_MATERIALS = "superhard_materials"
SUPERHARD_NAMES: frozenset[str] = frozenset(
    {"synthetic_diamond", "industrial_diamond", "cubic_boron_nitride"}
)

# The non-rare-earth entries of the US critical minerals list (USGS 2022; the rare earths come
# in through the ``rare_earths`` group), the additions of the 2025 list (copper, silver,
# silicon, uranium, lead, rhenium, potash, boron, phosphate, metallurgical coal), molybdenum
# (under China's 2025 export controls) and the British spelling "aluminium".
CRITICAL_MINERAL_NAMES: frozenset[str] = frozenset(
    {
        "aluminum", "aluminium", "antimony", "arsenic", "barite", "beryllium",
        "bismuth", "cesium", "chromium", "cobalt", "fluorspar", "gallium",
        "germanium", "graphite", "hafnium", "indium", "iridium", "lithium",
        "magnesium", "manganese", "nickel", "niobium", "palladium", "platinum",
        "rhodium", "rubidium", "ruthenium", "tantalum", "tellurium", "tin",
        "titanium", "tungsten", "vanadium", "zinc", "zirconium",
        "copper", "silver", "silicon", "uranium", "lead", "rhenium", "potash",
        "boron", "phosphate", "metallurgical_coal", "molybdenum",
    }
)  # fmt: skip

GROUPS: dict[str, frozenset[str]] = {
    RARE_EARTH_MAGNETS: MAGNET_RARE_EARTHS,
    RARE_EARTHS: RARE_EARTH_ELEMENTS | {RARE_EARTH_MAGNETS},
    SUPERHARD_MATERIALS: SUPERHARD_NAMES,
    CRITICAL_MINERALS: CRITICAL_MINERAL_NAMES | {RARE_EARTHS, SUPERHARD_MATERIALS},
}

_SEPARATORS = re.compile(r"[\s\-]+")


def normalise(token: str) -> str:
    """``"Rare earths"`` and ``"rare-earths"`` both become ``"rare_earths"``."""
    return _SEPARATORS.sub("_", token.strip().lower())


@cache
def covers(token: str) -> frozenset[str]:
    """Every name ``token`` stands for: itself, and for a group all members, recursively."""
    token = normalise(token)
    found = {token}
    for member in GROUPS.get(token, ()):
        found |= covers(member)
    return frozenset(found)


def is_group(token: str) -> bool:
    return normalise(token) in GROUPS


def known(token: str) -> bool:
    """True when ``token`` is a group or a name inside some group."""
    return normalise(token) in covers(CRITICAL_MINERALS)


def matching(route_tokens: Iterable[str], event_tokens: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs ``(event_token, route_token)`` where the route token covers the event token."""
    pairs = []
    route_list = [normalise(r) for r in route_tokens]
    for event_token in (normalise(e) for e in event_tokens):
        for route_token in route_list:
            if event_token in covers(route_token):
                pairs.append((event_token, route_token))
                break
    return pairs
