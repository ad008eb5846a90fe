# agentutils — build, test, install.  No autotools: edit the variables below
# or pass them on the command line (make PREFIX=/usr DESTDIR=/tmp/pkg install).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/agentutils
# where bash-completion and zsh look for completions
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
CC      ?= cc
CFLAGS  ?= -g -O2
# CI passes WERROR=-Werror; a user's build never fails on a new compiler warning.
WERROR  ?=
B       ?= build

PKGS     = libbsd libpcre2-8 json-c
# What the goals need is checked before anything else is read, so that
# pkg-config below already sees it.  Building needs only the build
# dependencies, and plain make only names what is missing; make check (and
# the goals under it) also needs the test tools, and it and make demo
# install what is missing when run as root on Debian (contrib/deps.sh).
TESTGOALS = check check-unit check-cli units soak check-e2e fuzz lint-man
ifneq ($(filter check-remote,$(MAKECMDGOALS)),)
DEPS = --install build test remote
else ifneq ($(filter $(TESTGOALS),$(MAKECMDGOALS)),)
DEPS = --install build test
else ifneq ($(filter demo,$(MAKECMDGOALS)),)
DEPS = --install build
else ifeq ($(filter clean uninstall,$(MAKECMDGOALS)),)
DEPS = build
endif
ifneq ($(DEPS),)
DEPS_OK := $(shell sh contrib/deps.sh $(DEPS) >&2 && echo ok)
ifneq ($(DEPS_OK),ok)
$(error missing dependencies, see above)
endif
endif
PKGCFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKGLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECKLIBS := $(shell pkg-config --libs check 2>/dev/null)

XCFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter $(WERROR) \
	-Ilib $(PKGCFLAGS) $(CFLAGS)

LIBSRC  = $(sort $(wildcard lib/*.c lib/dialect/*.c))
TOOLSRC = $(sort $(wildcard bin/*.c))
UNITSRC = $(sort $(wildcard tests/unit/check_*.c))
TOOLS   = $(patsubst bin/%.c,%,$(TOOLSRC))
LIBOBJ  = $(patsubst lib/%.c,$(B)/obj/%.o,$(LIBSRC))
BINS    = $(patsubst %,$(B)/bin/%,$(TOOLS))
UNITS   = $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNITSRC))
MAN1    = $(sort $(wildcard man/*.1))
MAN5    = $(sort $(wildcard man/*.5))
MAN7    = $(sort $(wildcard man/*.7))
HDRS    = $(wildcard lib/*.h lib/dialect/*.h)
# What the tools share on their side of the library (it prints and exits,
# which lib/ never does; tool_remote.c: their calls over ssh): compiled
# once, linked into every tool.
TOOLOBJ = $(B)/obj/bin/common/tool.o $(B)/obj/bin/common/tool_remote.o

all: $(BINS)

$(B)/obj/%.o: lib/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) -c -o $@ $<

$(B)/libagent.a: $(LIBOBJ)
	rm -f $@ && ar rcs $@ $(LIBOBJ)

$(B)/obj/bin/%.o: bin/%.c $(HDRS) bin/common/tool.h
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) -Ibin/common -c -o $@ $<

$(B)/bin/%: $(B)/obj/bin/%.o $(TOOLOBJ) $(B)/libagent.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(LDFLAGS) -o $@ $< $(TOOLOBJ) $(B)/libagent.a $(PKGLIBS)

$(B)/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(B)/libagent.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) -Itests/unit -DFIXTURES=\"$(CURDIR)/tests/fixtures\" $(LDFLAGS) \
		-o $@ $< $(B)/libagent.a $(PKGLIBS) $(CHECKLIBS)

units: $(UNITS)

# make check: the unit suites (Check) and the CLI tests (TAP), first as
# built, then again under AddressSanitizer and UndefinedBehaviorSanitizer
# (there without Check's fork per test: ASan start-up per fork is slow).
# JOBS suites run at once (default: one per core), the slowest first; each
# prints its output whole when it ends and its own "N passed, N failed"
# line, and the last line adds them all up.
SANFLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
SANMAKE  = $(MAKE) --no-print-directory B=$(B)-san CFLAGS="$(SANFLAGS)" \
	LDFLAGS="$(LDFLAGS) -fsanitize=address,undefined"
JOBS    ?= $(shell nproc 2>/dev/null || echo 1)
TAPS     = $(sort $(wildcard tests/cli/*.t))
SLOWTAPS = tests/cli/phases.t tests/cli/hostile.t
TAPORDER = $(filter $(SLOWTAPS),$(TAPS)) $(filter-out $(SLOWTAPS),$(TAPS))
UNITNAMES = $(patsubst tests/unit/%.c,%,$(UNITSRC))
SUITES   = $(foreach b,$(B)-san $(B),$(patsubst %,suite/$(b)/%,$(TAPORDER)) \
	$(patsubst %,suite/$(b)/unit/%,$(UNITNAMES)))

check:
	@rm -f $(B)/results
	@$(MAKE) --no-print-directory -j$(JOBS) $(BINS) $(UNITS)
	@$(SANMAKE) -j$(JOBS) all units
	@$(MAKE) --no-print-directory -j$(JOBS) -O suites RESULTS=$(CURDIR)/$(B)/results
	@sh tests/summary.sh $(B)/results

# One suite of one build; never up to date (no such file is made).
suites: $(SUITES)
suite/$(B)/tests/cli/%.t:
	@AGENTUTILS_BIN=$(CURDIR)/$(B)/bin sh tests/run.sh $(B) $(RESULTS) -- tests/cli/$*.t
suite/$(B)-san/tests/cli/%.t:
	@AGENTUTILS_BIN=$(CURDIR)/$(B)-san/bin sh tests/run.sh $(B)-san $(RESULTS) -- tests/cli/$*.t
suite/$(B)/unit/%:
	@sh tests/run.sh $(B) $(RESULTS) $(B)/unit/$* --
suite/$(B)-san/unit/%:
	@CK_FORK=no sh tests/run.sh $(B)-san $(RESULTS) $(B)-san/unit/$* --

check-unit: $(UNITS)
	@rm -f $(B)/results
	@sh tests/run.sh $(B) $(CURDIR)/$(B)/results $(UNITS) --
	@sh tests/summary.sh $(B)/results

check-cli: $(BINS)
	@rm -f $(B)/results
	@AGENTUTILS_BIN=$(CURDIR)/$(B)/bin sh tests/run.sh $(B) $(CURDIR)/$(B)/results -- $(sort $(wildcard tests/cli/*.t))
	@sh tests/summary.sh $(B)/results

# make soak: SOAK_N short runs hit by signals at random moments, then 100
# spawns at once; every record, state and process checked (tests/soak).
SOAK_N ?= 1000
soak: $(BINS)
	@AGENTUTILS_BIN=$(CURDIR)/$(B)/bin SOAK_N=$(SOAK_N) sh tests/soak/soak.sh

# make check-e2e: the real agent CLIs (pinned, installed once from npm into
# $(B)/e2e) through agentutils against a fake model on 127.0.0.1; needs npm.
check-e2e: $(BINS)
	@sh tests/e2e/install.sh $(B)/e2e
	@AGENTUTILS_BIN=$(CURDIR)/$(B)/bin sh tests/e2e/run.sh $(B)/e2e

# make check-e2e-phases: the unattended pipeline (contrib/phases.mk) end to
# end: real agent CLIs write a toy project in four phases, with a cut-off, a
# stall, a usage limit and a failed verification on the way; needs npm.
check-e2e-phases: $(BINS)
	@sh tests/e2e/install.sh $(B)/e2e
	@AGENTUTILS_BIN=$(CURDIR)/$(B)/bin sh tests/e2e/phases.sh $(B)/e2e

# make check-remote (CI runs it after the other suites): the tools across
# hosts.  Every tests/remote/*.t is a TAP suite that starts its own sshd
# "hosts" on loopback addresses (tests/remote/lib.sh), each with a runs
# directory of its own, and stops them when it ends, also when it fails;
# suites run one at a time.  Needs root: it installs openssh-server, GNU
# parallel and what the other suites need (contrib/deps.sh), and adds a
# system user for the hosts' side.
REMOTETAPS = $(sort $(wildcard tests/remote/*.t))
check-remote: $(BINS)
	@rm -f $(B)/results-remote
	@AGENTUTILS_BIN=$(CURDIR)/$(B)/bin sh tests/run.sh $(B) $(CURDIR)/$(B)/results-remote \
		-- $(REMOTETAPS)
	@sh tests/summary.sh $(B)/results-remote

# make fuzz: every tests/fuzz/fuzz_NAME.c built with clang's libFuzzer, ASan
# and UBSan against the library sources (compiled once for all harnesses),
# run FUZZTIME seconds each from its seeds in tests/fuzz/corpus/NAME (new
# finds go to $(B)/fuzz/corpus-NAME), FUZZJOBS workers at once (libFuzzer's
# -jobs, sharing the corpus: one per core), inputs of at most FUZZMAXLEN
# bytes when given, each harness stopped after FUZZRUNS executions in all
# when given (shared out between the workers; FUZZTIME=0 for no time
# limit), only the harnesses named in FUZZ if given.  Installs clang as
# root on Debian when missing; skipped, with a message, when the compiler
# has no libFuzzer.
FUZZCC   ?= clang
FUZZTIME ?= 60
FUZZJOBS ?= 1
# the longest input libFuzzer makes (-max_len); empty: its own default
# (4096, or the longest seed).  Time per input grows with its length.
FUZZMAXLEN ?=
# executions a harness makes in all (libFuzzer's -runs, per worker its
# share); empty: as many as FUZZTIME allows
FUZZRUNS ?=
FUZZSRC   = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ     ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZSRC))
FUZZFLAGS = -std=c11 -D_GNU_SOURCE -Ilib $(PKGCFLAGS) -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZOBJ   = $(patsubst lib/%.c,$(B)/fuzz/obj/%.o,$(LIBSRC))

$(B)/fuzz/obj/%.o: lib/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZCC) $(FUZZFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZOBJ)
	$(FUZZCC) $(FUZZFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZOBJ) $(PKGLIBS)

fuzz:
	@if ! command -v $(FUZZCC) >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	    command -v apt-get >/dev/null 2>&1; then \
		echo "fuzz: installing clang"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		  apt-get install -y -qq --no-install-recommends clang; } >&2 || exit 1; fi
	@mkdir -p $(B)/fuzz
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' > $(B)/fuzz/probe.c
	@if ! $(FUZZCC) -fsanitize=fuzzer,address -o $(B)/fuzz/probe $(B)/fuzz/probe.c >/dev/null 2>&1; then \
		echo "fuzz: skipped: $(FUZZCC) cannot build with -fsanitize=fuzzer (no libFuzzer)"; exit 0; fi; \
	$(MAKE) --no-print-directory $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ)) || exit 1; \
	for n in $(FUZZ); do \
		echo "fuzz: $$n ($(if $(filter 0,$(FUZZTIME)),no time limit,$(FUZZTIME)s)$(if $(FUZZRUNS), or $(FUZZRUNS) executions), $(FUZZJOBS) worker(s))"; \
		d=$(CURDIR)/$(B)/fuzz; rm -rf $$d/run-$$n; mkdir -p $$d/corpus-$$n $$d/run-$$n; \
		if [ $(FUZZJOBS) -gt 1 ]; then par="-jobs=$(FUZZJOBS) -workers=$(FUZZJOBS)"; else par=; fi; \
		if [ -n "$(FUZZMAXLEN)" ]; then par="$$par -max_len=$(FUZZMAXLEN)"; fi; \
		if [ -n "$(FUZZRUNS)" ]; then par="$$par -runs=$$(( ($(FUZZRUNS) + $(FUZZJOBS) - 1) / $(FUZZJOBS) ))"; fi; \
		( cd $$d/run-$$n && $$d/fuzz_$$n $$par -max_total_time=$(FUZZTIME) -print_final_stats=1 \
			-artifact_prefix=$$d/$$n- $$d/corpus-$$n $(CURDIR)/tests/fuzz/corpus/$$n \
			> $$d/run-$$n/main.log 2>&1 ); rc=$$?; \
		if [ $$rc -ne 0 ] || grep -qs '^==[0-9]*== *ERROR: \|^SUMMARY: ' $$d/run-$$n/*.log; then \
			tail -n 40 $$d/run-$$n/*.log; echo "fuzz: $$n failed, see $$d/run-$$n"; exit 1; fi; \
		logs=$$d/run-$$n/main.log; [ $(FUZZJOBS) -gt 1 ] && logs="$$d/run-$$n/fuzz-*.log"; \
		cat $$logs | awk -v n=$$n '/^stat::number_of_executed_units:/ { x += $$2 } \
			END { printf "fuzz: %s: %d executions, no crash\n", n, x }'; \
	done

lint-man:
	mandoc -Tlint -Wwarning $(MAN1) $(MAN5) $(MAN7)

# make bench: timings and peak RSS against tail, grep and jq on 128 MiB logs
# built once under $(B)/bench; informational, it never fails the build.
bench: all $(B)/bench/measure
	@sh tests/bench/bench.sh $(B)

$(B)/bench/measure: tests/bench/measure.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(LDFLAGS) -o $@ tests/bench/measure.c

demo: all
	@sh contrib/demo.sh $(B)

# contrib/phase-run and phases.mk, the phase pipeline, are installed too:
# phases.mk finds phase-run beside it in a checkout, else on the PATH.
install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	mkdir -p $(DESTDIR)$(DATADIR)
	install -m 755 $(BINS) contrib/phase-run $(DESTDIR)$(BINDIR)
	install -m 644 contrib/phases.mk $(DESTDIR)$(DATADIR)
	install -m 755 contrib/agent.sbatch $(DESTDIR)$(DATADIR)
	mkdir -p $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 contrib/completion/agentutils.bash $(DESTDIR)$(BASHCOMPDIR)/agentutils
	for t in $(TOOLS) phase-run; do ln -sf agentutils $(DESTDIR)$(BASHCOMPDIR)/$$t || exit 1; done
	install -m 644 contrib/completion/_agentutils $(DESTDIR)$(ZSHCOMPDIR)/_agentutils
	$(if $(MAN1),install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1)
	$(if $(MAN5),install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5)
	$(if $(MAN7),install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7)

uninstall:
	rm -f $(patsubst %,$(DESTDIR)$(BINDIR)/%,$(TOOLS) phase-run)
	rm -f $(DESTDIR)$(DATADIR)/phases.mk $(DESTDIR)$(DATADIR)/agent.sbatch
	rm -f $(patsubst %,$(DESTDIR)$(BASHCOMPDIR)/%,agentutils $(TOOLS) phase-run)
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_agentutils
	rm -f $(patsubst man/%,$(DESTDIR)$(MANDIR)/man1/%,$(MAN1))
	rm -f $(patsubst man/%,$(DESTDIR)$(MANDIR)/man5/%,$(MAN5))
	rm -f $(patsubst man/%,$(DESTDIR)$(MANDIR)/man7/%,$(MAN7))

clean:
	rm -rf $(B) $(B)-san

.PHONY: all units check suites check-unit check-cli soak check-e2e check-e2e-phases check-remote fuzz lint-man bench demo install uninstall clean
.SECONDARY:
