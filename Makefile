# Waymark: `make run` sets everything up and serves the demo borough; `make test` runs the whole suite.
.PHONY: run setup test lint lock bench

run:
	./scripts/run.sh

setup:
	./scripts/setup.sh

test:
	./scripts/test.sh

lint:
	./scripts/lint.sh

lock:
	.venv/bin/pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

bench:
	./scripts/setup.sh && .venv/bin/python bench/run_all.py
