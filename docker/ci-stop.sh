#!/usr/bin/env bash
# Stop the dockerd that docker/ci-prepare.sh started, and only that one (recorded in its pid file). An engine that
# was already running before ci-prepare is left alone. Never fails the run.
set -uo pipefail

state_dir="${SHMIPC_DOCKER_STATE_DIR:-/tmp/shm-ipc-dockerd}"
pid_file="${state_dir}/dockerd.pid"

log()
{
    echo "ci-stop: $*" >&2
}

if [[ ! -f "${pid_file}" ]]; then
    log "no dockerd started by ci-prepare: nothing to stop"
    exit 0
fi
# True for a live dockerd process (not a zombie, not a reused pid).
is_running_dockerd()
{
    local pid="$1"
    [[ -n "${pid}" && -r "/proc/${pid}/stat" ]] &&
        [[ "$(awk '{ print $3 }' "/proc/${pid}/stat" 2> /dev/null)" != "Z" ]] &&
        [[ "$(cat "/proc/${pid}/comm" 2> /dev/null)" == "dockerd" ]]
}

pid="$(cat "${pid_file}")"
if ! is_running_dockerd "${pid}"; then
    log "dockerd ${pid} is not running"
    rm -f "${pid_file}"
    exit 0
fi
log "stopping dockerd ${pid}"
kill -TERM "${pid}"
for _ in $(seq 1 30); do
    is_running_dockerd "${pid}" || break
    sleep 1
done
if is_running_dockerd "${pid}"; then
    log "dockerd ${pid} still running after 30s: killing it"
    kill -KILL "${pid}" 2> /dev/null || true
fi
rm -f "${pid_file}"
log "stopped"
exit 0
