"""What both readers of a daily-production file share: the wells in the importer's scope, the
(well, day) pairs seen so far, and the tally of what a valid file will write — the wells and
days it covers and its sums per (unit, day), from which the writer adds to the unit-day totals
without reading the rows back."""
import datetime as dt

import numpy as np

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


class ScopeWells:
    """The wells the importer may write, by position 0..n-1: their ids, units and 投产日期 as
    arrays (for the batch checks) and their codes as dicts (exact, and case-folded for the row
    checks)."""

    def __init__(self, rows):
        ids, units, since, codes = [], [], [], []
        for pk, code, unit_id, producing_since in rows:
            ids.append(pk)
            units.append(unit_id)
            since.append(producing_since.toordinal() if producing_since else 0)
            codes.append(code)
        self.ids = np.array(ids, dtype=np.int64)
        self.units = np.array(units, dtype=np.int64)
        self.since = np.array(since, dtype=np.int64)
        self.codes = codes
        self.exact = {code: i for i, code in enumerate(codes)}
        self.folded = {code.casefold(): i for i, code in enumerate(codes)}

    def __len__(self):
        return len(self.codes)


class DaysSeen:
    """Which (well position, day) pairs the file has had so far: one bit per well and day, in
    blocks of 256 days made on first use, so a million rows cost kilobytes per block whatever
    their order, not a set of a million tuples."""

    BLOCK = 256

    def __init__(self, wells: int):
        self._wells = max(wells, 1)
        self._blocks: dict[int, np.ndarray] = {}

    def _block(self, number: int) -> np.ndarray:
        block = self._blocks.get(number)
        if block is None:
            block = self._blocks[number] = np.zeros((self._wells, self.BLOCK // 8), dtype=np.uint8)
        return block

    def add(self, position: int, ordinal: int) -> bool:
        """Mark one pair; True when it was marked already."""
        block = self._block(ordinal // self.BLOCK)
        day = ordinal % self.BLOCK
        byte, mask = day >> 3, 1 << (day & 7)
        if block[position, byte] & mask:
            return True
        block[position, byte] |= mask
        return False

    def add_many(self, positions: np.ndarray, ordinals: np.ndarray) -> np.ndarray:
        """Mark many pairs, in order; for each, True when it was marked already (by an earlier
        call or earlier in these arrays)."""
        seen = np.zeros(len(positions), dtype=bool)
        if not len(positions):
            return seen
        keys = positions.astype(np.int64) << 32 | ordinals.astype(np.int64)
        order = np.argsort(keys, kind="stable")
        ranked = keys[order]
        repeat = np.zeros(len(keys), dtype=bool)
        repeat[1:] = ranked[1:] == ranked[:-1]
        seen[order] = repeat
        blocks = ordinals // self.BLOCK
        for number in np.unique(blocks):
            rows = np.flatnonzero(blocks == number)
            block = self._block(int(number))
            days = ordinals[rows] % self.BLOCK
            where = (positions[rows], days >> 3)
            masks = (1 << (days & 7)).astype(np.uint8)
            seen[rows] |= (block[where] & masks) != 0
            np.bitwise_or.at(block, where, masks)
        return seen


class Tally:
    """What the valid rows of a file add up to: the wells and the first and last day they cover
    (where the writer looks for stored rows they would replace), and per (unit, day) the oil,
    liquid and gas and the number of wells that gave oil. Rows come in as numpy arrays, a batch
    at a time, or one by one; they are summed per (unit, day) when the parts held exceed
    MERGE_AT rows, so memory stays bounded whatever the file's size."""

    MERGE_AT = 2_000_000

    def __init__(self, wells: ScopeWells):
        self._wells = wells
        self.touched = np.zeros(len(wells), dtype=bool)
        self.first = self.last = None
        self._parts: list[tuple[np.ndarray, np.ndarray]] = []  # (keys, 4 × n values)
        self._held = 0
        self._rows: list[tuple] = []

    def add(self, position: int, ordinal: int, oil: float, liquid, gas) -> None:
        self._rows.append((position, ordinal, oil, liquid or 0.0, gas or 0.0))
        if len(self._rows) >= 50_000:
            self._flush_rows()

    def add_rows(self, positions: np.ndarray, ordinals: np.ndarray, oil: np.ndarray, liquid: np.ndarray,
                 gas: np.ndarray) -> None:
        """Many rows: their well positions, days (ordinals) and numbers (0 where blank)."""
        if not len(positions):
            return
        self.touched[positions] = True
        low, high = int(ordinals.min()), int(ordinals.max())
        self.first = low if self.first is None else min(self.first, low)
        self.last = high if self.last is None else max(self.last, high)
        keys = self._wells.units[positions] << 32 | ordinals
        self._parts.append((keys, np.vstack([oil, liquid, gas, (oil > 0).astype(np.float64)])))
        self._held += len(keys)
        if self._held >= self.MERGE_AT:
            self._merge()

    def _flush_rows(self) -> None:
        if self._rows:
            columns = list(zip(*self._rows, strict=True))
            self._rows = []
            self.add_rows(np.array(columns[0], dtype=np.int64), np.array(columns[1], dtype=np.int64),
                          *(np.array(c, dtype=np.float64) for c in columns[2:]))

    def _merge(self) -> None:
        keys = np.concatenate([k for k, _v in self._parts])
        values = np.hstack([v for _k, v in self._parts])
        unique, groups = np.unique(keys, return_inverse=True)
        self._parts = [(unique, np.vstack([np.bincount(groups, weights=row, minlength=len(unique))
                                           for row in values]))]
        self._held = len(unique)

    def groups(self):
        """Per (unit, day): unit ids, ordinals, oil, liquid, gas and wells that gave oil, as arrays."""
        self._flush_rows()
        if not self._parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0), np.zeros(0), np.zeros(0), empty
        self._merge()
        keys, values = self._parts[0]
        return keys >> 32, keys & 0xFFFFFFFF, values[0], values[1], values[2], values[3].round().astype(np.int64)

    def well_ids(self) -> list[int]:
        self._flush_rows()
        return self._wells.ids[self.touched].tolist()

    def unit_ids(self) -> set[int]:
        return set(np.unique(self.groups()[0]).tolist())
