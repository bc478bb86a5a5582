#!/usr/bin/env python3
"""Generate rules/ties.ttl, the RDF vocabulary of ties, from rules/relations.tsv.

usage: gen-vocab.py [-o OUT] [relations.tsv] (default: rules/relations.tsv, stdout)

Each predicate of relations.tsv becomes an owl:ObjectProperty (owl:SymmetricProperty
too where the symmetric column says yes) with its definition as rdfs:comment and the
subject/object types as rdfs:domain/rdfs:range; the classes and the properties the RDF
writers (pipeline/emit_rdf.c) use for entities and provenance are written by hand
below. Only the standard library; the output depends on the input alone, so
regenerating an unchanged input changes nothing ("make vocab"; the t_rdf suite fails
when rules/ties.ttl is stale).
"""
import os
import sys

VOCAB = "https://ties.example.org/vocab"
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_IN = os.path.join(HERE, "..", "rules", "relations.tsv")

# entity types of relations.tsv → classes
CLASS_OF = {
    "ACTOR": "ties:Actor",
    "COUNTRY": "ties:Country",
    "ORG": "ties:Organisation",
    "PERSON": "ties:Person",
    "PLATFORM": "ties:Platform",
    "PLACE": "ties:Place",
}

CLASSES = [
    ("Actor", "actor",
     "A state, an organisation or a person: the parties relations link (ACTOR in rules/relations.tsv).",
     "owl:unionOf ( ties:Country ties:Organisation ties:Person )"),
    ("Country", "country",
     "A country or territory; its IRI ends in its ISO 3166-1 alpha-3 code (id/CHN).", None),
    ("Organisation", "organisation",
     "A state body, armed force, company, international body or armed group (id/org/<slug>).", None),
    ("Person", "person", "An official or another named person (id/person/<slug>).", None),
    ("Platform", "platform", "A weapons platform, ship or system (id/platform/<slug>).", None),
    ("Place", "place", "A place that is not a state: a sea, a region, a city (id/place/<slug>).", None),
    ("Document", "document",
     "An input document (doc/<name>); in N-Quads also the named graph of what it states.",
     "rdfs:subClassOf prov:Entity"),
    ("RuleSet", "rule set",
     "The rule files of a run, identified by their SHA-256 (ruleset/<sha256>).",
     "rdfs:subClassOf prov:Entity"),
    ("GazetteerSet", "gazetteer set",
     "The gazetteer files of a run, identified by their SHA-256 (gazetteers/<sha256>).",
     "rdfs:subClassOf prov:Entity"),
    ("Extraction", "extraction",
     "A run of ties extract: the activity that generated the statements; it used a rule set and a gazetteer set.",
     "rdfs:subClassOf prov:Activity"),
]

# (name, kind, label, comment, domain, range)
OBJ = "owl:ObjectProperty"
DATA = "owl:DatatypeProperty"
ORG_OR_PERSON = "[ a owl:Class ; owl:unionOf ( ties:Organisation ties:Person ) ]"
PROPERTIES = [
    ("actsFor", OBJ, "acts for",
     "The state an organisation or person acts for; what rolls a triple up to country level.",
     ORG_OR_PERSON, "ties:Country"),
    ("locatedIn", OBJ, "located in", "The state a place belongs to.", "ties:Place", "ties:Country"),
    ("madeBy", OBJ, "made by", "The maker of a platform.", "ties:Platform", "ties:Organisation"),
    ("isoAlpha2", DATA, "ISO 3166-1 alpha-2", "The two-letter code of a country (CN).",
     "ties:Country", "xsd:string"),
    ("isoAlpha3", DATA, "ISO 3166-1 alpha-3", "The three-letter code of a country (CHN): the ties id.",
     "ties:Country", "xsd:string"),
    ("isoNumeric", DATA, "ISO 3166-1 numeric",
     "The numeric code of a country, three digits as a string (156, 008).", "ties:Country", "xsd:string"),
    ("kind", DATA, "kind",
     "The kind the gazetteers give an organisation, platform or place (party, frigate, sea).",
     None, "xsd:string"),
    ("path", DATA, "path", "The file a document was read from, as given to ties.",
     "ties:Document", "xsd:string"),
    ("sha256", DATA, "SHA-256", "The hex SHA-256 of a rule set or gazetteer set.", None, "xsd:string"),
    ("version", DATA, "version", "The version of ties that ran.", "ties:Extraction", "xsd:string"),
    ("evidence", DATA, "evidence", "The words of the document that state the triple.",
     "rdf:Statement", "xsd:string"),
    ("sentence", DATA, "sentence", "The 0-based number of the sentence of the evidence.",
     "rdf:Statement", "xsd:integer"),
    ("start", DATA, "start", "The byte offset in the document file where the evidence starts.",
     "rdf:Statement", "xsd:integer"),
    ("end", DATA, "end", "The byte offset in the document file where the evidence ends (exclusive).",
     "rdf:Statement", "xsd:integer"),
    ("rule", DATA, "rule", "The id of the rule that found the triple (donated.direct).",
     "rdf:Statement", "xsd:string"),
    ("ruleSource", DATA, "rule source", "Where the rule is: file:line (rules/aid.rules:3).",
     "rdf:Statement", "xsd:string"),
    ("ruleset", DATA, "rule set hash",
     "The SHA-256 of the rule files that found the triple (also the ties:sha256 of the run's ties:RuleSet).",
     "rdf:Statement", "xsd:string"),
    ("modality", DATA, "modality",
     "asserted, or why the candidate is not a fact: negated, planned, hypothetical, offered, refused, denied, future, rumored.",
     "rdf:Statement", "xsd:string"),
    ("cue", DATA, "cue", "The words that set a modality other than asserted.", "rdf:Statement", "xsd:string"),
    ("item", OBJ, "item", "The platform the sentence names as what was given, sold or bought.",
     "rdf:Statement", "ties:Platform"),
    ("amount", DATA, "amount", "The money the sentence gives, as currency and units (USD 1000000).",
     "rdf:Statement", "xsd:string"),
    ("date", DATA, "date",
     "The date the sentence gives, ISO 8601 as far as it is known (2020, 2020-02, 2020-02-23, --02).",
     "rdf:Statement", "xsd:string"),
]


def lit(s):
    """A Turtle string literal."""
    out = []
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u%04X" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def class_of(types, where):
    """rdfs:domain/range term of a relations.tsv type list (ACTOR, COUNTRY|PLACE...)."""
    names = [t.strip() for t in types.replace(",", "|").split("|") if t.strip()]
    bad = [t for t in names if t not in CLASS_OF]
    if not names or bad:
        sys.exit("%s: unknown entity type %r (%s)" % (where, types, " ".join(sorted(CLASS_OF))))
    if len(names) == 1:
        return CLASS_OF[names[0]]
    return "[ a owl:Class ; owl:unionOf ( %s ) ]" % " ".join(CLASS_OF[t] for t in names)


def read_relations(path):
    rows = []
    header = None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                need = ["predicate", "symmetric", "subject", "object", "definition"]
                missing = [c for c in need if c not in header]
                if missing:
                    sys.exit("%s:%d: header lacks %s" % (path, n, ", ".join(missing)))
                continue
            if len(cols) != len(header):
                sys.exit("%s:%d: %d fields, the header has %d" % (path, n, len(cols), len(header)))
            r = dict(zip(header, cols))
            r["where"] = "%s:%d" % (path, n)
            if r["symmetric"] not in ("yes", "no"):
                sys.exit("%s: symmetric must be yes or no" % r["where"])
            rows.append(r)
    if not rows:
        sys.exit("%s: no predicates" % path)
    return rows


def generate(path):
    rels = read_relations(path)
    o = []
    w = o.append
    w("# ties.ttl — the RDF vocabulary of ties: classes, relations and provenance properties.")
    w("# Generated by scripts/gen-vocab.py from rules/relations.tsv; do not edit (make vocab).")
    w("# The RDF writers (ties extract --format nt|nq|ttl, pipeline/emit_rdf.c) use these terms.")
    w("@prefix ties: <%s#> ." % VOCAB)
    w("@prefix owl: <http://www.w3.org/2002/07/owl#> .")
    w("@prefix prov: <http://www.w3.org/ns/prov#> .")
    w("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .")
    w("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .")
    w("@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .")
    w("")
    w("<%s> a owl:Ontology ;" % VOCAB)
    w("    rdfs:label %s ;" % lit("ties vocabulary"))
    w("    rdfs:comment %s ." % lit(
        "Relations extracted from security-policy prose by ties, the entities they link, and "
        "the provenance of every extracted triple: an rdf:Statement (RDF reification) with "
        "the evidence, its byte span, the rule and the rule set, derived (prov:wasDerivedFrom) "
        "from a ties:Document and generated (prov:wasGeneratedBy) by a ties:Extraction. "
        "Entities are under https://ties.example.org/id/."))
    w("")
    w("# ---- classes")
    for name, label, comment, extra in CLASSES:
        w("ties:%s a owl:Class ;" % name)
        w("    rdfs:label %s ;" % lit(label))
        if extra:
            w("    rdfs:comment %s ;" % lit(comment))
            w("    %s ." % extra)
        else:
            w("    rdfs:comment %s ." % lit(comment))
    w("")
    w("# ---- relations (rules/relations.tsv)")
    for r in rels:
        kinds = "owl:ObjectProperty, owl:SymmetricProperty" if r["symmetric"] == "yes" else "owl:ObjectProperty"
        w("ties:%s a %s ;" % (r["predicate"], kinds))
        w("    rdfs:label %s ;" % lit(r["predicate"].replace("_", " ")))
        w("    rdfs:comment %s ;" % lit(r["definition"]))
        w("    rdfs:domain %s ;" % class_of(r["subject"], r["where"]))
        w("    rdfs:range %s ." % class_of(r["object"], r["where"]))
    w("")
    w("# ---- entities and provenance")
    for name, kind, label, comment, domain, rng in PROPERTIES:
        w("ties:%s a %s ;" % (name, kind))
        w("    rdfs:label %s ;" % lit(label))
        w("    rdfs:comment %s ;" % lit(comment))
        if domain:
            w("    rdfs:domain %s ;" % domain)
        w("    rdfs:range %s ." % rng)
    return "\n".join(o) + "\n"


def main(argv):
    out = None
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "-o" and i + 1 < len(argv):
            out = argv[i + 1]
            i += 2
        elif argv[i] in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        else:
            args.append(argv[i])
            i += 1
    if len(args) > 1:
        sys.exit("usage: gen-vocab.py [-o OUT] [relations.tsv]")
    text = generate(args[0] if args else DEFAULT_IN)
    if out is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        return 0
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
