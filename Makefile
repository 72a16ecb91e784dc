# Everything a fresh machine needs is installed by the targets themselves (scripts/setup.sh).
.PHONY: setup build demo test bench dashboard clean

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

# The main job: build, start the bundled local okerr server, send real updates from Node.
demo: build
	node scripts/demo.mjs

# Every test: the Rust core natively, then the packed package in each runtime.
test: build
	bash scripts/setup.sh test
	bash scripts/test.sh

bench: build
	bash scripts/setup.sh test
	node bench/run.mjs

dashboard: build
	node scripts/dashboard.mjs

clean:
	rm -rf pkg target/bindgen tests/out
