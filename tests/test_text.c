/* test_text.c -- normalisation, words, stop words, stemming. */
#include "helpers.h"

#include "text.h"

static struct text *tx;
static struct sbuf out;

static int setup(void **state)
{
    (void)state;
    tx = text_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    text_free(tx);
    sbuf_free(&out);
    return 0;
}

static const char *norm(const char *s)
{
    text_normalise(tx, s, strlen(s), &out);
    return out.s;
}

static void test_normal_form(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"How do I find a MENTOR?", "how do i find a mentor"},
        {"  spaces\tand\n\nlines  ", "spaces and lines"},
        {"self-driving cars, C.V.!", "self driving cars c v"},
        {"Café NAÏVE résumé", "cafe naive resume"},           /* accents stripped */
        {"ﬁnd a mentor", "find a mentor"},                     /* NFKC: the fi ligature */
        {"Straße", "strasse"},                                  /* case folding */
        {"I don't know, can't decide", "i do not know cannot decide"},
        {"what\xE2\x80\x99s next?", "what is next"},            /* curly apostrophe */
        {"u r great pls help", "you r great please help"},     /* r stays: it is a language */
        {"the senior's role", "the senior role"},
        {"they've shipped, teams' goals", "they have shipped teams goals"},
        {"jr vs sr", "junior vs senior"},
        {"tbh idk, shud i learn it rn?", "to be honest i do not know should i learn it right now"},
        {"my mgr werent sure bc i have 2 yrs", "my manager were not sure because i have 2 years"},
        {"'quoted'", "quoted"},
        {"???", ""},
        {"", ""},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_string_equal(norm(cases[i].in), cases[i].want);
}

static void test_invalid_utf8_dropped(void **state)
{
    const char bad[] = "find\xFF\xFE a mentor\xC3";

    (void)state;
    assert_int_equal(text_normalise(tx, bad, sizeof bad - 1, &out), 1);
    assert_string_equal(out.s, "find a mentor");
    assert_int_equal(text_normalise(tx, "ok", 2, &out), 0);
}

static void test_nul_bytes_are_spaces(void **state)
{
    const char in[] = "find\0a mentor";

    (void)state;
    text_normalise(tx, in, sizeof in - 1, &out);
    assert_string_equal(out.s, "find a mentor");
}

/* ASCII input takes a shortcut past utf8proc; a no-break space (NFKC: a
 * space) at the end sends the same text down the full path instead, and
 * both must agree for every ASCII byte in every position. */
static void test_ascii_shortcut_agrees(void **state)
{
    static const char *const shapes[] = {"%c", "A%cb", "don%ct", "Q%c's", "%c%cSR", "u%c"};
    struct sbuf in = {0}, fast = {0};

    (void)state;
    for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
        for (int c = 0; c < 0x80; c++) {
            const char *p;

            sbuf_reset(&in);
            for (p = shapes[k]; *p; p++)
                sbuf_putc(&in, p[0] == '%' && p[1] == 'c' ? (char)c : *p), p += p[0] == '%';
            sbuf_putc(&in, ' ');
            text_normalise(tx, in.s, in.len, &fast);
            in.s[--in.len] = '\0';
            sbuf_puts(&in, "\xC2\xA0");
            text_normalise(tx, in.s, in.len, &out);
            assert_string_equal(out.s, fast.s);
        }
    }
    sbuf_free(&in);
    sbuf_free(&fast);
}

static void test_words(void **state)
{
    const char *p = "alpha  beta gamma", *w;
    size_t len, n = 0;
    const char *want[] = {"alpha", "beta", "gamma"};

    (void)state;
    while ((w = text_next_word(&p, &len))) {
        assert_true(n < 3);
        assert_int_equal(len, strlen(want[n]));
        assert_memory_equal(w, want[n], len);
        n++;
    }
    assert_int_equal(n, 3);
}

static void test_stopwords(void **state)
{
    (void)state;
    assert_true(text_is_stopword("the", 3));
    assert_true(text_is_stopword("how", 3));
    assert_false(text_is_stopword("mentor", 6));
    assert_false(text_is_stopword("th", 2));
    assert_true(text_is_stopword("theirs", 5)); /* "their", a prefix of the buffer */
}

static void test_stem(void **state)
{
    static const char *const forms[] = {"mentoring", "mentors", "mentored", "mentor"};
    size_t len;

    (void)state;
    for (size_t i = 0; i < 4; i++) {
        const char *s = text_stem(tx, forms[i], strlen(forms[i]), &len);

        assert_int_equal(len, 6);
        assert_memory_equal(s, "mentor", 6);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal_form),
        cmocka_unit_test(test_invalid_utf8_dropped),
        cmocka_unit_test(test_nul_bytes_are_spaces),
        cmocka_unit_test(test_ascii_shortcut_agrees),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_stem),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
