/* unit_words.c — stems, spellings, gazetteer matches and resolution. */
#include "helpers.h"

#include <hunspell/hunspell.h>
#include <pthread.h>
#include <unistd.h>

/* The first token whose surface is w. */
static int T_token(const ties_doc *d, const char *w, ties_token *out) {
  for (size_t k = 0; k < ties_doc_n_tokens(d); k++) {
    ties_doc_token(d, k, out);
    if (!strcmp(out->surface, w))
      return 1;
  }
  return 0;
}

static const struct {
  const char *word, *norm, *stem, *why;
} S_words[] = {
    {"donated", "donated", "donat", "Snowball stem"},
    {"donations", "donations", "donat", "noun and verb share a stem"},
    {"defence", "defense", "defens", "British -ence"},
    {"organisation", "organization", "organ", "British -isation"},
    {"armoured", "armored", "armor", "British -our"},
    {"programme", "program", "program", "British -mme"},
    {"flavoured", "flavored", "flavor", "British -our"},
    {"recognise", "recognize", "recogn", "British -ise"},
    {"criticise", "criticize", "critic", "British -ise"},
    {"travelled", "traveled", "travel", "British -ll-"},
    {"manoeuvres", "maneuvers", "maneuv", "two rules: oe and -re"},
    {"centre", "center", "center", "British -re"},
    {"grey", "gray", "gray", "irregular pair"},
    {"donnated", "donated", "donat", "misspelling next to a rule word"},
    {"recieved", "received", "receiv", "transposition"},
    {"plans", "plans", "plan", "plain English word"},
};

static void test_stem_and_spell(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof S_words / sizeof S_words[0]; i++) {
    char text[128];
    snprintf(text, sizeof text, "they %s it", S_words[i].word);
    ties_doc *d = T_doc(text, NULL);
    ties_token t;
    assert_true(T_token(d, S_words[i].word, &t));
    if (strcmp(t.norm, S_words[i].norm) || strcmp(t.stem, S_words[i].stem))
      fail_msg("%s: norm %s stem %s, expected %s %s (%s)", S_words[i].word, t.norm,
               t.stem, S_words[i].norm, S_words[i].stem, S_words[i].why);
    ties_doc_free(d);
  }
}

static void test_names_never_corrected(void **state) {
  (void)state;
  /* capitalised unknown words and gazetteer words keep their spelling */
  ties_doc *d = T_doc("Qiao Jianjun met Kuwaiti officials and Fox-IT staff.", NULL);
  ties_token t;
  assert_true(T_token(d, "Jianjun", &t));
  assert_string_equal(t.norm, "jianjun");
  assert_string_equal(t.spelling, "name");
  ties_doc_free(d);
}

static const struct {
  const char *text, *mention, *id, *why;
} S_entities[] = {
    {"Bosnia and Herzegovina sent troops.", "Bosnia and Herzegovina", "BIH", "longest match"},
    {"The PLAN sailed to Djibouti.", "PLAN", "org:plan", "acronym in capitals"},
    {"The US and the UN met.", "US", "USA", "US in capitals"},
    {"The US and the UN met.", "UN", "org:un", "UN in capitals"},
    {"The AU summit opened.", "AU", "org:au", "AU in capitals"},
    {"Ships from Timor-Leste and Timor Leste.", "Timor Leste", "TLS", "optional hyphen"},
    {"In Cote d'Ivoire, troops waited.", "Cote d'Ivoire", "CIV", "accents ignored"},
    {"Beijing protested.", "Beijing", "CHN", "capital for its state"},
    {"Iranian officials left.", "Iranian officials", "IRN", "demonym and actor noun"},
    {"the Bangladeshi Navy took delivery", "Bangladeshi Navy", "BGD", "demonym and force"},
    {"the Shanghai Cooperation Organization met", "Shanghai Cooperation Organization",
     "org:sco", "American spelling of a British name"},
    {"Serbia bought Chengdu Pterodactyl-1 drones.", "Chengdu Pterodactyl-1",
     "platform:wing-loong", "platform alias"},
    {"The People's Armed Police (PAP) trained them.", "People's Armed Police (PAP)",
     "org:pap", "name with its acronym is one mention"},
};

static void test_entities(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof S_entities / sizeof S_entities[0]; i++) {
    ties_doc *d = T_doc(S_entities[i].text, NULL);
    const char *id = T_entity_of(d, S_entities[i].mention);
    if (!id || strcmp(id, S_entities[i].id))
      fail_msg("%s: '%s' is %s, expected %s (%s)", S_entities[i].text,
               S_entities[i].mention, id ? id : "nothing", S_entities[i].id,
               S_entities[i].why);
    ties_doc_free(d);
  }
}

static void test_case_traps(void **state) {
  (void)state;
  /* plan, us, un, au, car in lower case are words, never entities */
  ties_doc *d = T_doc("The plans let us plan a car trip to see un and au pairs.", NULL);
  for (size_t i = 0; i < ties_doc_n_mentions(d); i++)
    if (ties_doc_mention(d, i)->type != TIES_DATE)
      fail_msg("unexpected entity '%s'", ties_doc_mention(d, i)->text);
  ties_doc_free(d);
}

static const struct {
  const char *text, *date, *mention, *id, *why;
} S_roles[] = {
    {"China's defense minister spoke.", "2019-06-01", "China's defense minister",
     "person:wei-fenghe", "role on the document date"},
    {"China's defense minister spoke.", "2016-06-01", "China's defense minister",
     "person:chang-wanquan", "an earlier holder"},
    {"China's defence minister spoke.", "2024-06-01", "China's defence minister",
     "person:dong-jun", "British spelling, later holder"},
    {"China's foreign minister spoke.", "2019-09-27", "China's foreign minister",
     "person:wang-yi", "foreign minister"},
};

static void test_roles_by_date(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof S_roles / sizeof S_roles[0]; i++) {
    ties_doc *d = T_doc(S_roles[i].text, S_roles[i].date);
    const char *id = T_entity_of(d, S_roles[i].mention);
    if (!id || strcmp(id, S_roles[i].id))
      fail_msg("%s on %s: %s, expected %s (%s)", S_roles[i].text, S_roles[i].date,
               id ? id : "nothing", S_roles[i].id, S_roles[i].why);
    ties_doc_free(d);
  }
}

static void test_short_names_and_titles(void **state) {
  (void)state;
  ties_doc *d = T_doc("Wei Fenghe met Mark Esper. Wei said Esper was wrong. "
                      "President Xi arrived.",
                      "2019-11-01");
  assert_string_equal(T_entity_of(d, "Wei"), "person:wei-fenghe");
  assert_string_equal(T_entity_of(d, "Esper"), "person:mark-esper");
  assert_string_equal(T_entity_of(d, "President Xi"), "person:xi-jinping");
  ties_doc_free(d);
}

static void test_document_date(void **state) {
  (void)state;
  ties_doc *d = T_doc("23 February 2020\n\nChina donated arms.", NULL);
  assert_string_equal(ties_doc_date(d), "2020-02-23");
  ties_doc_free(d);
}

/* The filter in front of hunspell (spell.c, the word forms of en_US) may
 * let non-words through, never stop a word: every string one edit away from
 * a sample of words that hunspell accepts must pass it, and most that it
 * rejects must be stopped (or the filter does nothing). */
static void test_word_form_filter(void **state) {
  (void)state;
  static const char *const words[] = {
      "donate", "visit", "sign", "exercise", "unite", "deploy", "recognize",
      "arms", "trade", "meet", "sell", "train", "naval", "ship", "patrol",
      "cover", "form", "like", "agree", "order", "pact", "state", "treaty",
      "envoy", "rest", "mend", "lock", "plan", "aid", "tank"};
  char aff[600], dic[600];
  snprintf(aff, sizeof aff, "%s/en_US.aff", T_engine->dict_dir);
  snprintf(dic, sizeof dic, "%s/en_US.dic", T_engine->dict_dir);
  Hunhandle *us = Hunspell_create(aff, dic);
  assert_non_null(us);
  speller *sp = T_worker->spell;
  size_t words_seen = 0, nonwords = 0, nonwords_passed = 0;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    const char *w = words[i];
    size_t n = strlen(w);
    char c[64];
    /* deletions, substitutions and insertions: (n + 1) * 27 strings */
    for (size_t pos = 0; pos <= n; pos++) {
      for (int ch = 'a' - 1; ch <= 'z'; ch++) {
        size_t m;
        if (ch < 'a') {
          if (pos == n)
            continue;
          memcpy(c, w, pos);
          memcpy(c + pos, w + pos + 1, n - pos);
          m = n - 1;
        } else {
          memcpy(c, w, pos);
          c[pos] = (char)ch;
          memcpy(c + pos + 1, w + pos, n - pos + 1);
          m = n + 1;
        }
        c[m] = 0;
        for (int sub = 0; sub < 2; sub++) {
          if (sub) { /* the substitution at pos instead */
            if (pos == n || ch < 'a')
              continue;
            memcpy(c, w, n + 1);
            c[pos] = (char)ch;
            m = n;
          }
          bool word = Hunspell_spell(us, c) != 0;
          bool maybe = spell_maybe_word(sp, c, m);
          if (word) {
            words_seen++;
            if (!maybe)
              fail_msg("'%s' is an en_US word, and the filter stops it", c);
          } else {
            nonwords++;
            nonwords_passed += maybe;
          }
        }
      }
    }
  }
  Hunspell_destroy(us);
  assert_true(words_seen > 100);
  if (nonwords_passed * 20 > nonwords)
    fail_msg("the filter let %zu of %zu non-words through", nonwords_passed, nonwords);
}

/* A dictionary whose affix file uses what the filter does not expand gets
 * no filter: every candidate goes to hunspell, and corrections are the
 * same. directive is the line added to en_US.aff. */
static void T_filter_fallback(const char *directive) {
  char dir[] = "/tmp/ties-unit.XXXXXX";
  assert_non_null(mkdtemp(dir));
  static const char *const files[] = {"en_US.aff", "en_US.dic", "en_GB.aff", "en_GB.dic"};
  for (size_t i = 0; i < 4; i++) {
    char from[700], to[700];
    snprintf(from, sizeof from, "%s/%s", T_engine->dict_dir, files[i]);
    snprintf(to, sizeof to, "%s/%s", dir, files[i]);
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char chunk[8192];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, in)) > 0)
      fwrite(chunk, 1, k, out);
    if (i == 0) /* a directive the expansion does not follow */
      fputs(directive, out);
    fclose(in);
    assert_int_equal(fclose(out), 0);
  }
  ties_settings s;
  ties_settings_init(&s);
  s.dict_dir = dir;
  ties_engine *e = ties_engine_new(&s);
  ties_engine_load_gazetteers(e, "gazetteers");
  ties_engine_load_rules(e, "rules");
  assert_int_equal(ties_engine_finish(e), TIES_OK);
  ties_worker *w = ties_worker_new(e);
  assert_non_null(w);
  assert_true(spell_maybe_word(w->spell, "qxzq", 4));           /* no filter */
  assert_false(spell_maybe_word(T_worker->spell, "qxzq", 4));   /* the filter */
  const char *text = "They donnated it and recieved defence aid.";
  ties_doc *d = ties_doc_new(w, "t", text, strlen(text), NULL);
  ties_token t;
  assert_true(T_token(d, "donnated", &t));
  assert_string_equal(t.norm, "donated");
  assert_true(T_token(d, "recieved", &t));
  assert_string_equal(t.norm, "received");
  ties_doc_free(d);
  ties_worker_free(w);
  ties_engine_free(e);
  for (size_t i = 0; i < 4; i++) {
    char p[700];
    snprintf(p, sizeof p, "%s/%s", dir, files[i]);
    unlink(p);
  }
  rmdir(dir);
}

/* One engine, a worker per thread: workers made, used and freed in several
 * threads at once correct words as any other. (Their dictionaries are made
 * and freed one at a time, libhunspell's shared table not being locked; the
 * race itself is too narrow for a test to provoke, but under the sanitizers
 * this one would show a worker writing what the others read.) The thread's
 * answer in *arg: 1 right, 0 not. */
static void *T_worker_thread(void *arg) {
  int *ok = arg;
  for (int round = 0; round < 3; round++) {
    ties_worker *w = ties_worker_new(T_engine);
    if (!w)
      return NULL;
    const char *text = "They donnated it and recieved defence aid.";
    ties_doc *d = ties_doc_new(w, "t", text, strlen(text), NULL);
    ties_token t;
    bool right = d && T_token(d, "recieved", &t) && !strcmp(t.norm, "received");
    ties_doc_free(d);
    ties_worker_free(w);
    if (!right)
      return NULL;
  }
  *ok = 1;
  return NULL;
}

static void test_workers_in_threads(void **state) {
  (void)state;
  enum { N = 4 };
  pthread_t th[N];
  int ok[N] = {0};
  for (int i = 0; i < N; i++)
    assert_int_equal(pthread_create(&th[i], NULL, T_worker_thread, &ok[i]), 0);
  for (int i = 0; i < N; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(ok[i], 1);
  }
}

static void test_word_form_filter_fallback(void **state) {
  (void)state;
  T_filter_fallback("CIRCUMFIX X\n");
  /* a strip as long as the word: the expansion never strips a whole word */
  T_filter_fallback("FULLSTRIP\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_stem_and_spell),
      cmocka_unit_test(test_names_never_corrected),
      cmocka_unit_test(test_word_form_filter),
      cmocka_unit_test(test_word_form_filter_fallback),
      cmocka_unit_test(test_workers_in_threads),
      cmocka_unit_test(test_entities),
      cmocka_unit_test(test_case_traps),
      cmocka_unit_test(test_roles_by_date),
      cmocka_unit_test(test_short_names_and_titles),
      cmocka_unit_test(test_document_date),
  };
  return cmocka_run_group_tests(tests, T_setup, T_teardown);
}
