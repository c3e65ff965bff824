#!/usr/bin/env bash
# A throwaway one-node Ceph cluster whose RADOS Gateway is the S3 server (with bucket
# versioning) that the tests run against. See shared/S3-TEST-SERVER.md for why Ceph and
# for the measured facts behind each setting below.
#
#   scripts/s3-test-server.sh start    build a fresh cluster, start mon/osd/radosgw, print env
#   scripts/s3-test-server.sh stop     stop exactly the daemons this directory started
#   scripts/s3-test-server.sh status   exit 0 when all three daemons run and S3 answers
#   scripts/s3-test-server.sh env      print the export line for a running server
#
# Settings (environment):
#   DUCKSAFE_S3_DIR       scratch directory (default /tmp/ducksafe-s3-<uid>)
#   DUCKSAFE_S3_PORT      S3 port (default 7480; when unset and 7480 is taken, a free port)
#   DUCKSAFE_S3_MON_PORT  monitor port (default 3300; same fallback rule)
#
# start prints only the export line on stdout (so `eval "$(... start)"` works); progress
# and failures go to stderr. Every wait is bounded and a failure shows the relevant log.
set -euo pipefail

readonly DIR="${DUCKSAFE_S3_DIR:-/tmp/ducksafe-s3-$(id -u)}"
readonly CONF="$DIR/ceph.conf"
readonly STATE="$DIR/env"
readonly ACCESS_KEY='DUCKSAFETESTACCESSKEY'
readonly SECRET_KEY='ducksafe-test-secret-key-not-a-real-secret'
readonly REGION='us-east-1'
# Stop order: clients of the cluster first, the monitor last.
readonly DAEMONS=(rgw osd mon)
readonly PACKAGES=(ceph-mon ceph-osd radosgw uuid-runtime curl)

say() { printf 's3-test-server: %s\n' "$*" >&2; }

fail() {
  say "error: $1"
  if [[ -n "${2:-}" && -f "$2" ]]; then
    say "last lines of $2:"
    tail -n 25 "$2" >&2 || true
  fi
  exit 1
}

# --- packages ---------------------------------------------------------------------------

ensure_packages() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $(id -u) -eq 0 ]] || fail "missing packages (${missing[*]}) and not root: install them with apt-get as root"
  say "installing ${missing[*]} (first run only)"
  local log="${TMPDIR:-/tmp}/ducksafe-s3-apt.log"
  # Only what is missing; --no-upgrade keeps whatever is already installed as it is.
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --no-upgrade "${missing[@]}"; } >"$log" 2>&1; then
    fail "apt-get install ${missing[*]} failed" "$log"
  fi
}

# --- processes --------------------------------------------------------------------------

pid_of() { cat "$DIR/$1.pid" 2>/dev/null || true; }

# True when the pid is alive AND its command line names this directory's ceph.conf, so a
# pid reused by an unrelated process is never signalled.
ours() {
  local pid="$1"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-c $CONF "
}

running() { ours "$(pid_of "$1")"; }

launch() {
  local name="$1"
  shift
  # setsid detaches the daemon from our session (no SIGHUP when the caller's terminal or
  # process group goes); all three standard streams go to files so a caller reading our
  # stdout through a pipe is never held open by a daemon.
  setsid "$@" </dev/null >"$DIR/log/$name.out" 2>&1 &
  echo $! >"$DIR/$name.pid"
}

stop_one() {
  local name="$1" pid
  pid="$(pid_of "$name")"
  if ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 100; i++)); do
      ours "$pid" || break
      sleep 0.1
    done
    if ours "$pid"; then
      say "$name (pid $pid) did not stop within 10 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$DIR/$name.pid"
}

stop_all() {
  local name
  for name in "${DAEMONS[@]}"; do stop_one "$name"; done
}

# wait_for <seconds> <description> <log> <command...>: polls until the command succeeds;
# a command that returns 2 (its daemon died) ends the wait at once.
wait_for() {
  local seconds="$1" what="$2" log="$3"
  shift 3
  local deadline=$((SECONDS + seconds)) rc
  while true; do
    rc=0
    "$@" >/dev/null 2>&1 || rc=$?
    ((rc == 0)) && return 0
    if ((rc == 2)); then
      stop_all
      fail "$what did not happen: the daemon exited" "$log"
    fi
    if ((SECONDS >= deadline)); then
      stop_all
      fail "$what did not happen within ${seconds} s" "$log"
    fi
    sleep 0.2
  done
}

# --- ports ------------------------------------------------------------------------------

port_free() {
  node -e '
    const s = require("node:net").createServer();
    s.once("error", () => process.exit(1));
    s.listen(Number(process.argv[1]), "127.0.0.1", () => s.close(() => process.exit(0)));
  ' "$1"
}

any_free_port() {
  node -e '
    const s = require("node:net").createServer();
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => console.log(port)); });
  '
}

# choose_port <env var name> <default>: the requested port must be free; the default falls
# back to any free port so two clusters on one machine never collide.
choose_port() {
  local var="$1" default="$2" requested="${!1:-}"
  if [[ -n "$requested" ]]; then
    port_free "$requested" || fail "$var=$requested is already in use on 127.0.0.1"
    echo "$requested"
  elif port_free "$default"; then
    echo "$default"
  else
    any_free_port
  fi
}

# --- S3 checks --------------------------------------------------------------------------

http_code() {
  curl -s -o /dev/null -m 5 -w '%{http_code}' "$@" || true
}

# Another cluster that took the same port between our check and our bind must never pass
# for ours: each check below also confirms our daemon runs and, where it can, that the
# answer carries this cluster's fsid.
cluster_fsid() { sed -n 's/^fsid = //p' "$CONF"; }

rgw_ok() {
  running rgw || return 2
  [[ "$(http_code "$1/")" == 200 ]]
}

# curl 7.88 signs without x-amz-content-sha256, which radosgw requires (SignatureDoesNotMatch
# otherwise): send the hash of the empty body ourselves so it is part of the signature.
readonly EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

# ListBuckets answers with the user's display name, which holds the cluster's fsid.
signed_ok() {
  local answer fsid
  fsid="$(cluster_fsid)"
  answer="$(curl -s -m 5 -w '\n%{http_code}' -H "x-amz-content-sha256: $EMPTY_SHA256" \
    --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" "$1/")" || return 1
  [[ "${answer##*$'\n'}" == 200 && -n "$fsid" && "$answer" == *"$fsid"* ]]
}

mon_ok() {
  running mon || return 2
  [[ "$(timeout 10 ceph -c "$CONF" --connect-timeout 5 fsid 2>/dev/null)" == "$(cluster_fsid)" ]]
}

osd_up() {
  running osd || return 2
  timeout 10 ceph -c "$CONF" --connect-timeout 5 osd stat -f json | grep -q '"num_up_osds":1'
}

user_create() {
  timeout 20 radosgw-admin -c "$CONF" -n client.admin user create --uid=test \
    --display-name="ducksafe test $(cluster_fsid)" --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY"
}

# --- commands ---------------------------------------------------------------------------

write_conf() {
  local fsid="$1" mon_port="$2" s3_port="$3"
  # $name, $cluster and $id are Ceph metavariables, expanded by Ceph, not by this shell.
  cat >"$CONF" <<EOF
[global]
fsid = $fsid
mon_host = v2:127.0.0.1:$mon_port
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_msgr1 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
ms_mon_client_mode = crc secure
keyring = /dev/null
run_dir = $DIR/run
log_file = $DIR/log/\$name.log
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_max_pg_per_osd = 1000
mon_warn_on_pool_no_redundancy = false
mon_data_avail_warn = 1
mon_data_avail_crit = 0

[mon]
mon_data = $DIR/mon/\$cluster-\$id
paxos_propose_interval = 0.1
mon_mgr_mkfs_grace = 31536000

[osd]
osd_data = $DIR/osd/\$cluster-\$id
osd_objectstore = memstore
memstore_device_bytes = 4294967296
osd_memory_target = 1073741824

[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$s3_port
rgw_data = $DIR/rgw
rgw_gc_obj_min_wait = 30
rgw_gc_processor_period = 30
rgw_crypt_require_ssl = false
EOF
}

cmd_start() {
  if [[ -f "$STATE" ]] && running mon && running osd && running rgw; then
    say "already running in $DIR"
    cat "$STATE"
    return 0
  fi
  ensure_packages
  mkdir -p "$DIR"
  stop_all
  # Memstore keeps every object in the OSD's RAM, so a cluster cannot outlive its daemons:
  # each start builds a fresh one. Remove only what this script creates in the directory.
  rm -rf "$DIR/mon" "$DIR/osd" "$DIR/rgw" "$DIR/run" "$DIR/log" "$DIR/monmap" "$CONF" "$STATE"
  mkdir -p "$DIR/mon" "$DIR/osd" "$DIR/rgw" "$DIR/run" "$DIR/log"

  local mon_port s3_port fsid osd_uuid endpoint
  mon_port="$(choose_port DUCKSAFE_S3_MON_PORT 3300)"
  s3_port="$(choose_port DUCKSAFE_S3_PORT 7480)"
  [[ "$mon_port" != "$s3_port" ]] || s3_port="$(any_free_port)"
  fsid="$(uuidgen)"
  osd_uuid="$(uuidgen)"
  endpoint="http://127.0.0.1:$s3_port"
  write_conf "$fsid" "$mon_port" "$s3_port"
  say "building a cluster in $DIR (mon port $mon_port, S3 port $s3_port)"

  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$DIR/monmap" \
    >"$DIR/log/mkfs.out" 2>&1 || fail "monmaptool failed" "$DIR/log/mkfs.out"
  ceph-mon -c "$CONF" -i a --mkfs --monmap "$DIR/monmap" >>"$DIR/log/mkfs.out" 2>&1 \
    || fail "ceph-mon --mkfs failed" "$DIR/log/mkfs.out"
  launch mon ceph-mon -c "$CONF" -i a -f
  wait_for 30 "the monitor answering 'ceph fsid' with this cluster's fsid" "$DIR/log/mon.a.log" mon_ok

  timeout 20 ceph -c "$CONF" --connect-timeout 5 osd new "$osd_uuid" >>"$DIR/log/mkfs.out" 2>&1 \
    || { stop_all; fail "ceph osd new failed" "$DIR/log/mkfs.out"; }
  mkdir -p "$DIR/osd/ceph-0"
  timeout 60 ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$DIR/log/mkfs.out" 2>&1 \
    || { stop_all; fail "ceph-osd --mkfs failed" "$DIR/log/osd.0.log"; }
  launch osd ceph-osd -c "$CONF" -i 0 -f
  wait_for 60 "the OSD coming up" "$DIR/log/osd.0.log" osd_up

  launch rgw radosgw -c "$CONF" -n client.rgw.a -f
  wait_for 60 "radosgw answering GET $endpoint/" "$DIR/log/client.rgw.a.log" rgw_ok "$endpoint"

  wait_for 30 "creating the S3 test user" "$DIR/log/client.admin.log" user_create
  wait_for 30 "a signed S3 request to this cluster succeeding (port $s3_port taken by another server?)" \
    "$DIR/log/client.rgw.a.log" signed_ok "$endpoint"

  printf 'export DUCKSAFE_TEST_S3_ENDPOINT=%s DUCKSAFE_TEST_S3_ACCESS_KEY=%s DUCKSAFE_TEST_S3_SECRET_KEY=%s DUCKSAFE_TEST_S3_SERVER=ceph-rgw\n' \
    "$endpoint" "$ACCESS_KEY" "$SECRET_KEY" >"$STATE"
  say "ready: $endpoint (access key $ACCESS_KEY)"
  cat "$STATE"
}

cmd_stop() {
  stop_all
  rm -f "$STATE"
  say "stopped ($DIR)"
}

cmd_status() {
  local name ok=0
  for name in mon osd rgw; do
    if running "$name"; then
      say "$name: running (pid $(pid_of "$name"))"
    else
      say "$name: not running"
      ok=1
    fi
  done
  if [[ $ok -eq 0 && -f "$STATE" ]]; then
    local endpoint
    endpoint="$(sed -n 's/.*DUCKSAFE_TEST_S3_ENDPOINT=\([^ ]*\).*/\1/p' "$STATE")"
    if signed_ok "$endpoint"; then
      say "S3: $endpoint answers signed requests"
    else
      say "S3: $endpoint does not answer signed requests"
      ok=1
    fi
  fi
  return $ok
}

cmd_env() {
  if [[ -f "$STATE" ]] && running rgw; then
    cat "$STATE"
  else
    fail "no running S3 test server in $DIR (run: $0 start)"
  fi
}

case "${1:-}" in
  install) ensure_packages ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *)
    echo "usage: $0 install|start|stop|status|env" >&2
    exit 2
    ;;
esac
