# Dynamos: `make demo` runs the main job, `make test` the tests. Both install what is missing and bring up a
# private RabbitMQ node on loopback when DYNAMOS_AMQP_URL does not answer.
SWIFT ?= swift
RELEASE_BIN = .build/release/dynamos
# Bounds in seconds: a hung build or test fails with backtraces (scripts/bounded.sh) instead of eating the session.
BUILD_LIMIT ?= 2400
TEST_LIMIT ?= 1200

.PHONY: demo test build release deps proto bench-bus bench-latency bench-load broker-start broker-stop clean

demo: deps release
	@scripts/with-broker.sh $(RELEASE_BIN) demo

test: deps
	python3 scripts/check-imports.py
	scripts/bounded.sh $(BUILD_LIMIT) $(SWIFT) build --build-tests
	@scripts/with-broker.sh scripts/bounded.sh $(TEST_LIMIT) $(SWIFT) test --skip-build

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product dynamos

deps:
	@scripts/install-deps.sh

proto: deps
	scripts/generate-proto.sh

bench-bus: deps release
	@scripts/with-broker.sh $(RELEASE_BIN) bench bus --json .dynamos/bench-bus.json

bench-latency: deps release
	@scripts/with-broker.sh $(RELEASE_BIN) bench latency --json .dynamos/bench/latency.json \
		--csv .dynamos/bench/latency.csv --plot .dynamos/bench/latency.png

bench-load: deps release
	@scripts/with-broker.sh $(RELEASE_BIN) bench load --rate 500 --duration 20 --json .dynamos/bench/load.json \
		--plot .dynamos/bench/load.png

broker-start: deps
	Deploy/local/broker.sh start

broker-stop:
	Deploy/local/broker.sh stop

clean:
	rm -rf .build .dynamos
