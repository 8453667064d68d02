# The two commands of the README: `make run` and `make test`.
# Both install missing Debian packages, configure and build in build/ with -j2.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps configure build daemon run test bench clean format

all: build

deps:
	@contrib/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS) -- --no-print-directory

# Only the daemon (the tests are built by `make test`).
daemon: configure
	@cmake --build $(BUILD) -j$(JOBS) --target alignd -- --no-print-directory

# Foreground daemon on embedded defaults (monitor only: adds headers, never rejects).
run: daemon
	$(BUILD)/alignd serve $(if $(CONFIG),-c $(CONFIG),)

# The suite's headline figures (e.g. the RFC 7208 SPF suite) are printed after ctest.
test: build
	@cd $(BUILD) && status=0; ctest --output-on-failure -j1 $(CTEST_FLAGS) || status=$$?; \
	  grep -hE '^(SPF suite|DMARC diff|DKIM interop|DKIM differential):' Testing/Temporary/LastTest.log 2>/dev/null | sort -u; \
	  exit $$status

# The speed comparison against OpenDKIM + OpenDMARC (bench/run.sh, docs/benchmarks.md).
# Not a test: it prints a table. BENCH_FLAGS="--duration 60" for a longer run.
bench: configure
	@cmake --build $(BUILD) -j$(JOBS) --target alignd milter_load null_milter -- --no-print-directory
	ALIGND=$(BUILD)/alignd MILTER_LOAD=$(BUILD)/milter_load NULL_MILTER=$(BUILD)/null_milter bench/run.sh $(BENCH_FLAGS)

# Installs the daemon, the shipped policies, an example configuration (only
# when /etc/alignd/alignd.toml does not exist yet) and the systemd units;
# creates the system user and group alignd (when missing) and puts postfix in
# group alignd, so Postfix may use the socket (group alignd, mode 0660).
PREFIX ?= /usr
install: daemon
	install -D -m 0755 $(BUILD)/alignd $(DESTDIR)$(PREFIX)/sbin/alignd
	install -d $(DESTDIR)$(PREFIX)/share/alignd/policies/examples $(DESTDIR)/etc/alignd
	install -m 0644 policies/*.toml $(DESTDIR)$(PREFIX)/share/alignd/policies/
	install -m 0644 policies/examples/*.toml $(DESTDIR)$(PREFIX)/share/alignd/policies/examples/
	[ -e $(DESTDIR)/etc/alignd/alignd.toml ] || install -m 0644 contrib/alignd.toml $(DESTDIR)/etc/alignd/alignd.toml
	install -D -m 0644 -t $(DESTDIR)/lib/systemd/system systemd/alignd.service systemd/alignd-report.service systemd/alignd-report.timer
	@if [ -z "$(DESTDIR)" ]; then \
	  getent passwd alignd >/dev/null || useradd --system --user-group --home-dir /var/lib/alignd \
	    --no-create-home --shell /usr/sbin/nologin alignd; \
	  if getent passwd postfix >/dev/null && ! id -nG postfix | grep -qw alignd; then \
	    usermod -aG alignd postfix && echo "install: added postfix to group alignd (postfix reload to apply)"; fi; \
	  install -d -m 0750 -g alignd $(DESTDIR)/etc/alignd/keys; \
	fi

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h')

clean:
	rm -rf $(BUILD)
