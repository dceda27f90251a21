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
WARN = -std=c11 -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wformat=2 -Wformat-security \
       -Wshadow
# Hardening (README "Security and robustness"): bounds-checked libc calls,
# stack canaries, a position-independent executable with read-only
# relocations bound at start-up. tests/cli/harden.sh checks the binary.
HARDEN_CPPFLAGS = -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2
HARDEN_CFLAGS = -fstack-protector-strong -fPIE
HARDEN_LDFLAGS = -pie -Wl,-z,relro,-z,now
ALL_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DMLCOACH_VERSION='"$(VERSION)"' \
               $(HARDEN_CPPFLAGS) -Iinclude $(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(HARDEN_CFLAGS) $(EXTRA_CFLAGS) $$(pkg-config --cflags $(PKGS))
ALL_LDFLAGS = $(HARDEN_LDFLAGS) $(LDFLAGS) $(EXTRA_LDFLAGS)
# libstemmer ships no pkg-config file in Debian 12, so it is named directly.
LIBS = $$(pkg-config --libs $(PKGS)) -lstemmer -lm

# Everything is built in B; the sanitizer and fuzzer builds use their own.
B = build
BIN = mlcoach

SRC = src/util.c src/diag.c src/text.c src/spell.c src/kb.c src/kbload.c src/kbassess.c \
      src/prefilter.c src/match.c src/reply.c src/render.c src/store.c src/coach.c \
      src/coachio.c src/coachcmd.c src/cmd.c src/histfile.c src/session.c src/sessioncmd.c \
      src/sessioncoach.c src/repl.c src/lint.c \
      src/lint_shape.c
# Text and JSON output, the session's and coaching commands' parts.
SRC += src/render_json.c src/coachcmd_assess.c src/coachcmd_plan.c src/session_complete.c \
       src/session_followup.c
OBJ = $(SRC:src/%.c=$(B)/%.o) $(B)/builtin.o $(B)/builtin_yaml.o $(B)/dict.o $(B)/builtin_keys.o
# English word lists (wamerican, wbritish): real words are never "corrected".
DICTS = /usr/share/dict/american-english /usr/share/dict/british-english
KNOWLEDGE = $(sort $(wildcard knowledge/*.yml))
TESTS = test_text test_spell test_kb test_match test_prefilter test_render test_knowledge \
        test_session test_store test_coach test_kbassess test_lint test_histfile
# libFuzzer targets, tests/fuzz/fuzz_NAME.c. To add one: write the file, add
# its name here, seed tests/fuzz/corpus/fuzz_NAME/; `make test` then replays
# its corpus and tests/fuzz/regressions/fuzz_NAME/ through replay_NAME.
FUZZ_TARGETS = fuzz_kb fuzz_question fuzz_store
REPLAYS = $(FUZZ_TARGETS:fuzz_%=replay_%)

all: $(BIN)

$(BIN): $(B)/main.o $(OBJ)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(B)/main.o $(OBJ) $(LIBS)

$(B)/%.o: src/%.c $(wildcard include/*.h src/*.h) | $(B)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(B)/builtin.c: $(KNOWLEDGE) tools/embed.sh | $(B)
	tools/embed.sh $(KNOWLEDGE) > $@.tmp && mv $@.tmp $@

$(B)/dict.c: $(DICTS) tools/dict.sh | $(B)
	tools/dict.sh $(DICTS) > $@.tmp && mv $@.tmp $@

$(B)/dict.o: $(B)/dict.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/builtin.o: $(B)/builtin.c include/kb.h
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# The same files as libyaml parses them, so that start-up need not.
$(B)/yamldoc: tools/yamldoc.c | $(B)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $$(pkg-config --libs yaml-0.1)

$(B)/builtin_yaml.c: $(KNOWLEDGE) $(B)/yamldoc
	$(B)/yamldoc $(KNOWLEDGE) > $@.tmp && mv $@.tmp $@

$(B)/builtin_yaml.o: $(B)/builtin_yaml.c src/kb_internal.h include/kb.h
	$(CC) $(ALL_CPPFLAGS) -Isrc $(ALL_CFLAGS) -c -o $@ $<

# The built-in knowledge's pattern keys (kb_builtin_keys), written by a
# program linked against every other object (it brings an empty table of its
# own), so that a one-question `ask` need not read the patterns at start-up.
PFKEYS_OBJ = $(filter-out $(B)/builtin_keys.o,$(OBJ))

$(B)/pfkeys: tools/pfkeys.c $(PFKEYS_OBJ)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(PFKEYS_OBJ) $(LIBS)

$(B)/builtin_keys.c: $(B)/pfkeys
	$(B)/pfkeys > $@.tmp && mv $@.tmp $@

# A pattern's keys may make a string longer than ISO C's 4095 bytes.
$(B)/builtin_keys.o: $(B)/builtin_keys.c include/kb.h
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(B):
	mkdir -p $(B)

$(B)/test_%: tests/test_%.c tests/helpers.h $(OBJ) | $(B)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -DFIXTURE_KB='"tests/fixtures/kb"' -o $@ $< $(OBJ) $(LIBS) $$(pkg-config --libs cmocka)

# A fuzz target's entry point with a main() that feeds it files: how
# `make test` replays the corpus and every input that once crashed.
# tests/fuzz/oracle.c holds the output checks the targets share.
FUZZ_SHARED = tests/fuzz/oracle.c
$(B)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_SHARED) tests/fuzz/oracle.h $(OBJ) | $(B)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(FUZZ_SHARED) \
	    $(OBJ) $(LIBS)

# The same entry point linked with libFuzzer (only in the fuzz build).
$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SHARED) tests/fuzz/oracle.h $(OBJ) | $(B)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_SHARED) \
	    $(OBJ) $(LIBS)

# Failures on demand for the CLI tests (an LD_PRELOAD library; see the
# file). Built without the sanitizers, which intercept the same calls.
$(B)/libfault.so: tests/fault.c | $(B)
	$(CC) $(WARN) $(CFLAGS) -Werror -shared -fPIC -o $@ $< -ldl

deps:
	@tools/deps.sh $(DEBS)

run: deps
	$(MAKE) all
	./mlcoach

# Every test, with warnings as errors: unit tests (cmocka), then the CLI
# scripts against the built binary. Ends with one "N passed, N failed" line.
test: deps
	$(MAKE) clean-objects
	$(MAKE) EXTRA_CFLAGS=-Werror all $(TESTS:%=build/%) $(REPLAYS:%=build/%) build/libfault.so
	tests/run.sh $(TESTS:%=build/%)

# Speed and scale (never asserts timings): prints tables, writes BENCHMARKS.md.
bench:
	@tools/deps.sh $(DEBS) $(BENCH_DEBS)
	$(MAKE) all $(B)/pfstat
	tests/bench/bench.sh

$(B)/pfstat: tests/bench/pfstat.c $(OBJ) | $(B)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(OBJ) $(LIBS)

# The whole suite again, built with clang's AddressSanitizer and
# UndefinedBehaviorSanitizer in build-san/: any report fails the run.
# valgrind cannot run such a binary, so tests/cli/memory.sh skips itself.
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
          UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# FORTIFY's checked libc calls would hide accesses from the sanitizers.
SAN_MAKE = $(MAKE) CC=clang B=$(SB) BIN=$(SB)/mlcoach HARDEN_CPPFLAGS=-U_FORTIFY_SOURCE
SB = build-san
sanitize: deps deps-clang
	$(SAN_MAKE) EXTRA_CFLAGS="$(SAN) -Werror" EXTRA_LDFLAGS="$(SAN)" \
	    $(SB)/mlcoach $(TESTS:%=$(SB)/%) $(REPLAYS:%=$(SB)/%) $(SB)/libfault.so
	$(SAN_ENV) SANITIZED=1 MLCOACH=$(CURDIR)/$(SB)/mlcoach BUILD_DIR=$(CURDIR)/$(SB) \
	    tests/run.sh $(TESTS:%=$(SB)/%)

# libFuzzer: run every target in FUZZ_TARGETS for FUZZ_SECONDS each, from
# its seeds in tests/fuzz/corpus/ (what it learns stays in build-fuzz/).
# A crash stops the run and leaves the input in build-fuzz/; keep it in
# tests/fuzz/regressions/TARGET/ once fixed.
FUZZ_SECONDS = 60
FB = build-fuzz
# -close_fd_mask=2 silences the messages a target's code writes on stderr
# (a damaged personal file is reported on every run); libFuzzer's own output
# and the sanitizers' reports still come through.
FUZZ_FLAGS = -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
             -close_fd_mask=2
fuzz: deps deps-clang
	$(SAN_MAKE) B=$(FB) BIN=$(FB)/mlcoach EXTRA_CFLAGS="$(SAN) -fsanitize=fuzzer-no-link" \
	    EXTRA_LDFLAGS="$(SAN)" $(FUZZ_TARGETS:%=$(FB)/%)
	for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FB)/corpus/$$t; \
	    dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	    $(FB)/$$t $(FUZZ_FLAGS) $$dict -artifact_prefix=$(FB)/$$t- \
	        $(FB)/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

deps-clang:
	@tools/deps.sh clang libclang-rt-14-dev

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
	rm -rf build-san build-fuzz

.PHONY: all deps deps-clang run test bench sanitize fuzz check-knowledge eval install \
        uninstall clean clean-objects
