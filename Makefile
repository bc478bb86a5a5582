# ties — relation triples with evidence from security-policy prose.
#
#   make            build build/libties.a (public symbols only) and build/ties
#   make run        install missing packages (as root), build, extract seeds/
#   make check      install missing packages (as root), build, run every test
#   make install    PREFIX=/usr/local DESTDIR= (binary, library, header, .pc,
#                   gazetteers and rules)
#   make bench      throughput benchmark (not part of check)
#   make fuzz       libFuzzer targets for FUZZ_SECONDS each
#   make golden     rewrite the golden outputs of tests/explain/ (after a
#                   deliberate change; review the diff before committing)
#
# Flags: CFLAGS and LDFLAGS are yours; the project's own flags are added to
# them. WERROR=-Werror and SAN='-fsanitize=address,undefined' are hooks for
# CI. Libraries come from pkg-config; libstemmer has no .pc file, so
# STEMMER_CFLAGS and STEMMER_LIBS may be set by hand.

CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
WERROR ?=
SAN ?=
PKG_CONFIG ?= pkg-config

PREFIX ?= /usr/local
bindir ?= $(PREFIX)/bin
libdir ?= $(PREFIX)/lib
includedir ?= $(PREFIX)/include
datarootdir ?= $(PREFIX)/share
pkgconfigdir ?= $(libdir)/pkgconfig
tiesdatadir = $(datarootdir)/ties

PKGS = libpcre2-8 hunspell libutf8proc nettle sqlite3 jansson
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
STEMMER_CFLAGS ?=
STEMMER_LIBS ?= -lstemmer

TIES_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
  -Wall -Wextra -pedantic -Wstrict-prototypes -Wmissing-prototypes -Wshadow \
  -fvisibility=hidden -pthread -DTIES_DATADIR='"$(tiesdatadir)"' \
  $(PKG_CFLAGS) $(STEMMER_CFLAGS) $(WERROR) $(SAN)
TIES_LIBS = $(PKG_LIBS) $(STEMMER_LIBS) -lpthread -lm

B = build
LIB_SRC = arena.c buf.c hash.c diag.c utf8.c text.c token.c stem.c spell.c \
  worker.c gazetteer.c resolve.c rule_lex.c rule_parse.c rule_compile.c \
  match.c triple.c engine.c doc.c words.c
# the command: main.c, cli.c, the writers (emit*.c), the store, cmd_*.c
CLI_SRC = $(filter-out $(LIB_SRC),$(notdir $(wildcard pipeline/*.c)))
LIB_OBJ = $(LIB_SRC:%.c=$(B)/obj/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(B)/obj/%.o)
HDRS = $(wildcard pipeline/*.h)

.PHONY: all run check deps test-deps unit install uninstall clean bench fuzz gazetteers vocab golden FORCE

all: $(B)/ties $(B)/libties.a $(B)/ties.pc

$(B)/obj/%.o: pipeline/%.c $(HDRS) | $(B)/obj
	$(CC) $(TIES_CFLAGS) $(CFLAGS) -c $< -o $@

$(B)/obj:
	mkdir -p $@

# The library as installed: one object whose only global symbols are the
# public ties_* API (everything else is hidden, -fvisibility=hidden, and made
# local), so that it cannot clash with a program's own names.
$(B)/libties.a: $(LIB_OBJ)
	rm -f $@ $(B)/obj/libties-all.o
	$(CC) -r -nostdlib -o $(B)/obj/libties-all.o $(LIB_OBJ)
	objcopy --localize-hidden $(B)/obj/libties-all.o $(B)/obj/libties-api.o
	ar rcs $@ $(B)/obj/libties-api.o

# The same code for the command, the unit tests and the fuzzers, which use
# the internal functions too.
$(B)/libties-internal.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(B)/ties: $(CLI_OBJ) $(B)/libties-internal.a
	$(CC) $(TIES_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/libties-internal.a $(TIES_LIBS)

# regenerated when PREFIX or the directories change (make install PREFIX=...)
$(B)/ties.pc: pipeline/ties.pc.in Makefile FORCE | $(B)/obj
	@sed -e 's|@prefix@|$(PREFIX)|' -e 's|@libdir@|$(libdir)|' \
	    -e 's|@includedir@|$(includedir)|' -e 's|@datadir@|$(tiesdatadir)|' \
	    -e 's|@version@|$(shell sed -n 's/^#define TIES_VERSION_STRING "\(.*\)"/\1/p' pipeline/ties.h)|' \
	    $< > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi

FORCE:

deps:
	@sh scripts/deps.sh

test-deps:
	@sh scripts/deps.sh --test

# ---- tests ------------------------------------------------------------------
UNIT_SRC = $(wildcard tests/unit/unit_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

$(B)/tests/%: tests/unit/%.c tests/unit/helpers.h $(B)/libties-internal.a | $(B)/tests
	$(CC) $(TIES_CFLAGS) -Wno-unused-function $(CMOCKA_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	  $(B)/libties-internal.a $(CMOCKA_LIBS) $(TIES_LIBS)

$(B)/tests:
	mkdir -p $@

check: test-deps
	$(MAKE) all unit fuzz-replay
	@$(MAKE) --no-print-directory check-fuzz
	sh tests/run.sh
	@if [ -n "$(CHECK_SAN)" ]; then $(MAKE) --no-print-directory asan valgrind; fi

unit: $(UNIT_BIN)

golden: $(B)/ties
	@for a in tests/explain/*.args; do n=$$(basename $$a .args); \
	  TIES=$(B)/ties sh tests/explain/gen.sh $$n >tests/explain/$$n.out || exit 1; \
	  echo "tests/explain/$$n.out"; done

run: deps
	$(MAKE) all
	$(B)/ties extract -o $(B)/seeds.tsv seeds/
	@echo "triples written to $(B)/seeds.tsv"

gazetteers:
	python3 gazetteers/src/gen-countries.py > gazetteers/countries.tsv

# the RDF vocabulary (rules/ties.ttl) from rules/relations.tsv; t_rdf fails when stale
vocab:
	python3 scripts/gen-vocab.py -o rules/ties.ttl rules/relations.tsv

# throughput against peers (a few minutes; writes bench/RESULTS.md)
bench: all
	sh bench/run.sh

clean:
	rm -rf $(B) $(ASAN_B) $(FUZZ_B)

install: all
	install -d "$(DESTDIR)$(bindir)" "$(DESTDIR)$(libdir)" \
	  "$(DESTDIR)$(includedir)" "$(DESTDIR)$(pkgconfigdir)" \
	  "$(DESTDIR)$(tiesdatadir)/gazetteers" "$(DESTDIR)$(tiesdatadir)/rules"
	install -m 755 $(B)/ties "$(DESTDIR)$(bindir)/ties"
	install -m 644 $(B)/libties.a "$(DESTDIR)$(libdir)/libties.a"
	install -m 644 pipeline/ties.h "$(DESTDIR)$(includedir)/ties.h"
	install -m 644 $(B)/ties.pc "$(DESTDIR)$(pkgconfigdir)/ties.pc"
	install -m 644 gazetteers/*.tsv "$(DESTDIR)$(tiesdatadir)/gazetteers/"
	install -m 644 rules/*.rules rules/*.tsv rules/*.ttl "$(DESTDIR)$(tiesdatadir)/rules/"

uninstall:
	rm -f "$(DESTDIR)$(bindir)/ties" "$(DESTDIR)$(libdir)/libties.a" \
	  "$(DESTDIR)$(includedir)/ties.h" "$(DESTDIR)$(pkgconfigdir)/ties.pc"
	rm -rf "$(DESTDIR)$(tiesdatadir)"

# ---- reliability: fuzzing, sanitizers, valgrind ------------------------------
#   make fuzz-replay  build/fuzz/replay_*: the fuzz targets with the ordinary
#                     compiler and tests/fuzz/replay.c; t_fuzz replays the seeds
#                     and every regression input through them (part of check)
#   make fuzz         libFuzzer targets of tests/fuzz/ (clang), FUZZ_SECONDS each,
#                     one after the other, from the seeds of tests/fuzz/corpus/
#   make fuzz-smoke   the same for FUZZ_SMOKE_SECONDS each
#   make asan         everything built into build-asan/ with ASan and UBSan, and
#                     every suite run against it; any report fails
#   make valgrind     VALGRIND_SUITES under valgrind memcheck (leak check full)
#   make devtest      -Werror build, check, asan and valgrind (SQLite's devtest)
# `make check` runs fuzz-smoke when clang's libFuzzer is installed, and asan
# and valgrind too when CI=true (or CHECK_SAN=1).
ASAN_B = build-asan
FUZZ_B = build-fuzz
FUZZ_CC = clang
FUZZ_TARGETS = doc rules gazetteer jsonl
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 10
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
  -fno-omit-frame-pointer
VALGRIND_SUITES ?= t_badinput t_limits t_fuzz rules
CHECK_SAN ?= $(if $(filter true,$(CI)),1,)

.PHONY: fuzz-replay fuzz-build fuzz-smoke asan valgrind devtest check-fuzz

$(B)/fuzz:
	mkdir -p $@

$(B)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
  $(B)/libties-internal.a $(B)/obj/cli.o | $(B)/fuzz
	$(CC) $(TIES_CFLAGS) -Ipipeline $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
	  $(B)/obj/cli.o $(B)/libties-internal.a $(TIES_LIBS)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(B)/libties-internal.a $(B)/obj/cli.o | $(B)/fuzz
	$(CC) $(TIES_CFLAGS) -Ipipeline $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< \
	  $(B)/obj/cli.o $(B)/libties-internal.a $(TIES_LIBS)

fuzz-replay: $(FUZZ_TARGETS:%=$(B)/fuzz/replay_%)

# the library instrumented for libFuzzer (fuzzer-no-link) and the sanitizers
fuzz-build:
	$(MAKE) B=$(FUZZ_B) CC=$(FUZZ_CC) CFLAGS='-O1 -g' \
	  SAN='$(SAN_FLAGS) -fsanitize=fuzzer-no-link' $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz/fuzz_%)

fuzz: fuzz-build
	sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_B) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	FUZZ_FRESH=1 sh tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_B) $(FUZZ_TARGETS)

asan:
	$(MAKE) B=$(ASAN_B) CFLAGS='-O1 -g' SAN='$(SAN_FLAGS)' all unit fuzz-replay
	sh tests/sanitize.sh $(ASAN_B)

valgrind:
	$(MAKE) all fuzz-replay
	sh tests/valgrind.sh $(VALGRIND_SUITES)

devtest:
	$(MAKE) WERROR=-Werror clean all
	$(MAKE) WERROR=-Werror CHECK_SAN=1 check

# check's fuzz smoke, when clang's libFuzzer is there (CI installs it)
check-fuzz:
	@if sh tests/fuzz/run.sh --available; then $(MAKE) --no-print-directory fuzz-smoke; \
	else echo "fuzz-smoke skipped: clang with libFuzzer is not installed"; fi
