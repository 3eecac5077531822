from ninja import Router

wells_router = Router(tags=["wells"])
plans_router = Router(tags=["unit-plans"])
