#!/usr/bin/env bash
# `make run`: the development server in the foreground, a task worker (`manage.py db_worker`: the outbox's
# mail, printed by the console e-mail backend from the worker, and the reminders) and the scheduler
# (`manage.py run_scheduler`: the periodic jobs) in the background. All of them stop when this script ends
# (Ctrl-C, a TERM, or any of them exiting).
set -euo pipefail
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-ot24portal.settings.dev}

pids=()
stop() {
  trap - EXIT INT TERM
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

"$PY" manage.py db_worker --queue-name '*' --interval 1 --no-reload &
pids+=($!)
"$PY" manage.py run_scheduler --interval 60 &
pids+=($!)
"$PY" manage.py runserver "$HOST:$PORT" &
pids+=($!)
# Until any of the three ends (or Ctrl-C / a TERM reaches this script): then the trap stops the others.
wait -n
