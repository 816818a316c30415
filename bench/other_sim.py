"""The other simulator of the benchmarks (numpy, not pymunk): what ballfast's models are judged on beside its own arena.

Balls move in substeps; a wall reflects a ball with its own restitution; two balls that overlap exchange momentum along
the line of centres with the mean of their restitutions (by mass) and are pushed apart; each ball loses a fraction of its
speed per step (drag proportional to speed, not pymunk's constant deceleration). Used by bench/forecast_limit.py and
bench/whatif_bench.py with their own draws of the parameters.
"""
import numpy as np

def other_dynamics(p, v, steps, lo, hi, r, wall_e, drag, mass=None, ball_e=None, substeps=8):
    "Positions and velocities (steps, n, 2) from `p`, `v` (n, 2; changed in place): walls at `lo`/`hi` for centres, ball radius `r`, per-ball `wall_e`, `drag` (per step), `mass` and `ball_e` (default: 1, elastic)"
    n = len(p); wall_e, drag = np.asarray(wall_e), np.asarray(drag)
    mass = np.ones(n) if mass is None else np.asarray(mass); ball_e = np.ones(n) if ball_e is None else np.asarray(ball_e)
    pos, vel = [p.copy()], [v.copy()]
    for _ in range(steps - 1):
        for _ in range(substeps):
            p += v / substeps
            for k in range(2):
                low, high = p[:, k] < lo, p[:, k] > hi
                p[low, k], p[high, k] = 2 * lo - p[low, k], 2 * hi - p[high, k]
                v[low | high, k] *= -wall_e[low | high]
            for i in range(n):
                for j in range(i):
                    dv = p[i] - p[j]; dist = np.linalg.norm(dv)
                    if 0 < dist < 2 * r:
                        nrm = dv / dist; rel = (v[i] - v[j]) @ nrm
                        if rel < 0:
                            e = (ball_e[i] + ball_e[j]) / 2; J = -(1 + e) * rel / (1 / mass[i] + 1 / mass[j])
                            v[i] += J / mass[i] * nrm; v[j] -= J / mass[j] * nrm
                        p[i] += nrm * (2 * r - dist) / 2; p[j] -= nrm * (2 * r - dist) / 2
            v *= (1 - drag[:, None]) ** (1 / substeps)
        pos.append(p.copy()); vel.append(v.copy())
    return np.stack(pos), np.stack(vel)
