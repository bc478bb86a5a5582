# t_install.sh — make install and uninstall with DESTDIR: the staged tree holds
# the binary, library, header, pkg-config file and data; the installed binary
# finds its rules and gazetteers; a program builds against the library with
# pkg-config; uninstall removes everything it installed.
. tests/lib.sh

D="$TMP/stage"
make -s install DESTDIR="$D" PREFIX=/usr >"$TMP/install.log" 2>&1
check_eq "make install DESTDIR=... exits 0" 0 $?
for f in usr/bin/ties usr/lib/libties.a usr/include/ties.h usr/lib/pkgconfig/ties.pc \
  usr/share/ties/rules/relations.tsv usr/share/ties/rules/00-lexicon.rules \
  usr/share/ties/rules/ties.ttl usr/share/ties/gazetteers/countries.tsv; do
  check "installed: $f" test -s "$D/$f"
done
nm -g --defined-only "$D/usr/lib/libties.a" 2>/dev/null | awk 'NF == 3 { print $3 }' >"$TMP/syms"
check "the library defines the public API" grep -q '^ties_extract_text$' "$TMP/syms"
check_eq "and no other global name (internals are local)" "" "$(grep -v '^ties_' "$TMP/syms")"
check "nothing is installed outside PREFIX" sh -c "cd '$D' && test -z \"\$(find . -mindepth 1 -maxdepth 1 ! -name usr)\""

# the installed binary, run from elsewhere, finds its data next to it
(cd "$TMP" && "$D/usr/bin/ties" extract "$OLDPWD/seeds/") >"$TMP/installed.tsv" 2>"$TMP/installed.err"
check_eq "the installed binary extracts the seeds" 0 $?
build/ties extract seeds/ >"$TMP/built.tsv" 2>/dev/null
# the rule_source column names the rule files where they were read from
cut -f1-10,12- "$TMP/built.tsv" >"$TMP/built.cut"
cut -f1-10,12- "$TMP/installed.tsv" >"$TMP/installed.cut"
check "with the same triples as the built one" cmp "$TMP/built.cut" "$TMP/installed.cut"
check_grep "its rules come from PREFIX/share/ties" "usr/share/ties/rules/aid.rules:" "$TMP/installed.tsv"

# a program against the installed library, through pkg-config
cat >"$TMP/prog.c" <<'C'
#include <stdio.h>
#include <ties.h>
int main(int argc, char **argv) {
  ties_settings s;
  ties_settings_init(&s);
  ties_engine *e = ties_engine_new(&s);
  if (!e || argc < 3)
    return 2;
  ties_engine_load_gazetteers(e, argv[1]);
  ties_engine_load_rules(e, argv[2]);
  if (ties_engine_finish(e) != TIES_OK)
    return 3;
  const char text[] = "Beijing donated ten patrol boats to Cambodia in March.";
  ties_doc *d = ties_extract_text(e, "t", text, sizeof text - 1, NULL);
  for (size_t i = 0; d && i < ties_doc_n_triples(d); i++) {
    const ties_triple *t = ties_doc_triple(d, i);
    printf("%s %s %s\n", t->subject, t->predicate, t->object);
  }
  ties_doc_free(d);
  ties_engine_free(e);
  return 0;
}
C
PKG_CONFIG_PATH="$D/usr/lib/pkgconfig" pkg-config --cflags --libs --static ties \
  >"$TMP/pc.flags" 2>&1
check_eq "pkg-config knows the installed ties" 0 $?
# shellcheck disable=SC2046
# the staged tree is not where ties.pc says (PREFIX=/usr): its directories first
cc -o "$TMP/prog" "$TMP/prog.c" -I"$D/usr/include" -L"$D/usr/lib" $(cat "$TMP/pc.flags") \
  >"$TMP/cc.log" 2>&1
check_eq "a program compiles and links against libties.a" 0 $?
"$TMP/prog" "$D/usr/share/ties/gazetteers" "$D/usr/share/ties/rules" >"$TMP/prog.out" 2>&1
check_grep "and extracts with it" "^CHN donated KHM$" "$TMP/prog.out"

make -s uninstall DESTDIR="$D" PREFIX=/usr >>"$TMP/install.log" 2>&1
check_eq "make uninstall exits 0" 0 $?
check_eq "uninstall removes every file" "" "$(find "$D" -type f)"
finish
