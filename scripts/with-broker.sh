#!/usr/bin/env bash
# Runs a command with a RabbitMQ broker at DYNAMOS_AMQP_URL: the one that answers there, or else a private
# node started on that port for the duration of the command (and stopped afterwards).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
url=${DYNAMOS_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/}
export DYNAMOS_AMQP_URL=$url
hostport=${url#*://}
hostport=${hostport#*@}
hostport=${hostport%%/*}
hostport=${hostport%%\?*}
host=${hostport%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=5672

if timeout 1 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; then
    echo "broker: using the one answering at $host:$port"
    exec "$@"
fi
case "$host" in
127.*|localhost) ;;
*) echo "broker: $host:$port does not answer and is not local; start it or unset DYNAMOS_AMQP_URL" >&2; exit 1 ;;
esac
export BROKER_PORT=$port BROKER_DIR=$repo/.dynamos/broker-$port
"$repo/Deploy/local/broker.sh" start
export DYNAMOS_RABBITMQCTL=$BROKER_DIR/rabbitmqctl
trap '"$repo/Deploy/local/broker.sh" stop' EXIT
"$@"
