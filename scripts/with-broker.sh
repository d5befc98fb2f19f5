#!/usr/bin/env bash
# Runs a command with a RabbitMQ broker at DYNAMOS_AMQP_URL: the one that answers there, or else a private
# node started on that port for the duration of the command (and stopped afterwards). The private node has no guest
# user: the command gets DYNAMOS_AMQP_URL with the node's own administrator (dynamos-admin, a random password) and
# DYNAMOS_RABBITMQCTL, with which `dynamos up` provisions one user per party.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
given=${DYNAMOS_AMQP_URL:-}
url=${DYNAMOS_AMQP_URL:-amqp://127.0.0.1:5672/}
hostport=${url#*://}
hostport=${hostport#*@}
hostport=${hostport%%/*}
hostport=${hostport%%\?*}
host=${hostport%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=5672
own=$repo/.dynamos/broker-$port
unset BROKER_DEFINITIONS BROKER_TLS_ONLY

if timeout 1 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; then
    echo "broker: using the one answering at $host:$port"
    if [ -z "$given" ]; then
        # Our own node (make broker-start), when it is the one answering: its administrator and rabbitmqctl.
        # Anything else is somebody's broker with RabbitMQ's defaults.
        if [ -f "$own/admin-url" ] && [ -f "$own/pid" ] && kill -0 "$(cat "$own/pid")" 2>/dev/null; then
            DYNAMOS_AMQP_URL=$(cat "$own/admin-url")
            export DYNAMOS_RABBITMQCTL=${DYNAMOS_RABBITMQCTL:-$own/rabbitmqctl}
        else
            DYNAMOS_AMQP_URL=amqp://guest:guest@$host:$port/
        fi
        export DYNAMOS_AMQP_URL
    fi
    exec "$@"
fi
case "$host" in
127.*|localhost) ;;
*) echo "broker: $host:$port does not answer and is not local; start it or unset DYNAMOS_AMQP_URL" >&2; exit 1 ;;
esac
export BROKER_PORT=$port BROKER_DIR=$own
trap '"$repo/Deploy/local/broker.sh" stop' EXIT
"$repo/Deploy/local/broker.sh" start
export DYNAMOS_RABBITMQCTL=$BROKER_DIR/rabbitmqctl
DYNAMOS_AMQP_URL=$(cat "$BROKER_DIR/admin-url")
export DYNAMOS_AMQP_URL
"$@"
