// SPDX-License-Identifier: MIT
/*
 * test_scenario_parse.c - unit tests of the scenario lexer and parser
 * (src/scenario/parse.c, diag.c): the fields of a parsed scenario, error
 * positions and messages, the gcc-style error print, the lexical helpers,
 * and robustness under truncation and mutation (run under ASan by
 * `make check-san`).  TAP output; exit status 1 if any test failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/scenario_int.h"

static int tests, failed;

static void ok(int cond, const char *fmt, const char *arg)
{
	tests++;
	if (!cond)
		failed++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	printf(fmt, arg);
	printf("\n");
}

static const char valid[] =
	"# a comment line\n"
	"scenario splice+import.v2   # trailing comment\n"
	"question \"Can the \\\"NIC\\\" read p?\"\n"
	"source \"LKML 2020-04-29\"\n"
	"profile linux-5.7\n"
	"knob splice_hook = on\n"
	"knob freeze_check=at_least\n"
	"world\n"
	"\tpage p refs=2 data=\"hello world\"\n"
	"  file f\n"
	"end\n"
	"thread cpu0\n"
	"  splice_read f p 0x10\n"
	"end\n"
	"thread guest\n"
	"  guest_import p\n"
	"  guest_import p\n"
	"end\n"
	"bound executions 1000\n"
	"bound preemptions 2\n"
	"expect violation INV-01\n";

static void test_valid(void)
{
	struct scenario *scn;
	struct scn_diag d;
	int rc = scenario_parse("v.pvs", valid, strlen(valid), &scn, &d);

	ok(rc == 0, "valid scenario parses%s", rc ? d.msg : "");
	if (rc)
		return;
	ok(strcmp(scn->name.s, "splice+import.v2") == 0, "scenario name%s", "");
	ok(scn->name.pos.line == 2 && scn->name.pos.col == 10, "name position%s", "");
	ok(strcmp(scn->question.s, "Can the \"NIC\" read p?") == 0, "question with escapes%s", "");
	ok(strcmp(scn->source.s, "LKML 2020-04-29") == 0, "source%s", "");
	ok(strcmp(scn->profile.s, "linux-5.7") == 0, "profile%s", "");
	ok(scn->nknobs == 2 && strcmp(scn->knobs[0].name.s, "splice_hook") == 0 &&
	   strcmp(scn->knobs[0].value.s, "on") == 0, "knob with spaces around =%s", "");
	ok(strcmp(scn->knobs[1].name.s, "freeze_check") == 0 &&
	   strcmp(scn->knobs[1].value.s, "at_least") == 0, "knob without spaces%s", "");
	ok(scn->ndecls == 2, "two world objects%s", "");
	ok(strcmp(scn->decls[0].kind.s, "page") == 0 && strcmp(scn->decls[0].name.s, "p") == 0 &&
	   scn->decls[0].nkv == 2, "page declaration%s", "");
	ok(strcmp(scn->decls[0].val[1].s, "hello world") == 0, "quoted value%s", "");
	ok(scn->decls[0].kv_pos[0].line == 9 && scn->decls[0].kv_pos[0].col == 9 &&
	   scn->decls[0].kv_pos[0].len == 6, "key=value position covers the pair%s", "");
	ok(scn->decls[1].nkv == 0, "declaration without keys%s", "");
	ok(scn->nthreads == 2 && scn->threads[1].nops == 2, "threads and ops%s", "");
	ok(scn->threads[0].ops[0].nargs == 3 &&
	   strcmp(scn->threads[0].ops[0].arg[2].s, "0x10") == 0, "op arguments%s", "");
	ok(scn->bounds.executions == 1000 && scn->bounds.preemptions == 2 &&
	   scn->bounds.depth == -1 && scn->bounds.steps == -1, "bounds%s", "");
	ok(scn->expect.kind == SCN_EXPECT_VIOLATION && strcmp(scn->expect.id, "INV-01") == 0,
	   "expect violation INV-01%s", "");
	ok(scn->hash == scn_hash(valid, strlen(valid)), "content hash%s", "");
	scenario_free(scn);
}

/* 'expect' with a set of findings: each item, in the order written. */
static void test_expect_set(void)
{
	static const char text[] = "scenario a\nquestion \"q\"\nprofile linux-5.7\nworld\nend\n"
				   "thread t\n  x\nend\nexpect violation INV-03 INV-05 deadlock\n";
	struct scenario *scn = NULL;
	struct scn_diag d;
	char desc[128];

	ok(scenario_parse("set.pvs", text, strlen(text), &scn, &d) == 0,
	   "expect set parses%s", "");
	if (!scn)
		return;
	ok(scn->expect.nset == 3 && scn->expect.kind == SCN_EXPECT_VIOLATION &&
	   strcmp(scn->expect.set[0].id, "INV-03") == 0 &&
	   strcmp(scn->expect.set[1].id, "INV-05") == 0 &&
	   scn->expect.set[2].kind == SCN_EXPECT_DEADLOCK, "three items in order%s", "");
	ok(strcmp(scenario_expect_desc(scn, desc, sizeof(desc)),
		  "violation INV-03 INV-05 deadlock") == 0, "set described as written%s", "");
	scenario_free(scn);
}

/*
 * 'expect no-progress [CLASS]': the fairness class of each (doc/scenarios.md);
 * a plain 'no-progress' is the unconditional class.
 */
static void test_expect_no_progress_class(void)
{
	static const char text[] = "scenario a\nquestion \"q\"\nprofile linux-5.7\nworld\nend\n"
				   "thread t\n  x\nend\nexpect no-progress firmware no-progress\n";
	struct scenario *scn = NULL;
	struct scn_diag d;
	char desc[128];

	ok(scenario_parse("np.pvs", text, strlen(text), &scn, &d) == 0,
	   "no-progress classes parse%s", "");
	if (!scn)
		return;
	ok(scn->expect.nset == 2 && scn->expect.set[0].kind == SCN_EXPECT_NO_PROGRESS &&
	   strcmp(scn->expect.set[0].id, "firmware") == 0 &&
	   scn->expect.set[1].kind == SCN_EXPECT_NO_PROGRESS &&
	   strcmp(scn->expect.set[1].id, "unconditional") == 0,
	   "two classes, in order%s", "");
	ok(strcmp(scenario_expect_desc(scn, desc, sizeof(desc)),
		  "no-progress firmware no-progress") == 0, "classes described as written%s", "");
	scenario_free(scn);
}

struct err_case {
	const char *text;
	int line, col;
	const char *msg;
};

static const struct err_case errs[] = {
	{ "", 1, 1, "empty scenario: expected 'scenario NAME'" },
	{ "question \"x\"\n", 1, 1, "expected 'scenario NAME' as the first statement" },
	{ "scenario a\nscenario b\n", 2, 1, "duplicate 'scenario' (first at line 1)" },
	{ "scenario a\nquestion \"x\n", 2, 10, "missing terminating '\"' character" },
	{ "scenario a\nworld\n  page p k\nend\n", 3, 10, "expected key=value, got 'k'" },
	{ "scenario a\nthread t\nend\n", 3, 1, "thread 't' has no operations" },
	{ "scenario a\nexpect unsafe\n", 2, 8, "unknown expectation 'unsafe'; did you mean 'safe'?" },
	{ "scenario a\nexpect maybe\n", 2, 8, "unknown expectation 'maybe' (one of: safe, violation, deadlock, no-progress)" },
	{ "scenario a\nbound steps 99999999999\n", 2, 13, "expected a non-negative number, got '99999999999'" },
	{ "scenario a\nworld\n  page p\n", 2, 1, "'world' block is never closed with 'end'" },
	{ "scenario a\r\nquestion \"q\"\r\nprofile linux-5.7\r\nworld\r\nend\r\nthread t\r\n  x\r\nend\r\nexpect deadlock now\r\n",
	  9, 17, "unexpected 'now' after 'expect deadlock'" },
	{ "scenario a\nexpect violation INV-03 INV-03\n", 2, 25, "'INV-03' named twice" },
	{ "scenario a\nexpect no-progress no-progress unconditional\n", 2, 20,
	  "'no-progress unconditional' named twice" },
	{ "scenario a\nexpect violation INV-03 violation INV-05\n", 2, 25,
	  "'violation' given twice: list its ids after one 'violation'" },
	{ "scenario a\nexpect violation deadlock\n", 2, 18,
	  "expected a property id such as INV-01 after 'violation'" },
	{ "scenario a\nexpect deadlock INV-01\n", 2, 17, "unexpected 'INV-01' after 'expect deadlock'" },
	{ "scenario a\nexpect violation INV-01 safe\n", 2, 25,
	  "'safe' cannot be part of a set of findings" },
};

static void test_errors(void)
{
	char name[64];

	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		struct scenario *scn;
		struct scn_diag d;
		int rc = scenario_parse("e.pvs", errs[i].text, strlen(errs[i].text), &scn, &d);
		snprintf(name, sizeof(name), "error case %zu", i);
		ok(rc == -1 && scn == NULL, "%s is refused", name);
		ok(d.line == errs[i].line && d.col == errs[i].col, "%s position", name);
		ok(strcmp(d.msg, errs[i].msg) == 0, "%s message", name);
		if (strcmp(d.msg, errs[i].msg) != 0 || d.line != errs[i].line || d.col != errs[i].col)
			printf("# got %d:%d: %s\n", d.line, d.col, d.msg);
	}
}

static void test_diag_print(void)
{
	const char *text = "scenario a\n\tquestion x\n";
	struct scenario *scn;
	struct scn_diag d;
	char *buf = NULL;
	size_t n = 0;
	FILE *m;

	scenario_parse("p.pvs", text, strlen(text), &scn, &d);
	m = open_memstream(&buf, &n);
	scn_diag_print(&d, m);
	fclose(m);
	ok(strcmp(buf, "p.pvs:2:11: error: expected the question in double quotes\n"
		       "    2 | \tquestion x\n"
		       "      | \t         ^\n") == 0, "gcc-style print with a tab%s", "");
	free(buf);

	scn_diag_set(&d, "f.pvs", NULL, 0, NULL, "cannot open: %s", "No such file");
	m = open_memstream(&buf, &n);
	scn_diag_print(&d, m);
	fclose(m);
	ok(strcmp(buf, "f.pvs: error: cannot open: No such file\n") == 0, "print without position%s", "");
	free(buf);
}

static const char *get_word(int i, const void *arg)
{
	return ((const char *const *)arg)[i];
}

static void test_helpers(void)
{
	static const char *const words[] = { "splice_read", "gup_fast_pin", "guest_import", "writeback" };
	int64_t v;

	ok(scn_parse_int("42", 100, &v) && v == 42, "decimal%s", "");
	ok(scn_parse_int("0x1F", 100, &v) && v == 31, "hex%s", "");
	ok(!scn_parse_int("0x", 100, &v), "bare 0x refused%s", "");
	ok(!scn_parse_int("101", 100, &v), "over the maximum refused%s", "");
	ok(!scn_parse_int("-1", 100, &v), "negative refused%s", "");
	ok(!scn_parse_int("99999999999999999999999", INT64_MAX, &v), "overflow refused%s", "");
	ok(scn_is_ident("p_1.x+y-z") && !scn_is_ident("1p") && !scn_is_ident(""), "identifiers%s", "");
	ok(scn_edit_distance("splice_raed", "splice_read") == 1, "edit distance counts a swap as one%s", "");
	const char *s = scn_suggest("splice_raed", 4, get_word, words);
	ok(s && strcmp(s, "splice_read") == 0, "suggestion for a typo%s", "");
	ok(scn_suggest("zzz", 4, get_word, words) == NULL, "no suggestion when far%s", "");
}

/* Every prefix and many mutations parse or fail cleanly (ASan watches). */
static void test_robust(void)
{
	size_t len = strlen(valid);
	char *buf = malloc(len + 1);
	uint64_t rnd = 12345;
	int clean = 1;

	for (size_t n = 0; n <= len; n++) {
		struct scenario *scn;
		struct scn_diag d;
		memcpy(buf, valid, n);
		if (scenario_parse("t", buf, n, &scn, &d) == 0)
			scenario_free(scn);
		else if (!d.msg[0])
			clean = 0;
	}
	ok(clean, "every prefix parses or has a message%s", "");
	clean = 1;
	for (int i = 0; i < 3000; i++) {
		struct scenario *scn;
		struct scn_diag d;
		memcpy(buf, valid, len);
		for (int k = 0; k < 4; k++) {
			rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
			buf[(rnd >> 33) % len] = (char)(rnd >> 8);
		}
		if (scenario_parse("t", buf, len, &scn, &d) == 0)
			scenario_free(scn);
		else if (!d.msg[0] || d.line < 0)
			clean = 0;
	}
	ok(clean, "3000 mutations parse or have a message%s", "");
	free(buf);

	/* a huge single line and a huge string */
	size_t big = 1 << 20;
	char *huge = malloc(big);
	struct scenario *scn;
	struct scn_diag d;
	memset(huge, 'a', big);
	ok(scenario_parse("t", huge, big, &scn, &d) == -1 && d.line == 1, "1 MiB word%s", "");
	memcpy(huge, "scenario a\nquestion \"", 21);
	ok(scenario_parse("t", huge, big, &scn, &d) == -1 && d.line == 2, "1 MiB unterminated string%s", "");
	huge[big - 1] = '"';
	ok(scenario_parse("t", huge, big, &scn, &d) == -1 &&
	   strcmp(d.msg, "scenario 'a' has no 'profile' line") == 0, "1 MiB string%s", "");
	free(huge);
}

int main(void)
{
	test_valid();
	test_expect_set();
	test_expect_no_progress_class();
	test_errors();
	test_diag_print();
	test_helpers();
	test_robust();
	printf("1..%d\n", tests);
	return failed ? 1 : 0;
}
