"""The themes a dated list holds: the rows it gives, and those it carries from earlier lists.

A theme missing from a newer list keeps its last state: every figure counts it (kpi.figures.population), and a new
list is compared with the themes the list it follows holds, carried ones included (kpi.db.write).
"""

from __future__ import annotations


def listed(list_expr: str = "$list") -> str:
    """The themes as a list knows them, as a subquery: its own rows (carried_from NULL) and, for each theme an
    earlier list named and it does not, that theme's row in the latest such list (carried_from: that list's date);
    `list_date` is the date of the list a row comes from.

    A list accepted as a renumbering (`kpi load --renumbered`) starts afresh: it and the lists after it carry nothing
    from the lists before it, whose IDs it replaced; its date stays renumbered when its list is corrected, or a
    correction undone, until the renumbering load itself is undone."""
    # The latest earlier list of each theme is found on (theme_id, list_id, snapshot) alone, then its row is joined,
    # so that a filter on the rows (a theme_id range: population.first_rows) reaches theme_rows in both branches.
    # NOT EXISTS plans an anti join: on a list of 1,000,000 themes with no earlier list, 3 ms (NOT IN: 67 ms).
    day = f"(SELECT snapshot FROM theme_lists WHERE list_id = {list_expr})"
    return f"""(SELECT r.*, CAST(NULL AS DATE) AS carried_from, {day} AS list_date
        FROM theme_rows r WHERE r.list_id = {list_expr}
        UNION ALL BY NAME
        SELECT r.*, c.carried_from, c.carried_from AS list_date FROM theme_rows r JOIN (
          SELECT e.theme_id, max_by(e.list_id, l.snapshot) AS list_id, max(l.snapshot) AS carried_from
          FROM theme_rows e JOIN theme_lists l USING (list_id)
          WHERE l.snapshot < {day}
            AND l.snapshot >= coalesce({_renumbered_before(day)}, DATE '1900-01-01')
            AND NOT EXISTS (SELECT 1 FROM theme_rows o WHERE o.list_id = {list_expr} AND o.theme_id = e.theme_id)
          GROUP BY e.theme_id) c ON r.theme_id = c.theme_id AND r.list_id = c.list_id)"""


def _renumbered_before(day: str) -> str:
    """SQL: the latest date, on or before `day`, a load accepted as a renumbering brought a list for and was not
    undone."""
    # Kept with the date, not with the current version's load: a same-date correction, or an undo making an earlier
    # version current again (as the undo's load), would otherwise carry the pre-renumbering themes back in.
    return f"""(SELECT max(v.snapshot) FROM theme_lists_versions v JOIN loads d USING (load_id)
        WHERE d.renumbered IS NOT NULL AND v.snapshot <= {day}
          AND NOT EXISTS (SELECT 1 FROM loads u WHERE u.undoes = d.load_id))"""


def attribute_join(rows: str, name_expr: str = "$attribute", alias: str = "attribute") -> str:
    """SQL: LEFT JOIN of a theme attribute's value (`{alias}.value`, null where the list gives none) to rows of
    theme_rows or of listed() aliased `rows`: each theme's value as the list its row comes from gives it, so that a
    carried theme carries its attributes; `name_expr` names the attribute (kpi.settings.Attribute.name)."""
    return (
        f"LEFT JOIN theme_attributes {alias} ON {alias}.list_id = {rows}.list_id "
        f"AND {alias}.theme_id = {rows}.theme_id AND {alias}.name = {name_expr}"
    )


def attribute_of(name_expr: str = "$attribute", list_expr: str = "$list") -> str:
    """The themes a list holds (carried ones included) with their value of one attribute, as a subquery of
    (theme_id, value): `JOIN {attribute_of()} USING (theme_id)` groups a figure by the attribute (`kpi … --by`)."""
    return f"(SELECT t.theme_id, attribute.value FROM {listed(list_expr)} t {attribute_join('t', name_expr)})"
