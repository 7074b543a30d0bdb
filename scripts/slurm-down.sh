#!/usr/bin/env bash
# Stop the single-node Slurm cluster that scripts/slurm-up.sh started (by its pid files):
# slurmd, slurmctld and slurmdbd; with --all also munged and MariaDB. Configuration, state
# and the accounting database stay, so slurm-up.sh brings the same cluster back.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "slurm-down: run me as root" >&2; exit 1; }

stop() { # stop <name> <pidfile>
  local pid
  pid="$(cat "$2" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "slurm-down: stopping $1 (pid $pid)" >&2
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$2"
}

stop slurmd /run/slurm/slurmd.pid
stop slurmctld /run/slurm/slurmctld.pid
stop slurmdbd /run/slurm/slurmdbd.pid
if [ "${1:-}" = --all ]; then
  stop munged /run/munge/munged.pid
  if command -v mysqladmin >/dev/null 2>&1 && mysqladmin --protocol=socket ping >/dev/null 2>&1; then
    echo "slurm-down: stopping MariaDB" >&2
    mysqladmin --protocol=socket shutdown
  fi
fi
