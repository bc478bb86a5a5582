/* unit_buf.c — the output buffer: numbers and formatted text as printf
 * writes them, whether or not they fit the room left. */
#include "helpers.h"

#include <inttypes.h>

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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_put_uint),
      cmocka_unit_test(test_printf_room),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
