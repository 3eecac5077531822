from ronghe.core import clock


def ronghe(request):
    return {"today": clock.today()}
