#!/usr/bin/env bash
# Integration test of the cluster workflow (`make test-slurm`): a single-node Slurm on loopback
# (Debian's slurm-wlm, with its own munged), a sweep submitted as a 4-task job array with
# Scripts/slurm/sweep.sbatch, `cloudmarket merge`, and a byte comparison with the same sweep
# run in one process. A resubmitted task with RESUME=1 is checked the same way.
#
# Everything lives in a temporary folder (configuration, keys, sockets, state, logs); the
# daemons run in the foreground as children of this script, and the EXIT trap stops exactly
# those PIDs. Nothing in /etc is used or changed. Needs root (slurmd starts jobs as their
# owner); the ports can be moved with SLURMCTLD_PORT and SLURMD_PORT.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
cloudmarket=$repo/.build/release/cloudmarket
[ -x "$cloudmarket" ] || { echo "test-slurm: build first: swift build -c release --product cloudmarket" >&2; exit 1; }

SUDO=${SUDO-$([ "$(id -u)" = 0 ] || echo sudo)} # as the Makefile: root needs no sudo
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null ||
    ! command -v munged >/dev/null || ! command -v mungekey >/dev/null; then
    echo "test-slurm: installing slurm-wlm and munge (apt-get)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq slurm-wlm munge >/dev/null
fi

# slurmd starts each job as its owner, which takes root
[ "$(id -u)" = 0 ] || { echo "test-slurm: needs root (slurmd starts jobs as their owner): sudo make test-slurm" >&2; exit 1; }

start=$(date +%s)
tmp=$(mktemp -d /tmp/cloudmarket-slurm.XXXXXX)
chmod 755 "$tmp" # job steps run as the submitting user and read the files in here
pids=()          # "name:pid" of every daemon this script started
ctld=""          # the controller's PID, once started

stop_daemons() {
    local entry pid i
    # slurmd first (it owns the job steps), then the controller, then munge
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        entry=${pids[i]}
        pid=${entry#*:}
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    for entry in "${pids[@]}"; do
        pid=${entry#*:}
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "test-slurm: ${entry%%:*} (pid $pid) ignored SIGTERM; sending SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    pids=()
}
steps_ended() { # every slurmstepd removes its socket in the spool folder when it exits
    [ -z "$(find "$tmp/spool" -type s 2>/dev/null)" ]
}
cleanup() {
    local status=$?
    if [ -n "$ctld" ] && kill -0 "$ctld" 2>/dev/null && ! steps_ended; then
        # a failure or an interruption left tasks behind: cancel them on this private
        # controller and let their steps end before slurmd goes
        timeout --foreground 10 scancel --partition=test --quiet 2>/dev/null || true
        for _ in $(seq 100); do steps_ended && break; sleep 0.1; done
    fi
    steps_ended || echo "test-slurm: warning: job steps still running in $tmp/spool" >&2
    stop_daemons
    if [ "${KEEP_TMP:-0}" = 1 ]; then echo "test-slurm: kept $tmp" >&2; else rm -rf "$tmp"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_logs() { # a daemon's stderr repeats its log file, but holds what it said before opening it
    local f
    for f in "$tmp"/log/*.log; do
        case $f in *.stderr.log) [ -s "${f%.stderr.log}.log" ] && continue ;; esac
        [ -s "$f" ] || continue
        echo "----- $f (last 30 lines)" >&2
        tail -n 30 "$f" >&2
    done
}
fail() {
    echo "test-slurm: $*" >&2
    show_logs
    echo "test-slurm: FAIL: $*" >&2
    exit 1
}

# ---- munge: a fresh key, socket, pid and log file of our own
mkdir -p "$tmp/munge" "$tmp/log" "$tmp/state" "$tmp/spool"
mungekey --create --keyfile="$tmp/munge/munge.key" >/dev/null
socket=$tmp/munge/munge.socket
# Every daemon runs in the foreground (munged -F, slurm* -D) under setsid: $! is the daemon
# itself (setsid execs without forking in a background job), and a Ctrl-C aimed at this
# script's process group does not reach it, so the EXIT trap stops them in order.
# munged --force: accept running as root.
setsid munged -F --force --key-file="$tmp/munge/munge.key" --socket="$socket" \
    --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed" \
    --log-file="$tmp/log/munged.log" >>"$tmp/log/munged.log" 2>&1 &
pids+=("munged:$!")
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || fail "munged did not create its socket"

# ---- slurm.conf: one node on loopback, every file inside $tmp
node=$(hostname -s)
cpus=$(nproc)
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<EOF
# Debian 12's slurm-wlm 22.05, one node on loopback; what is not here is Slurm's default
# (auth/munge and cred/munge, no accounting, sched/backfill).
ClusterName=cloudmarket-test
SlurmctldHost=$node(127.0.0.1)
# ports off the standard 6817/6818, so a real Slurm on this machine is left alone
SlurmctldPort=${SLURMCTLD_PORT:-16817}
SlurmdPort=${SLURMD_PORT:-16818}
SlurmUser=$(id -un)
# our munged, not the system's /run/munge socket
AuthInfo=socket=$socket
# every file in the temporary folder
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
# no cgroups: containers and CI runners rarely delegate them
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# schedule CPUs, not whole nodes, so the four tasks share the node
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
# a node that registers with a valid configuration is put in service, whatever its last state
ReturnToService=2
# no mail program in a container; slurmctld complains at start-up without one
MailProg=/bin/true
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=256
PartitionName=test Nodes=$node Default=YES State=UP
EOF

# ---- the controller and the node daemon
setsid slurmctld -D -f "$SLURM_CONF" >>"$tmp/log/slurmctld.stderr.log" 2>&1 &
ctld=$!
pids+=("slurmctld:$ctld")
setsid slurmd -D -f "$SLURM_CONF" >>"$tmp/log/slurmd.stderr.log" 2>&1 &
pids+=("slurmd:$!")

state=""
for _ in $(seq 60); do
    for entry in "${pids[@]}"; do
        kill -0 "${entry#*:}" 2>/dev/null || fail "${entry%%:*} exited during start-up"
    done
    state=$(sinfo -h -N -n "$node" -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
done
[ "$state" = idle ] || fail "node $node not idle after 30 s (sinfo says: '${state:-no answer}')"
for entry in "${pids[@]}"; do # the PIDs to stop are the ones the daemons wrote
    name=${entry%%:*}
    case $name in munged) file=$tmp/munge/munged.pid ;; *) file=$tmp/$name.pid ;; esac
    [ "$(cat "$file" 2>/dev/null)" = "${entry#*:}" ] || fail "$name: pid ${entry#*:} but $file says '$(cat "$file" 2>/dev/null)'"
done
echo "test-slurm: single-node Slurm up in $(($(date +%s) - start)) s ($node, $cpus CPUs; $(sinfo -V))"

# ---- the experiment: one process, then a 4-task array
sweep_args="--vary model.network_effect=0.5:0.9 --vary classes.public.churn=0.05:0.15 --design lhs --runs 400 --seed 7 --chunk-size 25"
# shellcheck disable=SC2086 # word splitting intended: the same string the batch script splits
"$cloudmarket" sweep $sweep_args --out "$tmp/single" --quiet || fail "the single-process sweep failed"

export CLOUDMARKET=$cloudmarket SCENARIO="" OUT=$tmp/array SWEEP_ARGS=$sweep_args
submit() { # sbatch --wait: returns when every task has ended, non-zero if one failed
    timeout --foreground 300 sbatch --wait --quiet --cpus-per-task=1 --time=00:10:00 --output="$tmp/log/task-%A_%a.log" \
        "$@" Scripts/slurm/sweep.sbatch || fail "sbatch $* failed (exit $?)"
}
submit --array=1-4

compare() { # compare NAME: merge the shards and compare with the single run, file by file
    local name=$1 f bad=0
    rm -rf "$tmp/merged"
    "$cloudmarket" merge "$tmp"/array/shard-* --out "$tmp/merged" --quiet || fail "$name: merge failed"
    for f in runs.csv kpis.csv design.csv; do
        if ! cmp "$tmp/merged/$f" "$tmp/single/$f"; then
            echo "test-slurm: $name: $f differs from the single-process run" >&2
            bad=1
        fi
    done
    [ "$bad" = 0 ] || fail "$name: the merged sweep differs from the single-process run"
    echo "test-slurm: $name: merged runs.csv, kpis.csv, design.csv identical to the single-process run ($(($(wc -l <"$tmp/merged/runs.csv") - 1)) runs)"
}
compare "4-task array"

# ---- a lost chunk, resubmitted as one task with RESUME=1 (the sbatch file's instructions)
done_chunks=("$tmp"/array/shard-3/chunks/*.done)
[ -e "${done_chunks[0]}" ] || fail "shard 3 has no finished chunk"
rm -f "${done_chunks[-1]}"
SHARDS=4 RESUME=1 submit --array=3
compare "task 3 resubmitted with --resume"

for _ in $(seq 100); do steps_ended && break; sleep 0.1; done
steps_ended || fail "job steps still running after the jobs ended"
echo "test-slurm: PASS ($(($(date +%s) - start)) s)"
