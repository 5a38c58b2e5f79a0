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

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
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
ALL_CPPFLAGS = $(PKG_CFLAGS) -DBPTUTOR_VERSION='"$(VERSION)"' -DBPTUTOR_DATADIR='"$(DATADIR)/bptutor"' $(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS) -MMD -MP
LDLIBS   = $(PKG_LIBS) -lunistring -lm

SRCS     = $(wildcard src/*.c)
OBJS     = $(SRCS:src/%.c=build/%.o)
LIB_OBJS = $(filter-out build/main.o,$(OBJS))
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=build/tests/%)
BENCH_SRCS = $(wildcard bench/*.c)
BENCH_BINS = $(BENCH_SRCS:bench/%.c=build/bench/%)

# Rebuild everything when the compiler, the flags or the install paths change (make CC=clang,
# make install PREFIX=/usr): build/flags holds the last set used.
BUILD_FLAGS := $(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) $(LDLIBS)
ifneq ($(BUILD_FLAGS),$(shell cat build/flags 2>/dev/null))
$(shell mkdir -p build)
$(file >build/flags,$(BUILD_FLAGS))
endif

.PHONY: all run check test install uninstall clean deps-build deps-run deps-test bench tests-build
.DEFAULT_GOAL := all

all: deps-build
	@$(MAKE) --no-print-directory bptutor

# The tutor on this tree's lessons (lessons are not looked up in the working directory).
run: deps-run
	@$(MAKE) --no-print-directory bptutor
	BPTUTOR_PATH="$(CURDIR)/lessons" ./bptutor

check: deps-test
	@$(MAKE) --no-print-directory bptutor tests-build
	@tests/run

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

$(OBJS) $(UNIT_BINS) $(BENCH_BINS): build/flags

bptutor: $(OBJS) build/flags
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

build/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

tests-build: $(UNIT_BINS)

build/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(CMOCKA_CFLAGS) -Isrc $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(CMOCKA_LIBS) $(LDLIBS)

build/bench/%: bench/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Isrc $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS)

# bench_startup's limit: a program of nothing but the libraries bptutor loads
build/bench/startup_empty: bench/startup_empty.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

install: deps-build
	@$(MAKE) --no-print-directory bptutor
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/bptutor/lessons
	install -m 755 bptutor $(DESTDIR)$(BINDIR)/bptutor
	cp -R lessons/. $(DESTDIR)$(DATADIR)/bptutor/lessons/
	if [ -d man ]; then install -d $(DESTDIR)$(MANDIR)/man1 && install -m 644 man/bptutor.1 $(DESTDIR)$(MANDIR)/man1/; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/bptutor $(DESTDIR)$(MANDIR)/man1/bptutor.1
	rm -rf $(DESTDIR)$(DATADIR)/bptutor

clean:
	rm -rf build bptutor

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d) $(BENCH_BINS:=.d)
