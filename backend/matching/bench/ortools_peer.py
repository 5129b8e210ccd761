#!/usr/bin/env python3
"""Solve an SLMINST1 instance with Google OR-Tools' SimpleMinCostFlow: the reference peer.

    ortools_peer.py FILE

Reads the instance (docs/bench-format.md), models it as a min-cost flow and prints one line:

    objective=<total score> placed=<workers placed> build_s=<graph build> solve_s=<solve>

The flow network: one unit of supply per worker, an arc worker -> vacancy for each edge
(capacity 1, cost -score), vacancy -> sink (capacity = headcount, cost 0), and worker ->
sink (capacity 1, cost 0) so that staying unplaced is allowed. The minimum cost is minus the
maximum total score. `build_s` (building OR-Tools' graph) and `solve_s` (its solve) exclude
reading the file, as our solver's `solve_s` does.

Needs python3 with numpy and ortools (`pip install numpy ortools`).
"""
import os
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow

MAGIC = b"SLMINST1"
HEADER = len(MAGIC) + 3 * 8


def read(path):
    """(workers, vacancies, capacity, offsets, vacancy, score), checked against the file size."""
    with open(path, "rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            raise SystemExit(f"{path}: not an SLMINST1 file")
        workers, vacancies, edges = (int(x) for x in np.fromfile(f, dtype="<u8", count=3))
        expected = HEADER + 4 * vacancies + 8 * (workers + 1) + 4 * edges + 4 * edges
        if os.fstat(f.fileno()).st_size != expected:
            raise SystemExit(f"{path}: {os.fstat(f.fileno()).st_size} bytes, the header implies {expected}")
        capacity = np.fromfile(f, dtype="<u4", count=vacancies).astype(np.int64)
        offsets = np.fromfile(f, dtype="<u8", count=workers + 1).astype(np.int64)
        vacancy = np.fromfile(f, dtype="<u4", count=edges).astype(np.int32)
        score = np.fromfile(f, dtype="<u4", count=edges).astype(np.int64)
    if offsets[0] != 0 or offsets[-1] != edges or np.any(np.diff(offsets) < 0):
        raise SystemExit(f"{path}: the edge offsets are not a valid CSR index")
    if edges and int(vacancy.max()) >= vacancies:
        raise SystemExit(f"{path}: an edge names a vacancy out of range")
    return workers, vacancies, capacity, offsets, vacancy, score


def solve(workers, vacancies, capacity, offsets, vacancy, score):
    """(objective, placed, build seconds, solve seconds)."""
    t0 = time.perf_counter()
    edges = vacancy.size
    # Nodes: workers 0 .. W-1, vacancies W .. W+V-1, the sink W+V.
    sink = workers + vacancies
    worker_ids = np.arange(workers, dtype=np.int32)
    vacancy_nodes = workers + np.arange(vacancies, dtype=np.int32)
    edge_worker = np.repeat(worker_ids, np.diff(offsets))
    # Arcs, in this order: the edges (so that arcs 0 .. E-1 are the assignments), vacancy ->
    # sink for each headcount, worker -> sink for staying unplaced.
    tails = np.concatenate([edge_worker, vacancy_nodes, worker_ids]).astype(np.int32)
    heads = np.concatenate([workers + vacancy, np.full(vacancies, sink), np.full(workers, sink)]).astype(np.int32)
    capacities = np.concatenate([np.ones(edges), capacity, np.ones(workers)]).astype(np.int64)
    costs = np.concatenate([-score, np.zeros(vacancies + workers)]).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:workers] = 1
    supplies[sink] = -workers
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    t1 = time.perf_counter()
    status = flow.solve()
    t2 = time.perf_counter()
    if status != flow.OPTIMAL:
        raise SystemExit(f"OR-Tools did not find an optimum (status {status})")
    placed = int(flow.flows(np.arange(edges, dtype=np.int32)).sum()) if edges else 0
    return -flow.optimal_cost(), placed, t1 - t0, t2 - t1


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("usage: ortools_peer.py INSTANCE", file=sys.stderr)
        return 2
    objective, placed, build_s, solve_s = solve(*read(args[0]))
    print(f"objective={objective} placed={placed} build_s={build_s:.3f} solve_s={solve_s:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
