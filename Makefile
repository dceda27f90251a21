# mlcoach -- see README.md. `make run` and `make test` are all a newcomer needs:
# both install missing Debian packages first (target deps).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man/man1
VERSION = 0.1.0

CC ?= cc
PKGS = libpcre2-8 yaml-0.1 jansson libutf8proc libedit
DEBS = build-essential pkg-config libpcre2-dev uthash-dev libyaml-dev libjansson-dev \
       libcmocka-dev libutf8proc-dev libstemmer-dev wamerican wbritish jq valgrind \
       libedit-dev tmux groff-base
# Only `make bench` needs these: callgrind, and GNU time for peak memory.
BENCH_DEBS = valgrind time

CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wformat=2 -Wshadow
ALL_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DMLCOACH_VERSION='"$(VERSION)"' \
               -Iinclude $(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) $$(pkg-config --cflags $(PKGS))
# libstemmer ships no pkg-config file in Debian 12, so it is named directly.
LIBS = $$(pkg-config --libs $(PKGS)) -lstemmer -lm

SRC = src/util.c src/diag.c src/text.c src/spell.c src/kb.c src/kbload.c src/kbassess.c \
      src/prefilter.c src/match.c src/reply.c src/render.c src/store.c src/coach.c \
      src/coachio.c src/coachcmd.c src/cmd.c src/histfile.c src/session.c src/sessioncmd.c \
      src/sessioncoach.c src/repl.c
OBJ = $(SRC:src/%.c=build/%.o) build/builtin.o build/dict.o
# English word lists (wamerican, wbritish): real words are never "corrected".
DICTS = /usr/share/dict/american-english /usr/share/dict/british-english
KNOWLEDGE = $(sort $(wildcard knowledge/*.yml))
TESTS = test_text test_spell test_kb test_match test_prefilter test_render test_knowledge \
        test_session test_store test_coach test_kbassess

all: mlcoach

mlcoach: build/main.o $(OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ build/main.o $(OBJ) $(LIBS)

build/%.o: src/%.c $(wildcard include/*.h src/*.h) | build
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/builtin.c: $(KNOWLEDGE) tools/embed.sh | build
	tools/embed.sh $(KNOWLEDGE) > $@.tmp && mv $@.tmp $@

build/dict.c: $(DICTS) tools/dict.sh | build
	tools/dict.sh $(DICTS) > $@.tmp && mv $@.tmp $@

build/dict.o: build/dict.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/builtin.o: build/builtin.c include/kb.h
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

build:
	mkdir -p build

build/test_%: tests/test_%.c tests/helpers.h $(OBJ) | build
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -DFIXTURE_KB='"tests/fixtures/kb"' -o $@ $< $(OBJ) $(LIBS) $$(pkg-config --libs cmocka)

deps:
	@tools/deps.sh $(DEBS)

run: deps
	$(MAKE) all
	./mlcoach

# Every test, with warnings as errors: unit tests (cmocka), then the CLI
# scripts against the built binary. Ends with one "N passed, N failed" line.
test: deps
	$(MAKE) clean-objects
	$(MAKE) EXTRA_CFLAGS=-Werror all $(TESTS:%=build/%)
	tests/run.sh $(TESTS:%=build/%)

# Speed and scale (never asserts timings): prints tables, writes BENCHMARKS.md.
bench:
	@tools/deps.sh $(DEBS) $(BENCH_DEBS)
	$(MAKE) all build/pfstat
	tests/bench/bench.sh

build/pfstat: tests/bench/pfstat.c $(OBJ) | build
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(OBJ) $(LIBS)

check-knowledge: mlcoach
	./mlcoach check --kb knowledge

# Accuracy on tests/eval/questions.tsv, per half (tune and held-out).
eval: mlcoach
	tests/eval/eval.sh

install: mlcoach
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	cp -f mlcoach $(DESTDIR)$(BINDIR)/mlcoach
	chmod 755 $(DESTDIR)$(BINDIR)/mlcoach
	cp -f mlcoach.1 $(DESTDIR)$(MANDIR)/mlcoach.1
	chmod 644 $(DESTDIR)$(MANDIR)/mlcoach.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mlcoach $(DESTDIR)$(MANDIR)/mlcoach.1

clean-objects:
	rm -rf build mlcoach

clean: clean-objects

.PHONY: all deps run test bench check-knowledge eval install uninstall clean clean-objects
