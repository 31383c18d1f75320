"""The columnar fast path for clean ledger sheets: distinct values checked once, Arrow output."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from minzheng.intake import arrowcalls, privacy
from minzheng.intake.extract.cells import CellReader, empty
from minzheng.intake.extract.result import FACT_SCHEMA


class LedgerFast(CellReader):
    """A clean ledger sheet loaded column by column; any doubt hands it to the row path."""

    def _ledger_fast(self, sheet, rows, first, ctx, cols, c_place, c_note) -> bool:
        """Load a clean ledger sheet column by column; False (nothing added) at the first doubt.

        Every distinct cell value is checked once; if any is empty, wrong, approximate or
        otherwise needs a message, the row-by-row path runs instead and reports it exactly.
        The output is built as Arrow arrays: each column's distinct values are mapped once and
        spread to the rows by their codes, so no Python object is made per output cell.
        """
        n = len(rows)
        if cols.date is None:
            return False
        body = rows[first:]
        transposed = None
        if body and len(set(map(len, body))) == 1:
            transposed = list(zip(*body, strict=True))  # rectangular: one C-level pass
        # Most data rows start with a 序号 or a date cell: no need to look further.
        starts = (float, int, dt.date, dt.datetime)
        if transposed and set(map(type, transposed[0])) <= set(starts):
            kinds = [None] * len(body)  # every row is data
            data, picked = range(first, n), body
        else:
            classify = self.is_non_data
            kinds = [None if row and row[0].__class__ in starts else classify(row) for row in body]
            data = [r for r, kind in enumerate(kinds, start=first) if kind is None]
            picked = [rows[r] for r in data]
            transposed = None
            if picked and len(set(map(len, picked))) == 1:
                transposed = list(zip(*picked, strict=True))
        if not data:
            return False

        if transposed is not None:

            def col(c):
                return None if c is None else transposed[c]
        else:

            def col(c):
                return None if c is None else [row[c] if c < len(row) else "" for row in picked]

        size = len(data)
        zeros = np.zeros(size, np.int32)
        cats, towns, dates, qtys, measures = (
            col(cols.category),
            col(cols.township),
            col(cols.date),
            col(cols.quantity),
            col(cols.measure),
        )
        if cats is None:
            if ctx.category is None:
                return False
            cat_values, cat_codes = [None], zeros
            inds = [ctx.category]
        else:
            cat_values, cat_codes = _encode(cats)
            for value in cat_values:
                if empty(value) or self.resolve_category(value)[1]:
                    return False
            inds = [self._categories[v][0] for v in cat_values]
        if towns is None:
            if ctx.unit is None:
                return False
            town_values, town_codes = [None], zeros
        else:
            town_values, town_codes = _encode(towns)
            for value in town_values:
                if empty(value):
                    if ctx.unit is None:
                        return False
                elif self.resolve_unit(value)[1]:
                    return False
        units = [ctx.unit if empty(v) else self._units[v][0] for v in town_values]
        date_values, date_codes = _encode(dates)
        days = []
        for value in date_values:
            if empty(value):
                return False
            parsed, err = self.parse_date(value, ctx.date_year, ctx.year_error)
            if err:
                return False
            days.append(parsed)
        # A count is clean or not given its cell, the row's measure and the row's indicator:
        # check each distinct combination of the three once.
        qty_values, qty_codes = _encode(qtys)
        measure_values, measure_codes = ([""], zeros) if measures is None else _encode(measures)
        keys = list(dict.fromkeys(ind.key for ind in inds))
        key_codes = np.array([keys.index(ind.key) for ind in inds], np.int64)[cat_codes]
        n_m, n_k = len(measure_values), len(keys)
        if all(v.__class__ in (int, float) for v in qty_values):
            quantities = self._plain_counts(
                qty_values, qty_codes, measure_values, measure_codes, keys, key_codes, cols
            )
            if quantities is None:
                return False
        else:
            combos = (qty_codes.astype(np.int64) * n_m + measure_codes) * n_k + key_codes
            numbers = np.zeros(len(qty_values))
            for combo in np.unique(combos).tolist():
                q, rest = divmod(combo, n_m * n_k)
                m, k = divmod(rest, n_k)
                number = self._clean_quantity(
                    qty_values[q], measure_values[m], keys[k], cols.header_measure
                )
                if number is None:
                    return False
                numbers[q] = number  # the count depends on the cell alone; the rest validates
            quantities = numbers[qty_codes]
        # Totals rows are checked against the rows above them, as on the row-by-row path.
        if "total" in kinds:
            self._check_totals_fast(sheet, rows, first, kinds, quantities, cols.quantity)
        date_parts = [(d.year, d.month, None if only else d) for d, only in days]
        if cats is None:
            labels = [ctx.category.name]
        else:
            labels = [self.category_label(v) for v in cat_values]
        table = {
            "unit_id": _spread([u.unit_id for u in units], town_codes, pa.int32()),
            "indicator_key": _spread([i.key for i in inds], cat_codes, pa.string()),
            "year": _spread([y for y, _m, _d in date_parts], date_codes, pa.int16()),
            "month": _spread([m for _y, m, _d in date_parts], date_codes, pa.int8()),
            "activity_date": _spread([d for _y, _m, d in date_parts], date_codes, pa.date32()),
            "quantity": pa.array(quantities, pa.float64()),
            "sheet": pa.repeat(pa.scalar(sheet, pa.string()), size),
            "source_row": pa.array(np.asarray(data, np.int32) + 1),
            "category_text": _spread(labels, cat_codes, pa.string()),
            "person_hash": pa.nulls(size, pa.string()),
            "person_masked": pa.nulls(size, pa.string()),
        }
        distinct = {}  # column -> its distinct values, for the privacy scan below
        for name, c in (("place", c_place), ("note", c_note)):
            values = col(c)
            if values is None:
                table[name] = pa.nulls(size, pa.string())
            else:
                found, codes = _encode(values)
                distinct[c] = found
                texts = [self.free_text(v) or None for v in found]
                table[name] = _spread(texts, codes, pa.string())
        self.out.add_table(pa.table(table, schema=FACT_SCHEMA))
        # Validated cells (dates, categories, counts, townships) cannot hold an ID or phone
        # number; search the other columns' distinct values and every non-data row.
        checked = {cols.date, cols.category, cols.quantity, cols.measure, cols.township}
        width = len(picked[0]) if picked else 0
        free = [c for c in range(width) if c not in checked]
        others = rows[:first] + [row for row, kind in zip(body, kinds, strict=True) if kind]
        self.out.sensitive = (
            self.out.sensitive
            or any(
                privacy.cells_have_sensitive(_unsafe_values(distinct.get(c) or col(c)))
                for c in free
            )
            or privacy.cells_have_sensitive(v for row in others for v in row)
        )
        self._scanned.add(sheet)
        return True

    def _check_totals_fast(self, sheet, rows, first, kinds, quantities, c_qty) -> None:
        """Check totals rows against the rows above them, as the row-by-row path does."""
        running = since_subtotal = 0.0
        index = 0
        for r, kind in enumerate(kinds, start=first):
            if kind is None:
                running += quantities[index]
                since_subtotal += quantities[index]
                index += 1
            elif kind == "total":
                self._check_total(sheet, r, rows[r], c_qty, running, since_subtotal, index, False)
                if self.first_text(rows[r])[1].startswith("小计"):
                    since_subtotal = 0.0

    def _plain_counts(self, values, codes, measures, measure_codes, keys, key_codes, cols):
        """Each row's count when every count cell is a plain number, else None.

        The checks of `_clean_quantity`, done on arrays: a plain number is its own count (no
        unit written, never approximate); it must be finite, not negative, whole, within each
        indicator's largest count per row, and each row's measure must suit its indicator.
        """
        try:
            numbers = np.array(values, np.float64)
        except OverflowError:
            return None
        if not np.isfinite(numbers).all() or (numbers < 0).any():
            return None
        if (numbers != np.floor(numbers)).any():
            return None
        quantities = numbers[codes]
        n_k = len(keys)
        for pair in np.unique(measure_codes.astype(np.int64) * n_k + key_codes).tolist():
            m, k = divmod(pair, n_k)
            raw = measures[m]
            measure = self._measure(raw) if not empty(raw) else cols.header_measure
            if measure and measure not in self.ref.indicators[keys[k]].accepted_units:
                return None
        for k, key in enumerate(keys):
            if quantities[key_codes == k].max(initial=0) > self.ref.indicators[key].max_per_row:
                return None
        return quantities

    def _clean_quantity(self, raw, raw_measure, key, header_measure) -> float | None:
        """The count if the cell needs no message at all (fast path), else None."""
        if empty(raw):
            return None
        parsed, err = self.parse_quantity(raw)
        if err:
            return None
        number, unit_written, approx = parsed
        ind = self.ref.indicators[key]
        if approx or number < 0 or not number.is_integer() or number > ind.max_per_row:
            return None
        measure = self._measure(raw_measure) if not empty(raw_measure) else header_measure
        written = unit_written or measure
        if written and written not in ind.accepted_units:
            return None
        return number


# Arrow types that a column of Python values can only get when all of them have one type (a
# double column may hold ints and floats, a date32 column dates and datetimes).
_ONE_KIND = {pa.string(), pa.int64(), pa.bool_()}


def _encode(values) -> tuple[list, np.ndarray]:
    """(distinct values in first-seen order, each value's position among them as int32)."""
    try:
        with arrowcalls.without_pandas():  # type inference probes for pandas (arrowcalls.py)
            array = pa.array(values)
    except (pa.ArrowException, OverflowError):
        array = None
    if (
        array is not None
        and array.null_count == 0
        and (
            array.type in _ONE_KIND
            or pa.types.is_timestamp(array.type)
            or len(set(map(type, values))) == 1
        )
    ):
        encoded = array.dictionary_encode()
        return encoded.dictionary.to_pylist(), encoded.indices.to_numpy()
    kinds = set(map(type, values))
    if bool in kinds:  # True == 1 and False == 0 as dict keys: keep them apart
        distinct, codes = _encode_keys(list(zip(map(type, values), values, strict=True)))
        return [v for _t, v in distinct], codes
    return _encode_keys(values)


def _encode_keys(values) -> tuple[list, np.ndarray]:
    index = dict.fromkeys(values)
    for i, key in enumerate(index):
        index[key] = i
    return list(index), np.fromiter(map(index.__getitem__, values), np.int32, len(values))


def _spread(per_value: list, codes: np.ndarray, kind: pa.DataType) -> pa.Array:
    """One output value per row: the value mapped from each row's distinct cell value."""
    return pa.array(per_value, kind).take(pa.array(codes))


def _unsafe_values(values):
    """The distinct values of a column that could hold an ID or phone number.

    A column of plain numbers all below a million holds none (privacy.cells_have_sensitive
    looks at numbers from a million up); any other column is given whole.
    """
    try:
        with arrowcalls.without_pandas():
            array = pa.array(values)
    except (pa.ArrowException, OverflowError):
        array = None
    if array is not None and array.type in (pa.int64(), pa.float64()) and not array.null_count:
        largest = pc.max(array).as_py()  # NaN is skipped, as cells_have_sensitive skips it
        if largest is None or largest < 1e6:
            return ()
    return dict.fromkeys(values)
