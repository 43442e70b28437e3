#!/usr/bin/env bash
# Make sure the servers the test suite uses answer (PostgreSQL, MariaDB, Redis, RabbitMQ); start any
# that does not with Debian's own commands, then wait for it. Servers that already answer are left
# alone. Exit 1 naming the server that still does not answer after WAIT_SECONDS.
set -uo pipefail
WAIT_SECONDS=${WAIT_SECONDS:-60}

answers() {  # host port: a TCP connection within a second
    timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

start_postgresql() { pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start; }
start_mariadb() {
    # its socket directory lives on a tmpfs that a container restart empties
    install -d -o mysql -g mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
}
start_redis() {
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
}
start_rabbitmq() { rabbitmq-server -detached; }

ensure() {  # name port
    local name=$1 port=$2
    if answers 127.0.0.1 "$port"; then
        echo "services: $name answers on $port"
        return 0
    fi
    echo "services: $name does not answer on $port; starting it"
    "start_$name" || echo "services: starting $name failed (exit $?)" >&2
    local deadline=$((SECONDS + WAIT_SECONDS))
    until answers 127.0.0.1 "$port"; do
        if ((SECONDS >= deadline)); then
            echo "services: $name still does not answer on $port after ${WAIT_SECONDS}s" >&2
            return 1
        fi
        sleep 1
    done
    echo "services: $name started"
}

status=0
ensure postgresql 5432 || status=1
ensure mariadb 3306 || status=1
ensure redis 6379 || status=1
ensure rabbitmq 5672 || status=1
exit $status
