"""How many rows the query-count tests grow before their first count and before their second: a
query made for each row, or for each of a page's rows' related objects, shows as 35 more; a
constant cost does not move."""
FEW, MORE = 5, 40
