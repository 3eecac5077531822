from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ronghe.core.modules import ApiRouter, NavItem
from ronghe.core.scheduler import Job


class TasksConfig(AppConfig):
    name = "ronghe.tasks"
    label = "tasks"
    verbose_name = _("Five-Ones key tasks (五个一)")

    urls = [("tasks/ledger/", "ronghe.tasks.urls_export"), ("tasks/", "ronghe.tasks.urls")]
    api_routers = [
        ApiRouter("/plans", "ronghe.tasks.api:plans_router", "plans",
                  "Five-Ones master plans and sub-plans (五个一: 总方案, 子方案) and the thresholds of their lights."),
        ApiRouter("/tasks", "ronghe.tasks.api:tasks_router", "tasks",
                  "Key tasks and their life: 下达, 签收, 进展反馈, 节点, 办结申请, 退办, 评价, 延期申请, 作废; "
                  "lights and failure modes as of any date (红黄蓝绿灯)."),
    ]
    nav = [NavItem("task_list", _("Key tasks (重点任务)"), "target", ("task_", "plan_"))]
    jobs = [Job("send_reminders", hour="8", minute="30")]
    demo = "ronghe.tasks.demo.loader:load_tasks_demo"
