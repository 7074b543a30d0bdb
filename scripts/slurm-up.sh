#!/usr/bin/env bash
# Start a single-node Slurm cluster on this machine (slurmctld + slurmd on localhost, munge,
# and slurmdbd on MariaDB so that `sacct` answers), for tests/exec/slurm and for trying
# `ablate run --executor slurm` without a cluster. Run as root on Debian/Ubuntu:
#
#   sudo scripts/slurm-up.sh            # install what is missing, configure, start, wait until idle
#   ABLATE_SLURM_ACCOUNTING=none ...    # skip slurmdbd/MariaDB (sacct then reports nothing;
#                                       # ablate falls back to squeue + heartbeat files)
#
# Idempotent: a second run finds the daemons up with the same configuration and only checks
# that the node is idle. A changed configuration (another host name, CPU count) restarts
# the daemons this script started. Container-friendly: no cgroups, no systemd.
set -euo pipefail

ACCOUNTING="${ABLATE_SLURM_ACCOUNTING:-slurmdbd}"
CLUSTER=ablate
CONF_DIR=/etc/slurm
LOG_DIR=/var/log/slurm
STATE_DIR=/var/lib/slurm
RUN_DIR=/run/slurm
HOST="$(hostname -s)"

log() { printf 'slurm-up: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run me as root (sudo $0): I install packages, write $CONF_DIR and start daemons."

# --- packages -------------------------------------------------------------------------------
need=()
for pair in slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client munged:munge; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if [ "$ACCOUNTING" = slurmdbd ]; then
  command -v slurmdbd >/dev/null 2>&1 || need+=(slurmdbd)
  command -v mariadbd >/dev/null 2>&1 || command -v mysqld >/dev/null 2>&1 || need+=(mariadb-server)
fi
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

alive() { [ -s "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }

wait_for() { # wait_for <seconds> <what> <command...>
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  die "$what did not come up within ${seconds}s (logs in $LOG_DIR)"
}

# Write $1 from stdin only when the content differs; returns 0 when it changed.
write_if_changed() {
  local target=$1 mode=$2 tmp
  tmp="$(mktemp)"
  cat >"$tmp"
  if [ -f "$target" ] && cmp -s "$tmp" "$target"; then rm -f "$tmp"; return 1; fi
  install -m "$mode" "$tmp" "$target"
  rm -f "$tmp"
  return 0
}

stop_daemon() { # stop_daemon <pidfile>: only daemons whose pid file we wrote
  if alive "$1"; then
    kill "$(cat "$1" 2>/dev/null)" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$1" || break; sleep 0.2; done
  fi
  rm -f "$1"
}

mkdir -p "$CONF_DIR" "$LOG_DIR" "$STATE_DIR/slurmctld" "$STATE_DIR/slurmd" "$RUN_DIR"

# --- munge ----------------------------------------------------------------------------------
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  log "creating the munge key"
  if command -v mungekey >/dev/null 2>&1; then mungekey --create --keyfile=/etc/munge/munge.key
  else dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none; fi
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
if ! alive /run/munge/munged.pid; then
  log "starting munged"
  runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
fi
wait_for 10 munge sh -c 'munge -n | unmunge'

# --- accounting: MariaDB + slurmdbd ---------------------------------------------------------
if [ "$ACCOUNTING" = slurmdbd ]; then
  if ! mysqladmin --protocol=socket ping >/dev/null 2>&1; then
    log "starting MariaDB"
    install -d -o mysql -g mysql /run/mysqld
    if [ -x /etc/init.d/mariadb ]; then /etc/init.d/mariadb start >/dev/null 2>&1 || true; fi
    if ! mysqladmin --protocol=socket ping >/dev/null 2>&1; then
      (mysqld_safe --skip-syslog >/dev/null 2>&1 &)
    fi
    wait_for 60 MariaDB mysqladmin --protocol=socket ping
  fi
  # Keep the password of an earlier run: it is in slurmdbd.conf and in MariaDB already.
  PASS=""
  [ -f "$CONF_DIR/slurmdbd.conf" ] && PASS="$(sed -n 's/^StoragePass=//p' "$CONF_DIR/slurmdbd.conf")"
  [ -n "$PASS" ] || PASS="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  mysql --protocol=socket <<SQL
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$PASS';
ALTER USER 'slurm'@'localhost' IDENTIFIED BY '$PASS';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
SQL
  # SlurmUser=root: a throw-away single-node cluster; a real one runs its daemons as `slurm`.
  dbd_changed=0
  write_if_changed "$CONF_DIR/slurmdbd.conf" 0600 <<CONF && dbd_changed=1
# Written by ablate's scripts/slurm-up.sh
AuthType=auth/munge
DbdHost=localhost
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=slurm
StoragePass=$PASS
StorageLoc=slurm_acct_db
LogFile=$LOG_DIR/slurmdbd.log
PidFile=$RUN_DIR/slurmdbd.pid
CONF
  if [ "$dbd_changed" = 1 ]; then stop_daemon "$RUN_DIR/slurmdbd.pid"; fi
  if ! alive "$RUN_DIR/slurmdbd.pid"; then
    log "starting slurmdbd"
    slurmdbd
  fi
  ACCOUNTING_LINES="AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30"
else
  ACCOUNTING_LINES="AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none"
fi

# --- slurm.conf -----------------------------------------------------------------------------
# `slurmd -C` reports this machine's CPUs, sockets and memory in slurm.conf syntax.
NODE_LINE="$(slurmd -C | head -n 1)"
case "$NODE_LINE" in NodeName=*) ;; *) die "slurmd -C did not describe this node: $NODE_LINE" ;; esac
conf_changed=0
write_if_changed "$CONF_DIR/slurm.conf" 0644 <<CONF && conf_changed=1
# Written by ablate's scripts/slurm-up.sh: one node that is both controller and compute node.
ClusterName=$CLUSTER
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# A requeued job may start again after cred_expire seconds (default 120): the tests requeue one.
AuthInfo=cred_expire=10
StateSaveLocation=$STATE_DIR/slurmctld
SlurmdSpoolDir=$STATE_DIR/slurmd
SlurmctldPidFile=$RUN_DIR/slurmctld.pid
SlurmdPidFile=$RUN_DIR/slurmd.pid
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
# No cgroups: they are not available (or not delegated) inside most containers.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
$ACCOUNTING_LINES
JobCompType=jobcomp/none
ReturnToService=2
MaxArraySize=100001
MaxJobCount=100000
KillWait=15
# Schedule often: the test's jobs last seconds (defaults: every 60 s, backfill every 30 s).
SchedulerParameters=sched_min_interval=0,sched_interval=2,bf_interval=2
MailProg=/bin/true
MinJobAge=600
$NODE_LINE NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

if [ "$conf_changed" = 1 ]; then
  stop_daemon "$RUN_DIR/slurmd.pid"
  stop_daemon "$RUN_DIR/slurmctld.pid"
fi

if [ "$ACCOUNTING" = slurmdbd ]; then
  wait_for 30 slurmdbd sacctmgr -n list cluster
  sacctmgr -n -P list cluster format=cluster | grep -qx "$CLUSTER" || sacctmgr -i add cluster "$CLUSTER" >/dev/null
fi

if ! alive "$RUN_DIR/slurmctld.pid"; then
  log "starting slurmctld"
  slurmctld
fi
wait_for 30 slurmctld sh -c 'scontrol ping | grep -q UP'
if ! alive "$RUN_DIR/slurmd.pid"; then
  log "starting slurmd"
  slurmd
fi

node_state() { sinfo -h -n "$HOST" -o %T 2>/dev/null | head -n 1; }
for _ in $(seq 1 150); do
  state="$(node_state)"
  case "$state" in
    idle|mixed|allocated|completing) break ;;
    down*|drain*|fail*) scontrol update NodeName="$HOST" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 0.2
done
state="$(node_state)"
case "$state" in
  idle|mixed|allocated|completing) ;;
  *) die "node $HOST is '$state', not idle (see $LOG_DIR/slurmd.log and slurmctld.log)" ;;
esac
if [ "$ACCOUNTING" = slurmdbd ]; then
  wait_for 30 "sacct" sacct -n -X -S now-1minutes
fi
log "ready: cluster $CLUSTER, node $HOST ($state), accounting $ACCOUNTING"
