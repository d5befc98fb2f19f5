# Dynamos: `make demo` runs the main job, `make test` the tests. Both install what is missing and bring up a
# private RabbitMQ node on loopback when DYNAMOS_AMQP_URL does not answer.
SWIFT ?= swift
RELEASE_BIN = .build/release/dynamos

.PHONY: demo test build release deps proto bench-bus broker-start broker-stop clean

demo: deps release
	@scripts/with-broker.sh $(RELEASE_BIN) demo

test: deps
	$(SWIFT) build --build-tests
	@scripts/with-broker.sh $(SWIFT) test --skip-build

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

broker-start: deps
	Deploy/local/broker.sh start

broker-stop:
	Deploy/local/broker.sh stop

clean:
	rm -rf .build .dynamos
