# Everything a fresh machine needs is installed by the targets themselves (scripts/setup.sh).
.PHONY: setup build demo test bench dashboard fuzz soak clean

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

# Coverage-guided fuzzing of every parser of the core, 10 million runs per target (cargo fuzz;
# installs a nightly toolchain and cargo-fuzz when missing). About 25 minutes on 2 cores.
fuzz:
	nice -n 10 bash scripts/fuzz.sh

# The full soak: 100,000 updates over 1,000 indicators with 10% injected faults of every kind.
soak: build
	bash scripts/install-pkg.sh tests/out/app
	ln -sfn out/app/node_modules tests/node_modules
	node tests/soak/soak.mjs --full

clean:
	rm -rf pkg target/bindgen tests/out
