/* words.c — closed word lists the resolver and the matcher consult.
 *
 * Each list is a class bit; a word's classes are looked up once, when the
 * worker first sees the word type (worker.c), and kept in its wordrec, so
 * the stages test a bit where they would otherwise compare a token with
 * every member of a list.
 */
#include "ties_int.h"

#include <string.h>

typedef struct wordlist {
  uint32_t cls;
  const char *const *words;
} wordlist;

/* Prepositions after which a mention is an object ("with Serbia"). */
static const char *const S_prep[] = {
    "in", "at", "to", "from", "near", "of", "with", "by", "for", "on",
    "into", "onto", "over", "about", "against", "between", "among",
    "toward", "towards", "across", "via", "through", "under", "within",
    "without", "around", "behind", "than", "like", "including", NULL};

/* Prepositions that may introduce a list of objects: "with X, Y and Z". */
static const char *const S_list_prep[] = {
    "to", "with", "in", "from", "for", "on", "at", "by", "against",
    "between", "into", "toward", "towards", "of", NULL};

/* Nouns of people or units before "from": "officials from Switzerland"
 * makes Switzerland their origin, a subject rather than an object. */
static const char *const S_origin[] = {
    "officials", "official", "delegation", "delegations", "leaders",
    "representatives", "ministers", "troops", "forces", "ships", "vessels",
    "warships", "personnel", "officers", "envoys", "diplomats", "members",
    "experts", "teams", "team", "contingents", "soldiers", "sailors",
    "counterparts", "guests", "participants", "parliamentarians",
    "lawmakers", "militaries", "navies", "commanders", "chiefs",
    "instructors", "trainers", "advisers", "advisors", "crews", "units",
    "pilots", "engineers", "specialists", "staff", "cadets", "students",
    NULL};

/* Words that -ing ends without making a participle. */
static const char *const S_not_participle[] = {
    "morning", "evening", "meeting", "spring", NULL};

/* Words a short name never is: months, days, articles, pronouns. */
static const char *const S_short_stop[] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "the", "a", "an", "he", "she", "it", "they", NULL};

/* Lower-case particles inside personal names: "Ursula von der Leyen". */
static const char *const S_particles[] = {
    "von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "bin",
    "al", "el", "ibn", "ben", "dos", NULL};

/* Capitalised words that are not part of a personal name. */
static const char *const S_not_names[] = {
    "the", "a", "an", "and", "of", "in", "on", "at", "for", "to", "with",
    "office", "ministry", "department", "conference", "committee", "council",
    "commission", "forum", "summit", "dialogue", "group", "agency", "bureau",
    "command", "force", "forces", "navy", "army", "party", "state", "security",
    "defense", "affairs", "general", "national", "people", "republic", NULL};

/* Words after a state that make it an actor: "Chinese troops". The class
 * marks first words; words_actor_noun() matches the phrases. */
static const char *const S_actor_nouns[] = {
    "military", "army", "navy", "air force", "air forces", "troops", "forces",
    "armed forces", "government", "governments", "officials", "official",
    "authorities", "delegation", "delegations", "leadership", "coast guard",
    "coastguard", "police", "national guard", "defense ministry",
    "foreign ministry", "ministry of defense", "ministry of foreign affairs",
    "embassy", "diplomats", "soldiers", "personnel", "marines",
    "navy personnel", "military personnel", "side", "leaders", "leader",
    "peacekeepers", "special forces", "naval forces", "security forces",
    "defense officials", "military officials", "hackers", "state media",
    "intelligence", "intelligence services", "militaries", "regime",
    "administration", "parliament", "legislature", "court", "supreme court",
    "defense forces", "border guards", "coast guards", "naval",
    "military delegation", "army personnel", "navy officers", "officers",
    "engineers", "medical teams", "medical team", "peacekeeping troops",
    "peacekeeping forces", "representatives", "counterparts", NULL};

static const wordlist S_lists[] = {
    {WC_PREP, S_prep},
    {WC_LIST_PREP, S_list_prep},
    {WC_ORIGIN, S_origin},
    {WC_NOT_PARTICIPLE, S_not_participle},
    {WC_SHORT_STOP, S_short_stop},
    {WC_PARTICLE, S_particles},
    {WC_NOT_NAME, S_not_names},
};

static const char *const S_months[][3] = {
    {"january", "jan.", NULL},  {"february", "feb.", NULL},
    {"march", "mar.", NULL},    {"april", "apr.", NULL},
    {"may", "may.", NULL},      {"june", "jun.", NULL},
    {"july", "jul.", NULL},     {"august", "aug.", NULL},
    {"september", "sep.", "sept."}, {"october", "oct.", NULL},
    {"november", "nov.", NULL}, {"december", "dec.", NULL}};

static bool S_add(strmap *m, arena *ar, const char *w, uintptr_t bits) {
  void **slot = strmap_slot(m, w, strlen(w), ar);
  if (!slot)
    return false;
  *slot = (void *)((uintptr_t)*slot | bits);
  return true;
}

int words_init(strmap *m, arena *ar) {
  for (size_t l = 0; l < TIES_ARRAY_LEN(S_lists); l++)
    for (const char *const *w = S_lists[l].words; *w; w++)
      if (!S_add(m, ar, *w, S_lists[l].cls))
        return TIES_ENOMEM;
  for (const char *const *w = S_actor_nouns; *w; w++) {
    const char *sp = strchr(*w, ' ');
    char first[64];
    size_t n = sp ? (size_t)(sp - *w) : strlen(*w);
    if (n >= sizeof first)
      continue;
    memcpy(first, *w, n);
    first[n] = '\0';
    if (!S_add(m, ar, first, WC_ACTOR_NOUN))
      return TIES_ENOMEM;
  }
  for (int i = 0; i < 12; i++)
    for (int k = 0; k < 3 && S_months[i][k]; k++)
      if (!S_add(m, ar, S_months[i][k], (uintptr_t)(i + 1) << WC_MONTH_SHIFT))
        return TIES_ENOMEM;
  return TIES_OK;
}

uint32_t words_classes(const strmap *m, const char *norm, const char *key) {
  uintptr_t v = (uintptr_t)strmap_get(m, norm, strlen(norm));
  if (key != norm && strcmp(key, norm) != 0)
    v |= (uintptr_t)strmap_get(m, key, strlen(key));
  return (uint32_t)v;
}

/* Past the word w at the start of phrase p (words one space apart), or
 * NULL when p does not begin with w. */
static const char *S_word_in(const char *w, const char *p) {
  while (*p && *p != ' ' && *w == *p) {
    w++;
    p++;
  }
  if (*w || (*p && *p != ' '))
    return NULL;
  return *p ? p + 1 : p;
}

uint32_t words_actor_noun(const ties_doc *d, uint32_t i, uint32_t hi) {
  if (i >= hi || !(DOC_TOK(d, i)->w->cls & WC_ACTOR_NOUN))
    return 0;
  uint32_t best = 0;
  const char *first = DOC_TOK(d, i)->w->norm;
  for (const char *const *ph = S_actor_nouns; *ph; ph++) {
    const char *p = *ph;
    if (p[0] != first[0])
      continue; /* the first word differs at once */
    uint32_t j = i;
    while (*p && j < hi && (p = S_word_in(DOC_TOK(d, j)->w->norm, p)))
      j++;
    if (p && !*p && j - i > best)
      best = j - i;
  }
  return best;
}
