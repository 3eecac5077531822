"""The Five-Ones demo: the reform leading group's master plans of the report, decomposed into
key tasks and sub-plans, each task at a different point of its life so that every light and
every failure mode shows up today.

`content` is the plans and tasks (plain data), `timelines` the dated events of each profile
(pure), `loader.load_tasks_demo()` writes them through the task services into the demo oilfield
that `org.demo` loads."""
