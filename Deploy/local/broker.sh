#!/usr/bin/env bash
# A private RabbitMQ node on loopback, for tests, demos and benchmarks on a machine without systemd.
#
#   broker.sh start | stop | status
#
# Settings (environment):
#   BROKER_DIR       state directory (default: <repo>/.dynamos/broker-<port>)
#   BROKER_PORT      AMQP port (default 5672)
#   BROKER_TLS_PORT  also listen for amqps on this port, with certificates from BROKER_TLS_DIR
#   BROKER_TLS_DIR   ca.pem, server.pem, server.key (made with openssl when missing), or the files named by
#                    BROKER_TLS_CA, BROKER_TLS_CERT and BROKER_TLS_KEY
#   BROKER_NODE      Erlang node name (default dynamos-<port>@localhost)
#   BROKER_DEFINITIONS  a RabbitMQ definitions file loaded at every boot (`dynamos broker definitions` writes one):
#                    its users are the only ones; without it the node gets one administrator, dynamos-admin, with a
#                    random password, and BROKER_DIR/admin-url (mode 0600) holds its URL
#   BROKER_TLS_ONLY  with BROKER_TLS_PORT: no plain AMQP listener at all
# The node runs as the calling user with its own data, logs and Erlang cookie under BROKER_DIR; a wrapper
# BROKER_DIR/rabbitmqctl talks to it. There is never a guest user.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
port=${BROKER_PORT:-5672}
dir=${BROKER_DIR:-$repo/.dynamos/broker-$port}
node=${BROKER_NODE:-dynamos-$port@localhost}
bin=/usr/lib/rabbitmq/bin

answers() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

make_certificates() {
    local tls=$1
    mkdir -p "$tls"
    [ -f "$tls/server.pem" ] && return 0
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Dynamos test CA" \
        -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1%s\n' "${BROKER_TLS_SAN:+,$BROKER_TLS_SAN}" > "$tls/server.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 30 \
        -extfile "$tls/server.ext" -out "$tls/server.pem" 2>/dev/null
    chmod 644 "$tls"/*.pem
    chmod 600 "$tls"/*.key
}

admin_password() {
    if [ ! -s "$dir/admin-password" ]; then
        (umask 077; head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$dir/admin-password")
    fi
    cat "$dir/admin-password"
}

write_config() {
    # The users a node has come from its first boot (the default user) or its definitions. A node made by an older
    # version of this script (it had guest), or in the other mode, starts afresh, so its users are what this start
    # says they are.
    local mode=admin
    [ -n "${BROKER_DEFINITIONS:-}" ] && mode=definitions
    if [ -d "$dir/mnesia" ] && { [ "$(cat "$dir/users-v2" 2>/dev/null)" != "$mode" ] \
        || { [ "$mode" = admin ] && [ ! -s "$dir/admin-password" ]; }; }; then
        rm -rf "$dir/mnesia" "$dir/admin-url"
    fi
    mkdir -p "$dir/mnesia" "$dir/log" "$dir/home"
    echo "$mode" > "$dir/users-v2"
    echo "[]." > "$dir/enabled_plugins"
    rm -f "$dir/admin-url"
    (umask 077; {
        if [ -n "${BROKER_TLS_ONLY:-}" ] && [ -n "${BROKER_TLS_PORT:-}" ]; then
            echo "listeners.tcp = none"
        else
            echo "listeners.tcp.default = 127.0.0.1:$port"
        fi
        if [ -n "${BROKER_DEFINITIONS:-}" ]; then
            echo "load_definitions = $BROKER_DEFINITIONS"
        else
            local password
            password=$(admin_password)
            echo "default_user = dynamos-admin"
            echo "default_pass = $password"
            echo "default_user_tags.administrator = true"
            echo "default_permissions.configure = .*"
            echo "default_permissions.read = .*"
            echo "default_permissions.write = .*"
            (umask 077; echo "amqp://dynamos-admin:$password@127.0.0.1:$port/" > "$dir/admin-url")
        fi
        echo "log.console = false"
        echo "log.file.level = warning"
        echo "disk_free_limit.absolute = 50MB"
        if [ -n "${BROKER_TLS_PORT:-}" ]; then
            local tls=${BROKER_TLS_DIR:-$dir/tls}
            [ -n "${BROKER_TLS_CERT:-}" ] || make_certificates "$tls"
            echo "listeners.ssl.default = 127.0.0.1:$BROKER_TLS_PORT"
            echo "ssl_options.cacertfile = ${BROKER_TLS_CA:-$tls/ca.pem}"
            echo "ssl_options.certfile = ${BROKER_TLS_CERT:-$tls/server.pem}"
            echo "ssl_options.keyfile = ${BROKER_TLS_KEY:-$tls/server.key}"
            echo "ssl_options.verify = verify_none"
            echo "ssl_options.fail_if_no_peer_cert = false"
        fi
    } > "$dir/rabbitmq.conf")
    cat > "$dir/rabbitmqctl" <<WRAPPER
#!/usr/bin/env bash
HOME="$dir/home" RABBITMQ_NODENAME="$node" exec $bin/rabbitmqctl -n "$node" "\$@"
WRAPPER
    chmod +x "$dir/rabbitmqctl"
}

node_env() {
    export HOME="$dir/home" RABBITMQ_NODENAME="$node" RABBITMQ_NODE_PORT="$port" \
        RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_PID_FILE="$dir/pid" \
        RABBITMQ_DIST_PORT=$((port + 20000))
}

case "${1:-}" in
start)
    if [ -n "${BROKER_TLS_ONLY:-}" ] && [ -z "${BROKER_TLS_PORT:-}" ]; then
        echo "broker: BROKER_TLS_ONLY needs BROKER_TLS_PORT" >&2
        exit 2
    fi
    if answers "$port" || { [ -n "${BROKER_TLS_PORT:-}" ] && answers "$BROKER_TLS_PORT"; }; then
        echo "broker: something already listens on 127.0.0.1:$port${BROKER_TLS_PORT:+ or $BROKER_TLS_PORT}" >&2
        exit 1
    fi
    [ -x "$bin/rabbitmq-server" ] || { echo "broker: rabbitmq-server is not installed (make deps)" >&2; exit 1; }
    write_config
    node_env
    rm -f "$dir/pid"
    # The node outlives this script: give it none of our descriptors beyond the standard three, or a caller
    # reading our output through a pipe would wait for the node to exit.
    (
        for fd in /proc/self/fd/*; do
            n=${fd##*/}
            [ "$n" -gt 2 ] 2>/dev/null && eval "exec $n>&-" 2>/dev/null
        done
        exec setsid "$bin/rabbitmq-server" > "$dir/log/stdout.log" 2>&1 < /dev/null
    ) &
    if ! "$bin/rabbitmqctl" -n "$node" -q wait "$dir/pid" --timeout 120 > /dev/null; then
        echo "broker: the node did not start; see $dir/log" >&2
        tail -n 20 "$dir/log/stdout.log" >&2 || true
        exit 1
    fi
    listening="127.0.0.1:$port${BROKER_TLS_PORT:+ (amqps on $BROKER_TLS_PORT)}"
    if [ -n "${BROKER_TLS_ONLY:-}" ]; then listening="amqps on 127.0.0.1:$BROKER_TLS_PORT only"; fi
    echo "broker: $node on $listening, state in $dir"
    ;;
stop)
    [ -f "$dir/pid" ] || exit 0
    node_env
    "$bin/rabbitmqctl" -n "$node" -q stop "$dir/pid" > /dev/null 2>&1 || kill "$(cat "$dir/pid")" 2>/dev/null || true
    rm -f "$dir/pid" "$dir/admin-url"
    ;;
status)
    node_env
    exec "$bin/rabbitmqctl" -n "$node" status
    ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
