#!/usr/bin/env bash
# One command per step of a desafio's life on Docker Swarm (also the Nx targets of project "swarm"):
#   swarm.sh init                          single-node swarm on this machine, if not in one already
#   swarm.sh deploy [desafio4|desafio3]    render the stack from docker-compose.yml and deploy it (waits)
#   swarm.sh ps [desafio]                  services and tasks of the stack
#   swarm.sh scale SERVICE=N [desafio]     e.g. users-service=5
#   swarm.sh update SERVICE [IMAGE] [desafio]  rolling update (new image, or the same one again)
#   swarm.sh rm [desafio]                  remove the stack (volumes stay; `docker volume rm` drops them)
#   swarm.sh leave                         leave swarm mode (on a single node: the swarm is gone)
# Environment: STACK (stack name, default: the desafio), SWARM_ENDPOINT_MODE (dnsrr|vip),
# REGISTRY and IMAGE_TAG (images from a registry, for swarms of several machines), MIRROR_REGISTRY
# (postgres, redis and prometheus from a registry too), DOCKER_HOST (the engine of a manager node).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmd="${1:-}"
shift || true

desafio_or_default() {
  case "${1:-}" in
    desafio3 | desafio4) echo "$1" ;;
    '') echo desafio4 ;;
    *) echo "desafio desconhecido: $1 (use desafio3 ou desafio4)" >&2; exit 2 ;;
  esac
}

# Bounded wait until every service of the stack runs all its replicas (healthy, for images with a
# HEALTHCHECK: Swarm counts a task as running only once it is healthy).
wait_stack() {
  local stack="$1" deadline=$((SECONDS + ${SWARM_WAIT_S:-300})) pending
  while :; do
    pending="$(docker stack services "$stack" --format '{{.Name}} {{.Replicas}}' | awk '{split($2, r, "/"); if (r[1] != r[2] || r[2] == 0) print}')"
    [ -z "$pending" ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "depois de ${SWARM_WAIT_S:-300} s ainda sem todas as réplicas:" >&2
      echo "$pending" >&2
      docker stack ps --no-trunc --format '{{.Name}} {{.CurrentState}} {{.Error}}' "$stack" | head -20 >&2
      return 1
    fi
    sleep 2
  done
}

in_swarm() { [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" = active ]; }

require_swarm() {
  in_swarm || { echo "este Docker não está num swarm: rode 'swarm.sh init' (ou docker swarm init)" >&2; exit 1; }
}

ensure_secrets() {
  mkdir -p "$here/secrets"
  local file="$here/secrets/postgres_password"
  if [ ! -s "$file" ]; then
    (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$file")
    echo "senha do PostgreSQL gerada em deploy/swarm/secrets/postgres_password (vira o secret postgres_password)"
  fi
}

case "$cmd" in
  init)
    if in_swarm; then echo "já num swarm"; else docker swarm init --advertise-addr "${ADVERTISE_ADDR:-127.0.0.1}"; fi
    ;;
  deploy)
    desafio="$(desafio_or_default "${1:-}")"
    stack="${STACK:-$desafio}"
    in_swarm || "$0" init
    ensure_secrets
    # desafio3's db runs on the node labelled desafios.db=true (its volume is local to a node). With
    # no labelled node, this one is labelled: on a single node that is the whole swarm.
    if [ "$desafio" = desafio3 ] && [ -z "$(docker node ls -q --filter node.label=desafios.db=true)" ]; then
      docker node update --label-add desafios.db=true "$(docker info --format '{{.Swarm.NodeID}}')" >/dev/null
      echo "nó $(docker info --format '{{.Name}}') rotulado desafios.db=true: o banco e o volume dados_postgres ficam nele"
    fi
    resolve=never
    [ -n "${REGISTRY:-}" ] && resolve=always
    # The stack file goes through stdin; from deploy/swarm, so ./secrets/... resolves.
    node "$here/render.mjs" --stdout "$desafio" |
      (cd "$here" && docker stack deploy --compose-file - --resolve-image "$resolve" --prune --detach=true "$stack")
    wait_stack "$stack"
    docker stack services "$stack"
    ;;
  ps)
    stack="${STACK:-$(desafio_or_default "${1:-}")}"
    docker stack services "$stack"
    docker stack ps --filter desired-state=running "$stack"
    ;;
  scale)
    [ -n "${1:-}" ] || { echo "uso: swarm.sh scale SERVIÇO=N [desafio]" >&2; exit 2; }
    require_swarm
    stack="${STACK:-$(desafio_or_default "${2:-}")}"
    docker service scale --detach=true "${stack}_${1%%=*}=${1#*=}"
    wait_stack "$stack"
    docker stack services "$stack"
    ;;
  update)
    [ -n "${1:-}" ] || { echo "uso: swarm.sh update SERVIÇO [IMAGEM] [desafio]" >&2; exit 2; }
    require_swarm
    service="$1"
    image="${2:-}"
    desafio_arg="${3:-}"
    case "$image" in desafio3 | desafio4) desafio_arg="$image"; image='' ;; esac
    stack="${STACK:-$(desafio_or_default "$desafio_arg")}"
    # --force: a rolling restart even when nothing changed; update_config decides the pace.
    # --detach=false: returns when the last task is updated and monitored (or rolled back).
    options=(--detach=false --quiet --force)
    [ -z "$image" ] || options+=(--image "$image")
    [ -n "${REGISTRY:-}" ] || options+=(--no-resolve-image)
    docker service update "${options[@]}" "${stack}_${service}"
    # The CLI returns once every task runs; Swarm still monitors the last one before it says
    # completed (or rolls back): wait for that verdict, bounded.
    for _ in $(seq 1 120); do
      state="$(docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "${stack}_${service}")"
      case "$state" in updating | rollback_started) sleep 1 ;; *) break ;; esac
    done
    echo "${stack}_${service}: atualização ${state:-concluída}"
    [ "$state" = completed ] || [ -z "$state" ]
    ;;
  rm)
    stack="${STACK:-$(desafio_or_default "${1:-}")}"
    in_swarm || { echo "fora de swarm: nada a remover"; exit 0; }
    docker stack rm "$stack"
    # docker stack rm returns before the containers and the network are gone: wait (bounded).
    for _ in $(seq 1 60); do
      [ -z "$(docker ps -aq --filter "label=com.docker.stack.namespace=$stack")" ] &&
        [ -z "$(docker network ls -q --filter "label=com.docker.stack.namespace=$stack")" ] && exit 0
      sleep 1
    done
    echo "a pilha $stack ainda não sumiu de todo depois de 60 s" >&2
    exit 1
    ;;
  leave)
    if in_swarm; then docker swarm leave --force; else echo "fora de swarm"; fi
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
