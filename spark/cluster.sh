#!/usr/bin/env bash
# A Spark standalone cluster on this machine, on loopback only: one master and one worker, started
# from the Spark jars that Maven put into spark/target/lib (no Spark download), and spark-submit of
# a sweep to it.
#
#   spark/cluster.sh start [CORES]      # master spark://127.0.0.1:7077, one worker with CORES cores (default 2)
#   spark/cluster.sh submit [--conf K=V]... ARGS...
#                                       # spark-submit of `spikerl ARGS...` (e.g. sweep --engine spark --config X)
#   spark/cluster.sh status
#   spark/cluster.sh stop
#
# The worker runs each task's Python bridge with the venv at the same path as here (envs/.venv,
# made by envs/bootstrap.sh) and puts this module's class path in front of its executors' own
# (spark.executor.extraClassPath): on a real cluster, install the project and run
# envs/bootstrap.sh at the same path on every worker (see README, Running on a cluster).
set -euo pipefail
module="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
home="$(dirname "$module")"
venv="${SPIKERL_VENV:-$home/envs/.venv}"
state="$module/target/cluster"
host=127.0.0.1
port="${SPIKERL_SPARK_PORT:-7077}"
master_url="spark://$host:$port"
export SPARK_LOCAL_IP=$host SPARK_LOCAL_HOSTNAME=localhost

fail() {
    echo "cluster.sh: $*" >&2
    exit 1
}

classpath() {
    [ -f "$module/target/spikerl-spark.jar" ] && [ -d "$module/target/lib" ] || fail "the module is not built;" \
        "run: (cd $home && mvn -B -q -DskipTests install) && mvn -B -q -DskipTests -f spark/pom.xml package"
    echo "$module/target/spikerl-spark.jar:$module/target/lib/*"
}

# Spark's worker builds its executors' command from SPARK_HOME/jars; this one holds the Maven jars.
spark_home() {
    mkdir -p "$state/spark-home"
    ln -sfn "$module/target/lib" "$state/spark-home/jars"
    echo "$state/spark-home"
}

running() {
    [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null
}

daemon() { # NAME CLASS ARGS... (JVM_EXTRA: more java options)
    local name="$1" cls="$2"
    shift 2
    if running "$name"; then
        echo "cluster.sh: $name already running (pid $(cat "$state/$name.pid"))"
        return
    fi
    SPARK_HOME="$(spark_home)" SPARK_SCALA_VERSION=2.13 nohup java @"$module/jvm-options" -Xmx512m ${JVM_EXTRA:-} \
        -cp "$(classpath)" "$cls" "$@" >"$state/$name.log" 2>&1 &
    echo $! >"$state/$name.pid"
    echo "cluster.sh: $name started (pid $!, log $state/$name.log)"
}

wait_for_port() { # PORT
    for _ in $(seq 1 120); do
        if (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}

case "${1:-}" in
    start)
        cores="${2:-2}"
        mkdir -p "$state/work"
        # No REST submission server: jobs come through spark-submit's RPC only.
        JVM_EXTRA=-Dspark.master.rest.enabled=false \
            daemon master org.apache.spark.deploy.master.Master --host "$host" --port "$port" --webui-port 8080
        wait_for_port "$port" || fail "the master did not listen on $host:$port (log $state/master.log)"
        daemon worker org.apache.spark.deploy.worker.Worker --host "$host" --cores "$cores" --memory 4g \
            --webui-port 8081 --work-dir "$state/work" "$master_url"
        for _ in $(seq 1 60); do
            if grep -q "Successfully registered with master" "$state/worker.log" 2>/dev/null; then
                echo "cluster.sh: $master_url up, one worker with $cores cores (UI http://$host:8080)"
                exit 0
            fi
            sleep 0.5
        done
        fail "the worker did not register with $master_url (log $state/worker.log)"
        ;;
    submit)
        shift
        running master || fail "no master running; run: spark/cluster.sh start"
        cp="$(classpath)"
        confs=()
        while [ "${1:-}" = "--conf" ] && [ $# -ge 2 ]; do
            confs+=(--conf "$2")
            shift 2
        done
        # spark-submit is org.apache.spark.deploy.SparkSubmit (the class Spark's bin/spark-submit runs),
        # here in client mode: the driver is this JVM, the executors run on the worker.
        exec java @"$module/jvm-options" -Dspikerl.home="$home" -Dspikerl.python="$venv/bin/python" -cp "$cp" \
            org.apache.spark.deploy.SparkSubmit --master "$master_url" --deploy-mode client \
            --class org.spikerl.cli.Main \
            --conf spark.driver.host=$host --conf spark.driver.bindAddress=$host \
            --conf "spark.executor.extraClassPath=$cp" \
            --conf "spark.executor.extraJavaOptions=-Dspikerl.home=$home -Dspikerl.python=$venv/bin/python" \
            --conf spark.spikerl.workersPerTask=1 ${confs[@]+"${confs[@]}"} \
            "$module/target/spikerl-spark.jar" "$@"
        ;;
    status)
        for n in master worker; do
            if running "$n"; then echo "$n: running (pid $(cat "$state/$n.pid"))"; else echo "$n: stopped"; fi
        done
        ;;
    stop)
        for n in worker master; do
            if running "$n"; then
                kill "$(cat "$state/$n.pid")"
                for _ in $(seq 1 40); do running "$n" || break; sleep 0.25; done
                echo "cluster.sh: $n stopped"
            fi
            rm -f "$state/$n.pid"
        done
        ;;
    *)
        sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
esac
