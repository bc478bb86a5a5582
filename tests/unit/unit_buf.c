/* unit_buf.c — the output buffer: numbers and formatted text as printf
 * writes them, whether or not they fit the room left. */
#include "helpers.h"

#include <inttypes.h>
#include <math.h>

static void test_put_uint(void **state) {
  (void)state;
  const uint64_t v[] = {0, 1, 9, 10, 99, 100, 4294967295u, 4294967296u,
                        1000000000000000000u, UINT64_MAX};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    char want[32];
    snprintf(want, sizeof want, "%" PRIu64, v[i]);
    buf b = BUF_INIT;
    buf_puts(&b, "x");
    buf_put_uint(&b, v[i]);
    assert_int_equal(b.len, 1 + strlen(want));
    assert_string_equal(buf_cstr(&b) + 1, want);
    buf_free(&b);
  }
}

/* the time left of the progress line, rounded to the second */
static void test_put_duration(void **state) {
  (void)state;
  static const struct {
    double s;
    const char *want;
  } c[] = {{-1, "<1s"},      {0, "<1s"},         {0.49, "<1s"},      {0.5, "1s"},
           {1, "1s"},        {59.4, "59s"},      {59.5, "1m00s"},    {61, "1m01s"},
           {605, "10m05s"},  {3599.4, "59m59s"}, {3599.5, "1h00m"},  {3660, "1h01m"},
           {86400 * 3 + 125, "72h02m"}, {1e300, "277777777777h46m"}};
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
    buf b = BUF_INIT;
    buf_put_duration(&b, c[i].s);
    assert_string_equal(buf_cstr(&b), c[i].want);
    buf_free(&b);
  }
  buf b = BUF_INIT;
  buf_put_duration(&b, NAN); /* nothing measured yet */
  assert_string_equal(buf_cstr(&b), "<1s");
  buf_free(&b);
}

/* buf_printf formats into the room there is and again when it does not
 * fit: every length across the growth of the buffer gives printf's text */
static void test_printf_room(void **state) {
  (void)state;
  buf b = BUF_INIT;
  char want[4096] = "";
  size_t wl = 0;
  for (int i = 0; i < 300; i++) {
    char piece[64];
    int n = snprintf(piece, sizeof piece, "%d:%.*s|", i, i % 40,
                     "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
    if (wl + (size_t)n >= sizeof want)
      break;
    memcpy(want + wl, piece, (size_t)n + 1);
    wl += (size_t)n;
    buf_printf(&b, "%d:%.*s|", i, i % 40,
               "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
    assert_int_equal(b.len, wl);
    assert_string_equal(buf_cstr(&b), want);
  }
  buf_free(&b);
}

/* buf_put_tsv turns exactly tab, line feed and carriage return into
 * spaces, wherever they fall in the 8-byte steps of its scan, and leaves
 * every other byte (other controls, UTF-8) as it is */
static void test_put_tsv(void **state) {
  (void)state;
  const char base[] = "Beijing donated \xc2\xa3" "1 million\x0b\x0c\x01 to Serbia~\x7f\xff";
  size_t bn = sizeof base - 1;
  const char ctl[] = {'\t', '\n', '\r'};
  for (size_t at = 0; at < bn; at++)
    for (size_t k = 0; k < sizeof ctl; k++) {
      char in[64], want[64];
      memcpy(in, base, bn);
      in[at] = ctl[k];
      memcpy(want, in, bn);
      want[at] = ' ';
      for (size_t pre = 0; pre < 9; pre++) { /* where the field begins */
        buf b = BUF_INIT;
        for (size_t i = 0; i < pre; i++)
          buf_putc(&b, 'x');
        buf_put_tsv(&b, in, bn);
        assert_int_equal(b.len, pre + bn);
        assert_memory_equal(b.p + pre, want, bn);
        assert_int_equal(b.p[b.len], 0);
        buf_free(&b);
      }
    }
  /* nothing to replace: the bytes as they were */
  buf b = BUF_INIT;
  buf_put_tsv(&b, base, bn);
  assert_memory_equal(b.p, base, bn);
  buf_free(&b);
}

/* a buffer that failed to grow keeps what it had and takes nothing more,
 * even what would fit in the room it has */
static void test_failed_sticky(void **state) {
  (void)state;
  buf b = BUF_INIT;
  buf_puts(&b, "abc");
  b.failed = true;
  buf_putc(&b, 'd');
  buf_put(&b, "ef", 2);
  buf_put_tsv(&b, "g\th", 3);
  buf_put_uint(&b, 42);
  assert_int_equal(b.len, 3);
  assert_string_equal(buf_cstr(&b), "abc");
  buf_free(&b);
}

/* nothing to put, from no pointer, is nothing, whether or not there is
 * room (the writers put empty fields that way) */
static void test_put_nothing(void **state) {
  (void)state;
  buf b = BUF_INIT;
  buf_put(&b, NULL, 0); /* no room yet */
  assert_int_equal(b.len, 0);
  buf_puts(&b, "ab");
  buf_put(&b, NULL, 0); /* room */
  buf_put_tsv(&b, NULL, 0);
  assert_int_equal(b.len, 2);
  assert_string_equal(buf_cstr(&b), "ab");
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_put_uint),
      cmocka_unit_test(test_put_duration),
      cmocka_unit_test(test_printf_room),
      cmocka_unit_test(test_put_tsv),
      cmocka_unit_test(test_failed_sticky),
      cmocka_unit_test(test_put_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
