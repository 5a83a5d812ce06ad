"""Fits the accelerator busy-power model to power-vs-batch.csv (rows with role 'fit') and reports
the error on every role. Model, per accelerator: P(n) = min(TDP, floor + (sat - floor) * n / (n + half)),
n = avg_batch_size / tensor_parallel. Least squares: a grid over `half` (0.5-token steps), linear
least squares for floor and sat at each. Standard library only."""
import csv, os

TDP = 700.0
here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(os.path.join(here, 'power-vs-batch.csv'))))
pts = lambda role: [(float(r['avg_batch_size']) / int(r['tensor_parallel']), float(r['power_w_per_gpu'])) for r in rows if r['role'] == role]

def model(n, floor, sat, half):
    return min(TDP, floor + (sat - floor) * n / (n + half))

def fit(p):
    best = None
    for i in range(1, 4000):
        half = i * 0.5
        xs = [n / (n + half) for n, _ in p]; ys = [w for _, w in p]
        mx = sum(xs) / len(xs); my = sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        sse = sum((my + slope * (x - mx) - y) ** 2 for x, y in zip(xs, ys))
        if best is None or sse < best[0]:
            best = (sse, my - slope * mx, my - slope * mx + slope, half)
    return best[1:]

floor, sat, half = fit(pts('fit'))
print(f'fit: floor {floor:.2f} W, saturation {sat:.2f} W, half {half:.1f} tokens')
coef = (round(floor), round(sat), half)
for role in ('fit', 'held-back', 'cross-family-check'):
    e = [(model(n, *coef) - w) / w for n, w in pts(role)]
    rms = (sum((model(n, *coef) - w) ** 2 for n, w in pts(role)) / len(e)) ** 0.5
    print(f'{role}: {len(e)} points, mean |error| {100 * sum(map(abs, e)) / len(e):.2f} %, max |error| {100 * max(map(abs, e)):.2f} %, RMS {rms:.1f} W')
