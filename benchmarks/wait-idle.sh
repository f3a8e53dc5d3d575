#!/usr/bin/env bash
# Waits until the machine is quiet (4 of 5 one-second samples at >= 85 % CPU idle), at most
# ${1:-60} seconds; run it before each step so that another process's build does not skew a figure.
#   benchmarks/wait-idle.sh && facteur-bench smtp …
limit=${1:-60}; t0=$(date +%s)
while :; do
  quiet=$(vmstat 1 6 | tail -5 | awk '$15 >= 85 {c++} END {print c + 0}')
  [ "$quiet" -ge 4 ] && exit 0
  [ $(( $(date +%s) - t0 )) -ge "$limit" ] && { echo "wait-idle: never quiet for ${limit}s" >&2; exit 1; }
done
