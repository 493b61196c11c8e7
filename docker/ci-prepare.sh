#!/usr/bin/env bash
# Make a Docker engine available for the container tests, then build the offline base image. Idempotent: safe to
# run again while the engine runs. Run as root (CI runs as root).
#
#   bash docker/ci-prepare.sh      # before ./mvnw -B verify
#   bash docker/ci-stop.sh         # at the end: stops the engine only if this script started it
#
# 1. installs Debian's docker.io when dockerd is missing (apt-get update first);
# 2. starts dockerd in the background unless an engine already answers, and waits for it (bounded);
# 3. runs docker/build-local-base.sh (image shm-ipc/local-jre:17, skipped when up to date).
#
# Environment: SHMIPC_DOCKER_STATE_DIR (default /tmp/shm-ipc-dockerd: pid file and dockerd.log),
# SHMIPC_DOCKERD_WAIT_SECONDS (default 60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state_dir="${SHMIPC_DOCKER_STATE_DIR:-/tmp/shm-ipc-dockerd}"
pid_file="${state_dir}/dockerd.pid"
log_file="${state_dir}/dockerd.log"
wait_seconds="${SHMIPC_DOCKERD_WAIT_SECONDS:-60}"
socket="/var/run/docker.sock"

log()
{
    echo "ci-prepare: $*" >&2
}

engine_answers()
{
    docker version --format '{{.Server.Version}}' > /dev/null 2>&1
}

find_dockerd()
{
    command -v dockerd 2> /dev/null || { [[ -x /usr/sbin/dockerd ]] && echo /usr/sbin/dockerd; } || true
}

# True for a live dockerd process (not a zombie left by a kill, not a reused pid).
is_running_dockerd()
{
    local pid="$1"
    [[ -n "${pid}" && -r "/proc/${pid}/stat" ]] &&
        [[ "$(awk '{ print $3 }' "/proc/${pid}/stat" 2> /dev/null)" != "Z" ]] &&
        [[ "$(cat "/proc/${pid}/comm" 2> /dev/null)" == "dockerd" ]]
}

# Wait for the engine while dockerd ${1} runs: 0 when it answers, 1 when that dockerd is gone, 2 on timeout.
wait_for_engine()
{
    local pid="$1"
    local waited=0
    until engine_answers; do
        if ! is_running_dockerd "${pid}"; then
            return 1
        fi
        if (( waited >= wait_seconds )); then
            return 2
        fi
        sleep 1
        waited=$((waited + 1))
    done
    return 0
}

if [[ -z "$(find_dockerd)" ]] || ! command -v docker > /dev/null; then
    if [[ "$(id -u)" != "0" ]]; then
        log "docker.io is not installed and this is not root: install it (apt-get install docker.io) or run as root"
        exit 1
    fi
    log "installing docker.io"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io > /dev/null
fi
dockerd_path="$(find_dockerd)"
mkdir -p "${state_dir}"

if engine_answers; then
    log "Docker engine $(docker version --format '{{.Server.Version}}') already running"
else
    status=1
    if [[ -f "${pid_file}" ]] && is_running_dockerd "$(cat "${pid_file}")"; then
        log "dockerd $(cat "${pid_file}") started earlier is not answering yet: waiting for it"
        status=0
        wait_for_engine "$(cat "${pid_file}")" || status=$?
    fi
    if (( status == 1 )); then
        # A dockerd killed without cleaning up leaves its pid file; a reused pid would make a new one refuse to start.
        if [[ -f /var/run/docker.pid ]] && ! is_running_dockerd "$(cat /var/run/docker.pid)"; then
            rm -f /var/run/docker.pid
        fi
        # After a dockerd was killed, its containerd may still hold the socket: the first new dockerd can then exit
        # with "timeout waiting for containerd to start" (having stopped that containerd); a second try starts.
        for attempt in 1 2; do
            log "starting ${dockerd_path} (log: ${log_file})"
            nohup "${dockerd_path}" --host "unix://${socket}" > "${log_file}" 2>&1 < /dev/null &
            echo $! > "${pid_file}"
            status=0
            wait_for_engine "$(cat "${pid_file}")" || status=$?
            if (( status != 1 || attempt == 2 )); then
                break
            fi
            log "dockerd exited while starting (attempt ${attempt}): $(tail -n 1 "${log_file}")"
            sleep 2
        done
    fi
    if (( status != 0 )); then
        if (( status == 1 )); then
            log "dockerd exited; last lines of ${log_file}:"
            rm -f "${pid_file}"
        else
            log "dockerd did not answer on ${socket} within ${wait_seconds}s; last lines of ${log_file}:"
        fi
        tail -n 30 "${log_file}" >&2 || true
        exit 1
    fi
    log "Docker engine $(docker version --format '{{.Server.Version}}') ready (dockerd pid $(cat "${pid_file}"))"
fi

bash "${here}/build-local-base.sh"
