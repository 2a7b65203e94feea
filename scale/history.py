"""The loss history a run file carries (src/core/training/lossHistory.ts): points that each
average `bucket` steps, the partial bucket still filling, and pairwise merging once it holds
twice its capacity, so the page draws the continued run as one curve."""
from .gan import LOSS_NAMES

CAPACITY = 1000


def _average(points: list) -> dict:
    out = {'step': points[-1]['step']}
    for name in LOSS_NAMES:
        out[name] = sum(p[name] for p in points) / len(points)
    return out


def append(state: dict, step: int, losses: dict, capacity: int = CAPACITY) -> dict:
    """The history with one more step's losses."""
    bucket, points, pending = state['bucket'], list(state['points']), list(state['pending'])
    pending.append({'step': step, **{name: losses[name] for name in LOSS_NAMES}})
    if len(pending) == bucket:
        points.append(_average(pending))
        pending = []
    while len(points) >= 2 * capacity:
        points = [_average([points[i], points[i + 1]]) for i in range(0, len(points) - 1, 2)]
        bucket *= 2
    return {'bucket': bucket, 'points': points, 'pending': pending}
