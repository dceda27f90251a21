/* test_render.c -- wrapping, control characters, text and JSON replies. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "render.h"
#include "reply.h"

static const char *wrap(const char *text, unsigned width, unsigned indent)
{
    static struct sbuf out;

    sbuf_reset(&out);
    render_wrap(&out, text, width, indent);
    return out.s ? out.s : "";
}

static void test_wrap(void **state)
{
    (void)state;
    assert_string_equal(wrap("one two three four", 9, 0), "one two\nthree\nfour\n");
    /* Lines in a paragraph are joined; a blank line starts a new one. */
    assert_string_equal(wrap("a\nb\n\nc\n", 0, 0), "a b\n\nc\n");
    /* Items start a new line. */
    assert_string_equal(wrap("Do this:\n- one\n- two\n", 0, 0), "Do this:\n- one\n- two\n");
    assert_string_equal(wrap("ab cd", 0, 2), "  ab cd\n");
    /* A word wider than a line is cut at the width (a regex in /why), under
     * the indent; whole characters only. */
    assert_string_equal(wrap("abcdefghij", 4, 0), "abcd\nefgh\nij\n");
    assert_string_equal(wrap("ab cdefghij", 6, 2), "  ab\n  cdef\n  ghij\n");
    assert_string_equal(wrap("\xC3\xA9\xC3\xA9\xC3\xA9", 2, 0), "\xC3\xA9\xC3\xA9\n\xC3\xA9\n");
    /* Width counts characters, not bytes: "ééé éé" is 6 columns (11 bytes). */
    assert_string_equal(wrap("\xC3\xA9\xC3\xA9\xC3\xA9 \xC3\xA9\xC3\xA9", 6, 0),
                        "\xC3\xA9\xC3\xA9\xC3\xA9 \xC3\xA9\xC3\xA9\n");
    assert_string_equal(wrap("\xC3\xA9\xC3\xA9\xC3\xA9 \xC3\xA9\xC3\xA9", 5, 0),
                        "\xC3\xA9\xC3\xA9\xC3\xA9\n\xC3\xA9\xC3\xA9\n");
    /* Words that take no columns (invalid bytes) still end with a newline:
     * callers drop it to put a colour reset before it. */
    assert_string_equal(wrap("\xA5\xA5 \xA5", 10, 0), "\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\n");
    /* Spaces between the words of one line are kept, so table columns
     * line up; where a line wraps they go; joined lines get one space. */
    assert_string_equal(wrap("  /help      list", 0, 0), "/help      list\n");
    assert_string_equal(wrap("ab     cd ef", 8, 0), "ab\ncd ef\n");
    assert_string_equal(wrap("ab\ncd", 0, 0), "ab cd\n");
    /* Wide characters take two columns: four CJK ideographs are 8. */
    assert_string_equal(wrap("\xE4\xBD\xA0\xE5\xA5\xBD \xE4\xBD\xA0\xE5\xA5\xBD", 8, 0),
                        "\xE4\xBD\xA0\xE5\xA5\xBD\n\xE4\xBD\xA0\xE5\xA5\xBD\n");
}

static void test_control_characters_neutralised(void **state)
{
    (void)state;
    assert_string_equal(wrap("red \033[31mtext\a", 0, 0), "red ?[31mtext?\n");
    /* C1 controls (here CSI, U+009B) act on terminals too; DEL is no text. */
    assert_string_equal(wrap("a\xC2\x9B" "31mb \x7F \xC2\xA0", 0, 0), "a?31mb ? \xC2\xA0\n");
    /* Invalid UTF-8 (a stray byte, an overlong '/', a surrogate) becomes
     * U+FFFD, one per byte, so no raw byte reaches a terminal. */
    assert_string_equal(wrap("l\xA3" "earn \xC0\xAF \xED\xA0\x80", 0, 0),
                        "l\xEF\xBF\xBD" "earn \xEF\xBF\xBD\xEF\xBF\xBD "
                        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\n");
    /* Bidi controls (U+202E, U+2067, U+200F, U+061C) would reorder the
     * rest of the line on screen. */
    assert_string_equal(wrap("a\xE2\x80\xAE" "b \xE2\x81\xA7" "c\xE2\x80\x8F \xD8\x9C" "d", 0, 0),
                        "a?b ?c? ?d\n");
}

/* A reply for the fixture's first entry, answered. */
static struct kb *kb;

static int setup(void **state)
{
    (void)state;
    kb = load_fixture();
    return kb ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kb_free(kb);
    return 0;
}

static char *capture(int json, const struct reply *rep, const struct render_opts *o)
{
    FILE *f = tmpfile();
    char *buf;
    long len;

    assert_non_null(f);
    assert_int_equal(json ? render_json(f, rep) : render_text(f, rep, o), 0);
    len = ftell(f);
    buf = calloc(1, (size_t)len + 1);
    rewind(f);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    return buf;
}

static void answered_reply(struct reply *rep, struct match_result *r, enum kb_level level)
{
    memset(r, 0, sizeof *r);
    r->answered = 1;
    r->confidence = 0.8765;
    r->ntop = 1;
    r->top[0].entry = kb_entry_find(kb, "mentorship.become");
    reply_build(kb, r, "how do I \"mentor\"?", level, rep);
}

static void test_json_keys(void **state)
{
    struct match_result r;
    struct reply rep;
    char *out;
    json_t *j, *src;
    json_error_t err;

    (void)state;
    answered_reply(&rep, &r, KB_LEVEL_SENIOR);
    out = capture(1, &rep, NULL);
    assert_non_null(strchr(out, '\n'));
    assert_int_equal(strchr(out, '\n')[1], '\0'); /* exactly one line */
    j = json_loads(out, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "question")), "how do I \"mentor\"?");
    assert_true(json_is_true(json_object_get(j, "answered")));
    assert_string_equal(json_string_value(json_object_get(j, "intent")), "mentorship.become");
    assert_string_equal(json_string_value(json_object_get(j, "topic")), "mentorship");
    assert_string_equal(json_string_value(json_object_get(j, "level")), "senior");
    assert_true(json_real_value(json_object_get(j, "confidence")) == 0.877);
    assert_string_equal(json_string_value(json_object_get(j, "answer")),
                        "Guide the juniors on your team.");
    src = json_object_get(j, "sources");
    assert_int_equal(json_array_size(src), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(src, 1), "doc")), "doc");
    assert_string_equal(json_string_value(json_object_get(json_array_get(src, 1), "title")),
                        "A Test Document");
    assert_string_equal(json_string_value(json_object_get(json_array_get(src, 1), "section")),
                        "Section Two");
    assert_int_equal(json_array_size(json_object_get(j, "related")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "suggestions")), 0);
    json_decref(j);
    free(out);
}

static void test_json_unanswered_and_bad_utf8(void **state)
{
    struct match_result r = {0};
    struct reply rep;
    char *out;
    json_t *j;

    (void)state;
    r.norm = "";
    reply_build(kb, &r, "caf\xC3 pasta", KB_LEVEL_ANY, &rep);
    out = capture(1, &rep, NULL);
    j = json_loads(out, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "question")), "caf\xEF\xBF\xBD pasta");
    assert_true(json_is_false(json_object_get(j, "answered")));
    assert_true(json_is_null(json_object_get(j, "intent")));
    assert_true(json_is_null(json_object_get(j, "topic")));
    assert_string_equal(json_string_value(json_object_get(j, "level")), "any");
    /* Nothing was close, so the starting points fill all three places. */
    assert_int_equal(json_array_size(json_object_get(j, "suggestions")), 3);
    json_decref(j);
    free(out);
}

/* want as render_json_dump(JSON_ENCODE_ANY | JSON_REAL_PRECISION(3))
 * writes it, without the newline: jansson's bytes with DEL and C1 escaped. */
static char *dumped(json_t *want)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    assert_int_equal(render_json_dump(f, want, JSON_ENCODE_ANY | JSON_REAL_PRECISION(3)), 0);
    assert_int_equal(fclose(f), 0);
    assert_true(len > 0 && text[len - 1] == '\n');
    text[len - 1] = '\0';
    return text;
}

/* render_json() writes its own JSON; it must be the bytes the one jansson
 * writer (render_json_dump) gives. Compare the field after "key": in
 * render_json's output with that dump of want (consumed). */
static void assert_field_as_jansson(const struct reply *rep, const char *key, json_t *want)
{
    char *out = capture(1, rep, NULL), *text = dumped(want);
    char *at = strstr(out, key);

    assert_non_null(at);
    at += strlen(key);
    if (strncmp(at, text, strlen(text)) != 0 || at[strlen(text)] != ',')
        fail_msg("%s wrote %.40s, jansson %s", key, at, text);
    free(text);
    free(out);
}

/* jansson writes DEL and C1 controls raw; a terminal acts on C1 (U+009B is
 * CSI), and the README promises both escaped. */
static void test_json_dump_escapes_c1_and_del(void **state)
{
    char *text;

    (void)state;
    text = dumped(json_pack("{s:s}", "q", "a\xC2\x9B" "31m\x7F\xC2\x80\xC2\x9F\xC2\xA0z"));
    assert_string_equal(text, "{\"q\": \"a\\u009B31m\\u007F\\u0080\\u009F\xC2\xA0z\"}");
    free(text);
    /* Escaped as JSON, so a reader gets the same text back. */
    text = dumped(json_string("\xC2\x9B\x7F"));
    assert_string_equal(text, "\"\\u009B\\u007F\"");
    free(text);
}

static void test_json_bytes_as_jansson(void **state)
{
    static const char *const valid[] = {
        "caf\xC3\xA9", "\xE2\x82\xAC 5", "\xF0\x9D\x84\x9E", "C1 \302\23331m",
        "tab\tnl\ncr\rbs\bff\fesc\033del\x7F", "q\"b\\s/",
    };
    static const struct {
        const char *in, *json;
    } invalid[] = {
        {"a\xC3", "\"a\xEF\xBF\xBD\""},                               /* cut short */
        {"\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},               /* overlong '/' */
        {"\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""}, /* surrogate */
        {"\xF4\x90\x80\x80!", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!\""},
    };
    static const double reals[] = {0.8765, 1234.5678, 999.9996, 1e7, 0.00049, 0.0005, -0.0001};
    struct match_result r;
    struct reply rep;
    char q[4];

    (void)state;
    answered_reply(&rep, &r, KB_LEVEL_ANY);
    for (int c = 1; c < 0x80; c++) { /* every ASCII byte between two letters */
        snprintf(q, sizeof q, "a%cb", c);
        rep.question = q;
        assert_field_as_jansson(&rep, "\"question\":", json_string(q));
    }
    for (size_t i = 0; i < sizeof valid / sizeof *valid; i++) {
        rep.question = valid[i];
        assert_field_as_jansson(&rep, "\"question\":", json_string(valid[i]));
    }
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        rep.question = invalid[i].in;
        assert_field_as_jansson(&rep, "\"question\":",
                                json_loads(invalid[i].json, JSON_DECODE_ANY, NULL));
    }
    for (long k = 0; k < 1200000; k += k < 3000 ? 1 : 997) {
        rep.confidence = (double)k / 1000;
        assert_field_as_jansson(&rep, "\"confidence\":", json_real((double)k / 1000));
    }
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        rep.confidence = reals[i];
        assert_field_as_jansson(&rep, "\"confidence\":",
                                json_real(round(reals[i] * 1000) / 1000));
    }
}

static void test_text_reply(void **state)
{
    struct match_result r;
    struct reply rep;
    struct render_opts o = {.width = 80};
    char *out;

    (void)state;
    answered_reply(&rep, &r, KB_LEVEL_JUNIOR);
    out = capture(0, &rep, &o);
    /* Without colour the title is plain text, not dropped. */
    assert_string_equal(out, "Become a mentor\nLearn first, then teach.\n\n"
                             "Sources: A Test Document \xE2\x80\x94 Section One, Section Two\n"
                             "Topic: mentorship (for juniors)\n");
    free(out);
    o.color = 1;
    out = capture(0, &rep, &o);
    assert_non_null(strstr(out, "\033[1mBecome a mentor\033[0m\n"));
    assert_non_null(strstr(out, "\033[2mSources:"));
    free(out);
}

static void test_text_unanswered(void **state)
{
    struct match_result r = {0};
    struct reply rep;
    struct render_opts o = {.width = 80};
    char *out;

    (void)state;
    reply_build(kb, &r, "pasta", KB_LEVEL_ANY, &rep);
    out = capture(0, &rep, &o);
    assert_non_null(strstr(out, REPLY_NO_ANSWER));
    assert_non_null(strstr(out, "\n  1. "));
    assert_non_null(strstr(out, "\n  3. "));
    free(out);
}

static void test_write_error_reported(void **state)
{
    struct match_result r;
    struct reply rep;
    FILE *full = fopen("/dev/full", "w");

    (void)state;
    if (!full)
        skip();
    setvbuf(full, NULL, _IONBF, 0);
    answered_reply(&rep, &r, KB_LEVEL_ANY);
    assert_int_equal(render_json(full, &rep), -1);
    fclose(full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_control_characters_neutralised),
        cmocka_unit_test(test_json_keys),
        cmocka_unit_test(test_json_unanswered_and_bad_utf8),
        cmocka_unit_test(test_json_bytes_as_jansson),
        cmocka_unit_test(test_json_dump_escapes_c1_and_del),
        cmocka_unit_test(test_text_reply),
        cmocka_unit_test(test_text_unanswered),
        cmocka_unit_test(test_write_error_reported),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
