"""The production demo: wells in the demo oilfield's plants, two years of daily production whose
company-level curve climbs ten hundred-ton steps (百吨台阶), and every plant's plans."""
