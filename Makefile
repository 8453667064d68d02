# The commands of the README: `make run`, `make test` and `make deb`.
# Each installs missing Debian packages, configures and builds in build/ with -j2.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps configure build daemon run test deb bench install uninstall clean format

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

# The Debian package, build/deb/alignd_<version>_<arch>.deb: dpkg-buildpackage on
# a copy of the source in build/deb/src, then lintian (contrib/make-deb.sh,
# docs/packaging.md). Then: apt install ./build/deb/alignd_*.deb
deb: deps
	@JOBS=$(JOBS) contrib/make-deb.sh $(BUILD)/deb

# Installs what cmake/install.cmake lists - the daemon, the man pages, the
# shipped policies, the documentation ($(PREFIX)/share/doc/alignd) and the
# systemd units - and an example configuration (only when
# /etc/alignd/alignd.toml does not exist yet); creates the system user and
# group alignd (when missing) and puts postfix in group alignd, so Postfix may
# use the socket (group alignd, mode 0660). The package does the same.
PREFIX ?= /usr
install: configure
	@cmake --build $(BUILD) -j$(JOBS) --target alignd man -- --no-print-directory
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)
	install -d $(DESTDIR)/etc/alignd
	[ -e $(DESTDIR)/etc/alignd/alignd.toml ] || install -m 0644 contrib/alignd.toml $(DESTDIR)/etc/alignd/alignd.toml
	@if [ -z "$(DESTDIR)" ]; then \
	  getent passwd alignd >/dev/null || useradd --system --user-group --home-dir /var/lib/alignd \
	    --no-create-home --shell /usr/sbin/nologin alignd; \
	  if getent passwd postfix >/dev/null && ! id -nG postfix | grep -qw alignd; then \
	    usermod -aG alignd postfix && echo "install: added postfix to group alignd (postfix reload to apply)"; fi; \
	  install -d -m 0750 -g alignd $(DESTDIR)/etc/alignd/keys; \
	fi

# Removes what install put there. Keeps /etc/alignd/alignd.toml when it differs
# from the example, any keys in /etc/alignd/keys, the state in /var/lib/alignd
# and the alignd user (files elsewhere may belong to it).
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/alignd
	rm -rf $(DESTDIR)$(PREFIX)/share/alignd $(DESTDIR)$(PREFIX)/share/doc/alignd
	rm -f $(foreach p,$(basename $(notdir $(wildcard man/*.scd))),$(DESTDIR)$(PREFIX)/share/man/man$(subst .,,$(suffix $(p)))/$(p))
	rm -f $(addprefix $(DESTDIR)/lib/systemd/system/,alignd.service alignd-report.service alignd-report.timer)
	@if cmp -s contrib/alignd.toml $(DESTDIR)/etc/alignd/alignd.toml; then rm -f $(DESTDIR)/etc/alignd/alignd.toml; \
	elif [ -e $(DESTDIR)/etc/alignd/alignd.toml ]; then echo "uninstall: kept $(DESTDIR)/etc/alignd/alignd.toml (changed)"; fi
	-@rmdir $(DESTDIR)/etc/alignd/keys $(DESTDIR)/etc/alignd 2>/dev/null || true

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h')

clean:
	rm -rf $(BUILD)
