Connecting to an endpoint that accepts TCP connections but never answers
(a socket that listens and never accepts, made here): libpq would wait
forever; varve gives up after connect_timeout=10 unless the URL or
PGCONNECT_TIMEOUT sets another.

  $ cd "$TESTTMP"
  $ python3 -c 'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64); print(s.getsockname()[1], flush=True); time.sleep(300)' > port &
  $ listener=$!
  $ for i in $(seq 50); do [ -s port ] && break; sleep 0.1; done; port=$(cat port)
  $ mkdir -p p/migrations && cd p && printf 'varve: 1\nmigrations: []\n' > varve.yaml
  $ start=$(date +%s); varve -d "postgresql://u@127.0.0.1:$port/db" status 2>&1 | sed "s/$port/PORT/g"; took=$(( $(date +%s) - start ))
  varve: error: cannot connect to 'postgresql://u@127.0.0.1:PORT/db': connection to server at "127.0.0.1", port PORT failed: timeout expired
  $ [ $took -ge 8 ] && [ $took -le 30 ] && echo "gave up after about 10 s"
  gave up after about 10 s
  $ start=$(date +%s); varve -d "postgresql://u@127.0.0.1:$port/db?connect_timeout=2" status 2>&1 | sed "s/$port/PORT/g"; took=$(( $(date +%s) - start ))
  varve: error: cannot connect to 'postgresql://u@127.0.0.1:PORT/db?connect_timeout=2': connection to server at "127.0.0.1", port PORT failed: timeout expired
  $ [ $took -le 8 ] && echo "the URL's timeout"
  the URL's timeout
  $ start=$(date +%s); PGCONNECT_TIMEOUT=2 varve -d "host=127.0.0.1 port=$port" status --exit-code 2>&1 | sed "s/$port/PORT/g"; echo "exit ${PIPESTATUS[0]}"; took=$(( $(date +%s) - start ))
  varve: error: cannot connect to 'host=127.0.0.1 port=PORT': connection to server at "127.0.0.1", port PORT failed: timeout expired
  exit 3
  $ [ $took -le 8 ] && echo "PGCONNECT_TIMEOUT's"
  PGCONNECT_TIMEOUT's
  $ kill $listener
