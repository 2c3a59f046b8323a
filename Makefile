# pvcheck - single, non-recursive Makefile.
#   make deps       install the Debian packages the build and tests need
#                   (scripts/deps.sh; apt-get, sudo when not root)
#   make            build ./pvcheck
#   make run        deps, build, and check the built-in catalog
#   make check-quick  unit tests, the catalog, the scenario and CLI suites
#                   (about a minute; doc/development.md)
#   make check      everything: unit tests, the catalog, every suite,
#                   header self-containment, symbol check, and the
#                   address+undefined sanitizer build of the same
#   make bench      benchmarks (never fails; prints figures)
#   make fuzz [FUZZ_TIME=60]  libFuzzer on the parser, binder, trace reader
#   make fuzz-model [FUZZ_MODEL_TIME=60]  libFuzzer on generated scenarios
#                   run through the model (bind + explore, ASan+UBSan)
#   make debug      -Og -g3 -DPVM_DEBUG build in build-debug/
#   make SANITIZE=address,undefined   sanitizer build in build-san/
#   make WERROR=1   warnings as errors (CI)

CC      ?= cc
BUILD   ?= build
SANITIZE ?=
WERROR  ?=

WARN    := -Wall -Wextra -Wshadow -Wundef -Wstrict-prototypes -Wmissing-prototypes \
           -Wold-style-definition -Wwrite-strings -Wvla -Wimplicit-fallthrough \
           -Wno-unused-parameter
CSTD    := -std=c11 -D_GNU_SOURCE
OPT     ?= -O2 -g
CFLAGS  += $(CSTD) $(OPT) $(WARN) -Isrc -MMD -MP
LDLIBS  += -ljansson -ldl -lm -lxxhash
LDFLAGS += -rdynamic

ifneq ($(WERROR),)
CFLAGS  += -Werror
endif

ifneq ($(SANITIZE),)
comma := ,
ifneq ($(filter-out address undefined address$(comma)undefined undefined$(comma)address,$(SANITIZE)),)
$(error SANITIZE must be address, undefined or address,undefined; got '$(SANITIZE)')
endif
CFLAGS  += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif

# Every .c under src/ is part of the product; src/cli/main.c holds main().
# src/runc/rt/ is compiled into user programs by `pvcheck run`, not here.
SRCS     := $(sort $(shell find src -name '*.c' -not -path 'src/runc/rt/*'))
LIB_SRCS := $(filter-out src/cli/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
# The built-in catalog: scenarios/catalog/*.pvs embedded into a generated C
# file (scripts/embed-catalog.sh), linked like any other library object.
CATALOG     := $(sort $(wildcard scenarios/catalog/*.pvs))
CATALOG_C   := $(BUILD)/gen/catalog.c
CATALOG_OBJ := $(BUILD)/gen/catalog.o
LIB_OBJS    += $(CATALOG_OBJ)
# The user-path header include/pvcheck/kernel.h, embedded the same way
# (src/paths writes it out for the compiler).
KERNEL_H_C   := $(BUILD)/gen/kernel_h.c
KERNEL_H_OBJ := $(BUILD)/gen/kernel_h.o
LIB_OBJS     += $(KERNEL_H_OBJ)
MAIN_OBJ := $(BUILD)/src/cli/main.o
ASM_SRCS := $(sort $(wildcard src/check/*.S))
ASM_OBJS := $(ASM_SRCS:%.S=$(BUILD)/%.o)

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# The generated-scenario property test (tests/genmodel/run.sh, a suite: it
# runs in make check and its san pass, not in check-quick).
GEN_PROP  := $(BUILD)/tests/gen_prop

PVCHECK := $(if $(filter build,$(BUILD)),pvcheck,$(BUILD)/pvcheck)

.PHONY: all deps run check check-quick unit suites test-bins check-headers \
        check-symbols check-san bench debug clean

all: $(PVCHECK)

$(PVCHECK): $(LIB_OBJS) $(ASM_OBJS) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(CATALOG_C): $(CATALOG) scripts/embed-catalog.sh $(wildcard scenarios/catalog)
	@mkdir -p $(dir $@)
	sh scripts/embed-catalog.sh $@ $(CATALOG)

$(CATALOG_OBJ): $(CATALOG_C)
	$(CC) $(CFLAGS) -c -o $@ $<

$(KERNEL_H_C): include/pvcheck/kernel.h scripts/embed-file.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-file.sh $@ pv_kernel_h include/pvcheck/kernel.h

$(KERNEL_H_OBJ): $(KERNEL_H_C)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(CFLAGS)) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) $(ASM_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(ASM_OBJS) $(LDLIBS)

$(GEN_PROP): tests/genmodel/gen_prop.c $(LIB_OBJS) $(ASM_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(ASM_OBJS) $(LDLIBS)

# ---- set-up ----------------------------------------------------------------
# make deps: the one list of packages is scripts/deps.sh (.ci/run calls it).
deps:
	@sh scripts/deps.sh

# make run: what the README's first command does, from a fresh clone.
run: deps
	@$(MAKE) --no-print-directory all
	./$(PVCHECK)

# ---- tests ---------------------------------------------------------------
# The tiers run in scripts/run-tests.sh, one part after another, so that no
# two parts' output interleave even under make -j; it prints one line per
# part and ends with "N passed, N failed" over every check.
test-bins: $(PVCHECK) $(UNIT_BINS) $(GEN_PROP)

unit: $(UNIT_BINS)
	@sh scripts/run-unit.sh $(UNIT_BINS)

# Every tests/<area>/run.sh is a suite: it gets the pvcheck binary as $$1.
suites: $(PVCHECK)
	@sh scripts/run-suites.sh ./$(PVCHECK)

check-quick: test-bins
	@sh scripts/run-tests.sh quick ./$(PVCHECK) $(UNIT_BINS)

check: test-bins build/audit/pvaudit build/audit/test_model_paths
	@CC="$(CC)" CSTD="$(CSTD)" LIB_OBJS="$(LIB_OBJS)" MAKE="$(MAKE)" \
		sh scripts/run-tests.sh full ./$(PVCHECK) $(UNIT_BINS)

check-san:
	@MAKE="$(MAKE)" sh scripts/run-tests.sh san ./$(PVCHECK)

check-headers:
	@sh scripts/check-headers.sh $(CC) "$(CSTD) -Isrc"

check-symbols: $(PVCHECK)
	@sh scripts/check-symbols.sh $(LIB_OBJS)

bench: $(PVCHECK)
	@sh scripts/bench.sh ./$(PVCHECK)

debug:
	$(MAKE) --no-print-directory BUILD=build-debug OPT='-Og -g3 -DPVM_DEBUG' all

clean:
	rm -rf build build-san build-debug pvcheck

.PHONY: mutants
# make mutants: each guard of the model removed in turn, scored by the
# catalog alone with default options (scripts/mutants.sh)
mutants: $(PVCHECK)
	@sh scripts/mutants.sh ./$(PVCHECK)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d)

# ---- fuzzing (tests/fuzz/run.sh; issue 7) ----------------------------------
# make fuzz [FUZZ_TIME=60]: build the libFuzzer harnesses with clang
# (address+undefined) in build/fuzz/ and run each for FUZZ_TIME seconds;
# fails on any crash.  Not part of `make check` (which replays only the
# regression inputs in tests/fuzz/regress, through the suites).
FUZZ_TIME ?= 60
.PHONY: fuzz fuzz-model
fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_TIME)
# make fuzz-model [FUZZ_MODEL_TIME=60]: the harness that runs the model
# (tests/fuzz/fuzz_model.c; issue 18): libFuzzer's bytes choose a scenario
# generated from the model's tables (src/scenario/gen.c), which is bound and
# explored (DPOR, then stateful where DPOR completed; 200 executions, 2 s) under
# ASan+UBSan, for FUZZ_MODEL_TIME seconds; fails on any crash, sanitizer
# report or verdict disagreement.  Corpus: build/fuzz/corpus-model/.
FUZZ_MODEL_TIME ?= 60
fuzz-model:
	@FUZZ_HARNESSES=model sh tests/fuzz/run.sh $(FUZZ_MODEL_TIME)
# ---- end of fuzzing ----------------------------------------------------------

# ---- golden reports (tests/reports/run.sh; issue 6) -------------------------
# make golden: rewrite tests/reports/golden/NAME.txt, the condensed report of
# every catalog scenario that expects a finding, golden/examples/ (a safe
# scenario's --example report), and README.md's catalog
# table (scripts/readme-catalog.py), from the current build; review the
# diff before committing.  `make check` compares (via suites).
.PHONY: golden
golden: $(PVCHECK)
	@UPDATE=1 sh tests/reports/run.sh ./$(PVCHECK)
	@python3 scripts/readme-catalog.py ./$(PVCHECK) README.md
# ---- end of golden reports -------------------------------------------------

# ---- model audit (tests/audit; issue 7) ------------------------------------
# make audit: find unannounced dependencies in the model.  The model rooms are
# compiled again with -fsanitize=thread into build/audit/ (GCC then calls
# __tsan_readN/__tsan_writeN before every plain access) and linked, without
# src/runc (which defines the same callbacks for `pvcheck run`) and without
# libtsan, with tests/audit/audit_rt.c, which records per step the bytes of
# the world each step reads and writes and reports two steps of different
# threads touching the same byte (one writing) that the engine does not
# order.  Runs the catalog, tests/scenarios/*.pvs and the unit-test worlds of
# tests/unit/test_model_paths.c, test_model_mkclean.c, test_model_migrate.c,
# test_model_follget.c, test_model_lifecycle.c and test_model_iov_iter.c.  AUDIT_MAX: DPOR executions per order.
AUDIT_DIR    := build/audit
AUDIT_MAX    ?= 20000
AUDIT_ROOMS  := $(filter src/mm/% src/net/% src/uv/% src/dev/% src/guest/% src/inv/% src/model/%,$(LIB_SRCS))
AUDIT_MOBJS  := $(AUDIT_ROOMS:%.c=$(AUDIT_DIR)/%.o)
AUDIT_REST   := $(filter-out $(AUDIT_ROOMS:%.c=$(BUILD)/%.o) $(BUILD)/src/runc/% $(BUILD)/src/cli/%,$(LIB_OBJS)) $(ASM_OBJS)
AUDIT_CFLAGS := $(CSTD) -O1 -g $(WARN) -Isrc -Itests/audit -MMD -MP
AUDIT_TSAN   := -fsanitize=thread --param=tsan-instrument-func-entry-exit=0
.PHONY: audit
$(AUDIT_DIR)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(AUDIT_CFLAGS) $(AUDIT_TSAN) -c -o $@ $<
$(AUDIT_DIR)/audit_rt.o: tests/audit/audit_rt.c tests/audit/audit.h
	@mkdir -p $(dir $@)
	$(CC) $(AUDIT_CFLAGS) -c -o $@ $<
$(AUDIT_DIR)/pvaudit: tests/audit/audit_main.c $(AUDIT_DIR)/audit_rt.o $(AUDIT_MOBJS) $(AUDIT_REST)
	$(CC) $(AUDIT_CFLAGS) -o $@ $^ $(LDLIBS)
$(AUDIT_DIR)/test_model_paths: tests/unit/test_model_paths.c $(AUDIT_DIR)/audit_rt.o $(AUDIT_MOBJS) $(AUDIT_REST)
	$(CC) $(AUDIT_CFLAGS) -DPVM_AUDIT -Itests/unit -o $@ $^ $(LDLIBS)
$(AUDIT_DIR)/test_model_mkclean: tests/unit/test_model_mkclean.c $(AUDIT_DIR)/audit_rt.o $(AUDIT_MOBJS) $(AUDIT_REST)
	$(CC) $(AUDIT_CFLAGS) -DPVM_AUDIT -Itests/unit -o $@ $^ $(LDLIBS)
$(AUDIT_DIR)/test_model_migrate: tests/unit/test_model_migrate.c $(AUDIT_DIR)/audit_rt.o $(AUDIT_MOBJS) $(AUDIT_REST)
	$(CC) $(AUDIT_CFLAGS) -DPVM_AUDIT -Itests/unit -o $@ $^ $(LDLIBS)
$(AUDIT_DIR)/test_model_follget: tests/unit/test_model_follget.c $(AUDIT_DIR)/audit_rt.o $(AUDIT_MOBJS) $(AUDIT_REST)
	$(CC) $(AUDIT_CFLAGS) -DPVM_AUDIT -Itests/unit -o $@ $^ $(LDLIBS)
$(AUDIT_DIR)/test_model_lifecycle: tests/unit/test_model_lifecycle.c $(AUDIT_DIR)/audit_rt.o $(AUDIT_MOBJS) $(AUDIT_REST)
	$(CC) $(AUDIT_CFLAGS) -DPVM_AUDIT -Itests/unit -o $@ $^ $(LDLIBS)
$(AUDIT_DIR)/test_model_iov_iter: tests/unit/test_model_iov_iter.c $(AUDIT_DIR)/audit_rt.o $(AUDIT_MOBJS) $(AUDIT_REST)
	$(CC) $(AUDIT_CFLAGS) -DPVM_AUDIT -Itests/unit -o $@ $^ $(LDLIBS)
AUDIT_GEN    ?= 300
AUDIT_BINS   := $(AUDIT_DIR)/pvaudit $(AUDIT_DIR)/test_model_paths $(AUDIT_DIR)/test_model_mkclean \
		$(AUDIT_DIR)/test_model_migrate $(AUDIT_DIR)/test_model_follget \
		$(AUDIT_DIR)/test_model_lifecycle $(AUDIT_DIR)/test_model_iov_iter
audit: $(AUDIT_BINS)
	@sh tests/audit/audit.sh $(AUDIT_DIR) $(AUDIT_MAX) $(AUDIT_GEN)
-include $(AUDIT_MOBJS:.o=.d) $(AUDIT_DIR)/audit_rt.d
# ---- end of model audit ------------------------------------------------------
