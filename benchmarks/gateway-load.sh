#!/usr/bin/env bash
# Load on the gateway, side by side in one run: starts the README's demo and a bare Jetty server on the same
# connector (BareServer: same TLS, HTTP/2 and limits, a handler that answers /version's body with no
# authentication), then drives both with wrk (HTTP/1.1) and h2load (HTTP/2) and prints one table:
#   - one connection, cached token: mean and p99 latency (target: mean under 2 ms);
#   - 50 connections: requests/s with a cached token, with no credential (401), and from the bare server
#     (target: authenticated at least 0.8x the bare server);
#   - errors (socket errors, timeouts, unexpected statuses; target: none).
# wrk and h2load come from Debian (installed here when absent). Both servers and the load generator share
# this machine's cores, so compare rows of one run, not runs of different machines.
#   benchmarks/gateway-load.sh [SECONDS per measurement, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}

install_if_absent() {
  command -v "$1" >/dev/null 2>&1 && return
  echo "installing $2 from Debian for $1"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -q "$2" >/dev/null
}
install_if_absent wrk wrk
install_if_absent h2load nghttp2-client

if [ ! -f examples/target/gateway.jar ]; then
  ./mvnw -B -q -DskipTests package
fi

work=$(mktemp -d -t gatehouse-load-XXXX)
demo_pid=""
bare_pid=""
cleanup() {
  [ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null || true
  [ -n "$bare_pid" ] && kill "$bare_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

await_line() { # file pattern
  for _ in $(seq 1 300); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "gave up waiting for '$2' in $1:" >&2
  cat "$1" >&2
  exit 1
}

GATEHOUSE_DEMO_PORT=0 java -jar examples/target/gateway.jar >"$work/demo.out" 2>"$work/demo.err" &
demo_pid=$!
await_line "$work/demo.out" "Gatehouse demo gateway on"
gateway=$(grep -o 'https://127.0.0.1:[0-9]*' "$work/demo.out" | head -1)
dir=$(sed -n 's/.*throwaway credentials in \(.*\))$/\1/p' "$work/demo.out")
token=$(cat "$dir/viewer.token")

java -cp examples/target/gateway.jar io.gatehouse.examples.gateway.BareServer "$dir/serving.crt" "$dir/serving.key" \
  >"$work/bare.out" 2>"$work/bare.err" &
bare_pid=$!
await_line "$work/bare.out" "bare server on"
bare=$(grep -o 'https://127.0.0.1:[0-9]*' "$work/bare.out" | head -1)

# wrk's latency in ms from "2.31ms", "512.00us" or "1.02s".
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# run NAME CONNECTIONS URL [HEADER]: wrk, keeping requests/s, mean, p99 and errors (non-2xx counts as an error
# unless the row expects 401).
declare -A rps mean p50 p99 errs
run() {
  local name=$1 conns=$2 url=$3 header=${4:-}
  local threads=$(( conns < 2 ? 1 : 2 ))
  local args=(-t"$threads" -c"$conns" -d"${secs}s" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  wrk "${args[@]}" -d2s "$url" >/dev/null 2>&1 || true # warm-up
  local out
  out=$(wrk "${args[@]}" "$url")
  rps[$name]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  mean[$name]=$(to_ms "$(awk '$1 == "Latency" { print $2; exit }' <<<"$out")")
  p50[$name]=$(to_ms "$(awk '$1 == "50%" { print $2; exit }' <<<"$out")")
  p99[$name]=$(to_ms "$(awk '$1 == "99%" { print $2; exit }' <<<"$out")")
  local socket non2xx
  socket=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$out")
  errs[$name]=${socket:-0}
  if [ "$name" != "no-credential-401" ]; then
    errs[$name]=$(( ${errs[$name]} + ${non2xx:-0} ))
  fi
  echo "$out" >"$work/$name.wrk"
}

echo "gateway $gateway, bare $bare, ${secs}s per row; raw output in $work"
# Both JVMs are warmed up alike before anything is measured (their JIT needs several seconds of load).
echo "warming up both servers for 15 s each"
wrk -t2 -c50 -d15s -H "Authorization: Bearer $token" "$gateway/version" >/dev/null 2>&1 || true
wrk -t2 -c50 -d15s "$bare/version" >/dev/null 2>&1 || true
run one-connection 1 "$gateway/version" "Authorization: Bearer $token"
run bare-one-connection 1 "$bare/version"
run cached-token-50 50 "$gateway/version" "Authorization: Bearer $token"
run no-credential-401 50 "$gateway/version"
run bare-50 50 "$bare/version"

# HTTP/2: 10 connections, 10 streams each.
h2() { # url [header]
  local args=(-D "$secs" -c 10 -m 10 -t 2)
  [ -n "${2:-}" ] && args+=(-H "$2")
  h2load "${args[@]}" "$1/version" 2>/dev/null
}
h2_gw=$(h2 "$gateway" "authorization: Bearer $token")
h2_bare=$(h2 "$bare")
h2_rps() { awk '/^finished in/ { gsub(",", ""); for (i = 1; i <= NF; i++) if ($i ~ /req\/s/) { printf "%.0f", $(i-1) } }' <<<"$1"; }
h2_err() { awk '/^requests:/ { gsub(",", ""); print $10 + $12 + $14 }' <<<"$1"; }
h2_non2xx() { awk '/^status codes:/ { gsub(",", ""); print $5 + $7 + $9 }' <<<"$1"; }

ratio=$(awk -v a="${rps[cached-token-50]}" -v b="${rps[bare-50]}" 'BEGIN { printf "%.2f", a / b }')
h2ratio=$(awk -v a="$(h2_rps "$h2_gw")" -v b="$(h2_rps "$h2_bare")" 'BEGIN { printf "%.2f", a / b }')
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == "<") ? v < t : v >= t; print ok ? "met" : "MISSED" }'; }

printf '\n%-44s %12s %10s %10s %10s %8s\n' "row" "requests/s" "mean ms" "p50 ms" "p99 ms" "errors"
for name in one-connection bare-one-connection cached-token-50 no-credential-401 bare-50; do
  printf '%-44s %12s %10s %10s %10s %8s\n' "wrk $name" "${rps[$name]}" "${mean[$name]}" "${p50[$name]}" "${p99[$name]}" "${errs[$name]}"
done
printf '%-44s %12s %10s %10s %10s %8s\n' "h2load 10x10 streams, cached token" "$(h2_rps "$h2_gw")" "" "" "" \
  "$(( $(h2_err "$h2_gw") + $(h2_non2xx "$h2_gw") ))"
printf '%-44s %12s %10s %10s %10s %8s\n' "h2load 10x10 streams, bare" "$(h2_rps "$h2_bare")" "" "" "" \
  "$(( $(h2_err "$h2_bare") + $(h2_non2xx "$h2_bare") ))"
echo
echo "one connection mean ${mean[one-connection]} ms (target < 2 ms): $(verdict "${mean[one-connection]}" 2 '<')"
echo "authenticated / bare on 50 connections: ${ratio}x (target >= 0.8x): $(verdict "$ratio" 0.8 '>=')"
echo "authenticated / bare over HTTP/2: ${h2ratio}x"
total_errors=$(( ${errs[one-connection]} + ${errs[cached-token-50]} + ${errs[no-credential-401]} + ${errs[bare-50]} ))
echo "errors across the wrk rows: $total_errors (target 0): $(verdict "$total_errors" 1 '<')"
