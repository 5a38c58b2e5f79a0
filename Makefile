# bptutor — build, run, test, install.
#
# `make run` and `make check` are the two commands in the README. Each first runs .ci/deps, which installs
# missing Debian packages when run as root and otherwise prints the exact `sudo apt-get install …` line,
# then re-enters make so that pkg-config is asked only once the packages are there. `make`, `make install`
# and `make bench` only check (.ci/deps build): a packager under fakeroot is uid 0, and building must not
# install anything.
#
# CPPFLAGS, CFLAGS and LDFLAGS are the user's (Debian's dpkg-buildflags set all three); LDLIBS is the
# libraries.
#
# Two more builds keep what the hostile-input tests found true (issue 14), each in its own directory so that
# ./bptutor and build/ are left alone:
#   make check-sanitize   the program and the unit suites under AddressSanitizer and UndefinedBehaviorSanitizer
#                         in build-sanitize/, then the unit suites, the command-line tests and the replayed
#                         screens run against them (tests/run with BPTUTOR_UNDER_TEST)
#   make fuzz             libFuzzer targets (fuzz/*.c: the lesson parser, the key script and ':' line) built by
#                         clang in build-fuzz/ and run for FUZZ_SECONDS each (fuzz/run says how)

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
LOCALEDIR ?= $(DATADIR)/locale
DESTDIR ?=

CC      ?= cc
PKGS     = ncursesw readline
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null || echo -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lncursesw -ltinfo -lreadline)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

VERSION  = 0.1.0
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wpedantic
ALL_CPPFLAGS = $(PKG_CFLAGS) -DBPTUTOR_VERSION='"$(VERSION)"' -DBPTUTOR_DATADIR='"$(DATADIR)/bptutor"' \
	-DBPTUTOR_LOCALEDIR='"$(LOCALEDIR)"' $(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS) -MMD -MP
LDLIBS   = $(PKG_LIBS) -lunistring -lm

# BUILD is where objects and test programs go, BIN the program; check-sanitize sets both (and SANITIZE).
BUILD   ?= build
BIN     ?= bptutor
SANITIZE ?=
ALL_CFLAGS += $(SANITIZE)

SRCS     = $(wildcard src/*.c)
OBJS     = $(SRCS:src/%.c=$(BUILD)/%.o)
LIB_OBJS = $(filter-out $(BUILD)/main.o,$(OBJS))
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRCS = $(wildcard bench/*.c)
BENCH_BINS = $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)

# Rebuild everything when the compiler, the flags or the install paths change (make CC=clang,
# make install PREFIX=/usr): $(BUILD)/flags holds the last set used.
BUILD_FLAGS := $(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) $(LDLIBS)
ifneq ($(BUILD_FLAGS),$(shell cat $(BUILD)/flags 2>/dev/null))
$(shell mkdir -p $(BUILD))
$(file >$(BUILD)/flags,$(BUILD_FLAGS))
endif

# The sanitizers: every error stops the program (and fails its test); the unit suites, the command-line
# tests, the --plain goldens, the replayed screens and the prompt's replays are what runs under them.
SANITIZE_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SANITIZE_TESTS = tests/cli/*.t tests/plain/*.t tests/screens/*.t tests/prompt/*.t

# The interface's languages (issue 13): each po/LANG.po, compiled by msgfmt into build/locale/LANG/LC_MESSAGES/
# bptutor.mo, where `make run` and the tests point BPTUTOR_LOCALEDIR, and installed under LOCALEDIR.
# po/bptutor.pot is made by xgettext from the sources (`make pot`), and msgmerge brings a .po up to it. Its
# references name files, not lines, so that moving code does not change the catalogue.
LINGUAS = $(patsubst po/%.po,%,$(wildcard po/*.po))
MOS     = $(LINGUAS:%=build/locale/%/LC_MESSAGES/bptutor.mo)
XGETTEXT_FLAGS = --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=NC_:1c,2 --add-comments=TRANSLATORS: \
	--package-name=bptutor --package-version=$(VERSION) --msgid-bugs-address=none --sort-by-file --add-location=file

# libFuzzer needs clang. FUZZ_SECONDS is each target's time; fuzz/run keeps the corpus in build-fuzz/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS    = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SRCS     = $(wildcard fuzz/fuzz_*.c)
# the calls by which our objects create, replace or remove files go to fuzz/sandbox.c
FUZZ_SANDBOXED = open fopen rename link unlink mkdir
FUZZ_BINS     = $(FUZZ_SRCS:fuzz/%.c=build-fuzz/%)
FUZZ_LIB_OBJS = $(filter-out build-fuzz/obj/main.o,$(SRCS:src/%.c=build-fuzz/obj/%.o))

.PHONY: all run check test install uninstall clean mo pot deps-build deps-run deps-test deps-fuzz bench tests-build \
	check-sanitize fuzz fuzz-build
.DEFAULT_GOAL := all

all: deps-build
	@$(MAKE) --no-print-directory bptutor mo

# The tutor on this tree's lessons (lessons are not looked up in the working directory).
run: deps-run
	@$(MAKE) --no-print-directory bptutor mo
	BPTUTOR_PATH="$(CURDIR)/lessons" BPTUTOR_LOCALEDIR="$(CURDIR)/build/locale" ./bptutor

check: deps-test
	@$(MAKE) --no-print-directory bptutor mo tests-build
	@tests/run

check-sanitize: deps-test
	@$(MAKE) --no-print-directory BUILD=build-sanitize BIN=build-sanitize/bptutor SANITIZE="$(SANITIZE_FLAGS)" \
		build-sanitize/bptutor mo tests-build
	@BPTUTOR_UNDER_TEST="$(CURDIR)/build-sanitize/bptutor" BPTUTOR_SANITIZED=1 \
		tests/run $(filter-out %.d,$(wildcard build-sanitize/tests/test_*)) $(SANITIZE_TESTS)

fuzz: deps-fuzz
	@$(MAKE) --no-print-directory fuzz-build
	@fuzz/run $(FUZZ_SECONDS) $(FUZZ_BINS)

fuzz-build: $(FUZZ_BINS)

test: check

bench: deps-build
	@$(MAKE) --no-print-directory bptutor $(BENCH_BINS)
	@bench/run

deps-build:
	@sh .ci/deps build

deps-run:
	@sh .ci/deps run

deps-test:
	@sh .ci/deps test

deps-fuzz:
	@sh .ci/deps fuzz

$(OBJS) $(UNIT_BINS) $(BENCH_BINS): $(BUILD)/flags

$(BIN): $(OBJS) $(BUILD)/flags
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

tests-build: $(UNIT_BINS)

mo: $(MOS)

build/locale/%/LC_MESSAGES/bptutor.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

pot: po/bptutor.pot

po/bptutor.pot: $(SRCS) $(wildcard src/*.h)
	xgettext $(XGETTEXT_FLAGS) -o $@ $(sort $(SRCS) $(wildcard src/*.h))

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(CMOCKA_CFLAGS) -Isrc $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(CMOCKA_LIBS) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Isrc $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS)

# The fuzz build: the library with coverage for libFuzzer (fuzzer-no-link), each target with its main.
build-fuzz/obj/%.o: src/%.c build-fuzz/flags
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<
	objcopy $(foreach f,$(FUZZ_SANDBOXED),--redefine-sym $(f)=fuzz_sandbox_$(f)) $@

build-fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/sandbox.c $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(ALL_CPPFLAGS) -Isrc -DFUZZ_LESSONS='"$(CURDIR)/lessons"' $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer \
		-o $@ $< fuzz/sandbox.c $(FUZZ_LIB_OBJS) $(LDLIBS)

.SECONDARY: $(FUZZ_LIB_OBJS)

ifneq ($(filter fuzz-build build-fuzz/%,$(MAKECMDGOALS)),)
FUZZ_BUILD_FLAGS := $(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_FLAGS) $(LDLIBS)
ifneq ($(FUZZ_BUILD_FLAGS),$(shell cat build-fuzz/flags 2>/dev/null))
$(shell mkdir -p build-fuzz)
$(file >build-fuzz/flags,$(FUZZ_BUILD_FLAGS))
endif
endif

# bench_startup's limit: a program of nothing but the libraries bptutor loads; and its floor, the same
# libraries showing one ncurses screen
$(BUILD)/bench/startup_empty: bench/startup_empty.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/bench/startup_screen: bench/startup_screen.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

install: deps-build
	@$(MAKE) --no-print-directory bptutor mo
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/bptutor/lessons
	install -m 755 bptutor $(DESTDIR)$(BINDIR)/bptutor
	cp -R lessons/. $(DESTDIR)$(DATADIR)/bptutor/lessons/
	if [ -d man ]; then install -d $(DESTDIR)$(MANDIR)/man1 && install -m 644 man/bptutor.1 $(DESTDIR)$(MANDIR)/man1/; fi
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 build/locale/$$l/LC_MESSAGES/bptutor.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/ || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/bptutor $(DESTDIR)$(MANDIR)/man1/bptutor.1
	rm -rf $(DESTDIR)$(DATADIR)/bptutor
	for l in $(LINGUAS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/bptutor.mo; done

clean:
	rm -rf build build-sanitize build-fuzz bptutor

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d) $(BENCH_BINS:=.d) $(FUZZ_LIB_OBJS:.o=.d)
