"""The reference oilfield's demo data: an organisation modelled on a large oilfield company
(headquarters departments, production plants, institutes, service units, their sections and
teams, the Party tree, a few thousand people) and this year's reform as dated changes.

`generator.generate()` is pure: it returns the spreadsheet rows and the plans for positions,
reform steps and demo accounts. `loader.load_demo()` feeds the rows through the real importers
and the rest through the services, so the demo exercises the same paths as real data."""
