#!/usr/bin/env bash
# Fail when the Docker engine was asked to pull an image since a given time: no test may need a registry (none is
# reachable on CI, where a pull only waits and fails). The container tests refuse pulls that Testcontainers would
# make (LocalImagesOnlyPullPolicy); this check also catches the others (a Dockerfile's FROM, a `docker pull`).
#
#   since=$(date +%s); ./mvnw -B verify; bash docker/ci-check-no-pull.sh "${since}"
#
# A pull that reached a registry leaves a "pull" event; one that failed leaves lines in the engine's log, which is
# read when docker/ci-prepare.sh started the engine (SHMIPC_DOCKER_STATE_DIR, default /tmp/shm-ipc-dockerd).
set -euo pipefail

since="${1:?usage: ci-check-no-pull.sh SINCE_EPOCH_SECONDS}"
state_dir="${SHMIPC_DOCKER_STATE_DIR:-/tmp/shm-ipc-dockerd}"
log_file="${state_dir}/dockerd.log"

log()
{
    echo "ci-check-no-pull: $*" >&2
}

pulled="$(docker events --since "${since}" --until "$(date +%s)" --filter type=image --filter event=pull \
    --format '{{.Actor.ID}}')"
failed=""
if [[ -f "${state_dir}/dockerd.pid" && -f "${log_file}" ]]; then
    # Lines start with time="2026-01-31T12:00:00.123456789Z": later ones compare greater as strings.
    first="time=\"$(date -u -d "@${since}" +%Y-%m-%dT%H:%M:%S)"
    failed="$(awk -v first="${first}" '$1 >= first' "${log_file}" |
        grep -E 'for pull after error|Error getting v2 registry|Not continuing with pull' || true)"
else
    log "the engine was not started by ci-prepare.sh: its log is not read, only pull events are checked"
fi
if [[ -n "${pulled}" || -n "${failed}" ]]; then
    log "images were pulled or pulls were attempted since $(date -u -d "@${since}" +%FT%TZ); no test may need a registry"
    [[ -z "${pulled}" ]] || log "pulled: ${pulled//$'\n'/ }"
    [[ -z "${failed}" ]] || echo "${failed}" | head -n 20 | sed 's/^/ci-check-no-pull:   /' >&2
    exit 1
fi
log "no image was pulled or asked for from a registry since $(date -u -d "@${since}" +%FT%TZ)"
