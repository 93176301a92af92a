"""The curator's commands of ``clustergraph``: ``reconcile``, ``mint`` and ``new-source``.

Usage::

    clustergraph reconcile NAME [--type KIND] [--limit N] [--format table|json]
    clustergraph reconcile --serve [--port PORT]
    clustergraph mint KIND NAME [--slug SLUG] [--keep-legal-form]
    clustergraph mint time DATE | --from DATE --to DATE --inside DATE --of ENTITY
    clustergraph mint figure --of ENTITY --measure MEASURE [--as-of DATE]
    clustergraph mint award "HOLDER's LEVEL label" | --holder ENTITY --level LEVEL
    clustergraph mint membership --member ENTITY --of ORGANISATION
    clustergraph mint post --of ORGANISATION --role ROLE [--holder PERSON]
    clustergraph vocab measures|member-roles|post-roles|label-levels|...
    clustergraph new-source STEM --title TITLE [--publisher NAME] [--author NAME]
        [--date DATE] [--url URL] [--text FILE] [--language LANG]
        [--type news|profile|good-practice] [--import FILE [--base IRI]]

``reconcile`` ranks the entities whose names (preferred, alternative, ``foaf:name``,
``rdfs:label``, ``dcterms:title``) are close to ``NAME``, accent- and case-insensitively,
with a score out of 100; ``--serve`` answers the W3C Entity Reconciliation Service API
on 127.0.0.1 (what OpenRefine speaks). ``mint`` makes an entity's IRI from its name by
the slug rules and refuses one that already names another entity; a time instant or
period, a figure, an award, a membership and a post are minted from what they describe
(:mod:`clustergraph.queries.minting`), never colliding with another node. ``new-source``
writes ``data/sources/STEM.ttl``: the prefixes, the article and its graph node, and,
as comments, the entities of the graph the article's text names, for reuse; with
``--import FILE`` another publisher's dataset follows, unedited, in a source file of its
format (``STEM.trig`` for TriG), ``--base`` giving its relative IRIs a base.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from clustergraph.cli.common import Context, add_store_options, note
from clustergraph.errors import ExitCode, InputError

if TYPE_CHECKING:
    from collections.abc import Callable

    from clustergraph.queries.reconcile import Matcher
    from clustergraph.store.base import Store

COMMANDS = frozenset({"reconcile", "mint", "new-source", "vocab"})
"""The commands this module adds."""

SOURCE_TYPES = {
    "news": "NewsArticle",
    "profile": "ProfilePage",
    "good-practice": "GoodPracticeDescription",
}
"""The kinds of article (``--type``) and their classes."""

VOCABULARIES = {
    "measures": ("Measure", "measure"),
    "comparators": ("Comparator", "cmp"),
    "member-roles": ("MemberRole", "role"),
    "post-roles": ("PostRole", "role"),
    "label-levels": ("LabelLevel", "level"),
    "rights": ("Right", "right"),
    "selection-methods": ("SelectionMethod", "sel"),
    "sectors": ("Sector", "sector"),
    "legal-forms": ("LegalForm", "lf"),
}
"""The concept schemes ``vocab`` lists: their class in the ontology and their prefix."""
_DATE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the curator's commands."""
    from clustergraph.queries.reconcile import KINDS

    kinds = ", ".join(KINDS)
    rec = commands.add_parser(
        "reconcile",
        help="rank the entities whose names are close to a name (or serve the W3C "
        "reconciliation API)",
        description="Rank existing entities by an accent- and case-insensitive fuzzy "
        "match of their names and aliases, with scores out of 100.",
    )
    rec.add_argument("name", nargs="?", help="the name to look up")
    rec.add_argument(
        "--type", dest="kind", metavar="KIND", help=f"only entities of a kind: {kinds}"
    )
    rec.add_argument("--limit", type=int, default=5, metavar="N", help="candidates (default: 5)")
    rec.add_argument("--format", choices=("table", "json"), default="table")
    rec.add_argument(
        "--serve",
        action="store_true",
        help="serve the W3C Entity Reconciliation Service API on 127.0.0.1",
    )
    rec.add_argument("--port", type=int, default=8765, help="port for --serve (default: 8765)")
    add_store_options(rec)
    mint = commands.add_parser(
        "mint",
        help="make an entity's IRI from its name by the slug rules",
        description="Print the IRI the slug rules make from a name; refuse a slug that "
        "already names another entity.",
    )
    mint.add_argument(
        "kind", metavar="KIND", help=f"the kind of entity: {kinds}, time, figure, ..."
    )
    mint.add_argument(
        "name",
        nargs="?",
        help="the name, as the article writes it (a date for a time instant; "
        '"HOLDER\'s LEVEL label" for an award)',
    )
    facts = mint.add_argument_group(
        "minted from what it describes (time, figure, award, membership, post)"
    )
    facts.add_argument(
        "--of",
        metavar="ENTITY",
        help="a figure's subject, a membership's or post's organisation, or what a "
        "period bounds (prefixed name, IRI or a name reconcile matches)",
    )
    facts.add_argument("--from", dest="start", metavar="DATE", help="a period's beginning")
    facts.add_argument("--to", dest="end", metavar="DATE", help="a period's end")
    facts.add_argument("--inside", metavar="DATE", help="a day a period includes")
    facts.add_argument("--measure", help="what a figure counts (clustergraph measures lists them)")
    facts.add_argument("--as-of", metavar="DATE", help="the date a figure holds at")
    facts.add_argument("--holder", metavar="ENTITY", help="an award's or a post's holder")
    facts.add_argument("--level", help="an award's label level (bronze, silver, gold)")
    facts.add_argument("--member", metavar="ENTITY", help="a membership's member")
    facts.add_argument("--role", help="a post's role (coordinator, president, ...)")
    mint.add_argument("--slug", help="a slug of your own (an acronym, say) instead of the name's")
    mint.add_argument(
        "--keep-legal-form",
        action="store_true",
        help="keep a legal form (UAB, AB, MB, ...) in an organisation's slug",
    )
    add_store_options(mint, read=False)
    vocab = commands.add_parser(
        "vocab",
        help="list the concepts of a vocabulary (measures, roles, label levels, ...)",
        description="List the concepts the project's vocabularies (data/vocab/) define, "
        "with what each means: the values a figure's cg:measure, a membership's or "
        "post's org:role, an award's cg:labelLevel may take.",
    )
    vocab.add_argument("scheme", choices=tuple(VOCABULARIES), help="which vocabulary")
    add_store_options(vocab, read=False)
    new = commands.add_parser(
        "new-source",
        help="start data/sources/STEM.ttl for a new article",
        description="Write data/sources/STEM.ttl with the prefixes, the article, its graph "
        "node, and the entities of the graph its text names.",
    )
    new.add_argument("stem", help="the file's stem, which names the graph (lower case, hyphens)")
    new.add_argument("--title", required=True, help="the article's title, as written")
    new.add_argument("--publisher", help="the organisation that published it")
    new.add_argument("--author", help="the person who wrote or submitted it")
    new.add_argument("--date", help="the date it was issued: YYYY-MM-DD, YYYY-MM or YYYY")
    new.add_argument("--url", help="where it was found")
    new.add_argument("--text", type=Path, metavar="FILE", help="the text file it came from")
    new.add_argument("--language", default="en", help="the article's language (default: en)")
    new.add_argument("--type", dest="source_type", choices=tuple(SOURCE_TYPES), default="news")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="FILE",
        help="another publisher's dataset (.ttl, .trig, .nt, .nq), copied unedited after the "
        "scaffold; the source file takes its extension",
    )
    new.add_argument(
        "--base",
        metavar="IRI",
        help="with --import: the publisher's base for its relative IRIs (an @base line "
        "before its data)",
    )
    add_store_options(new, read=False)


def run(context: Context) -> int:
    """Run the command ``context.args.command`` names; return its exit code."""
    handlers = {
        "reconcile": _reconcile,
        "mint": _mint,
        "new-source": _new_source,
        "vocab": _vocab,
    }
    return handlers[context.args.command](context)


def _matcher(context: Context) -> Matcher:
    from clustergraph.queries.reconcile import Matcher

    store = context.store()
    return Matcher.from_store(store)


def _check_kind(kind: str | None) -> None:
    from clustergraph.project.layout import ID_NS
    from clustergraph.project.prefixes import ENTITY_PREFIXES

    known = {ns[len(ID_NS) :].rstrip("/") for ns in ENTITY_PREFIXES.values()}
    if kind is not None and kind not in known:
        raise InputError(f"unknown kind {kind!r}; one of: {', '.join(sorted(known))}")


def _reconcile(context: Context) -> int:
    from clustergraph.project.prefixes import PREFIXES, compact

    args = context.args
    _check_kind(args.kind)
    if args.serve:
        return _serve(context)
    if not args.name:
        raise InputError("reconcile needs a NAME (or --serve)")
    candidates = _matcher(context).match(args.name, kind=args.kind, limit=args.limit)
    if args.format == "json":
        print(json.dumps([c.as_json() for c in candidates], ensure_ascii=False, indent=2))
        return ExitCode.OK
    if not candidates:
        print(f"no entity is named like {args.name!r}")
        return ExitCode.OK
    rows = [
        (
            f"{c.score:5.1f}",
            "match" if c.match else "",
            compact(c.iri, PREFIXES),
            c.name,
            c.matched if c.matched != c.name else "",
        )
        for c in candidates
    ]
    head = ("score", "", "entity", "name", "matched alias")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return ExitCode.OK


def _serve(context: Context) -> int:
    from clustergraph.queries.reconcile_service import ReconciliationService, server

    service = ReconciliationService.from_store(context.store())
    served = server(service, port=context.args.port)
    host, port = served.server_address[:2]
    note(f"reconciliation service at http://{host}:{port}/ (Ctrl-C stops it)")
    try:
        served.serve_forever()
    finally:
        served.server_close()
    return ExitCode.OK


_FROM_FACTS = frozenset({"time", "figure", "award", "membership", "post"})
_FACT_OPTIONS = ("of", "start", "end", "inside", "measure", "as_of", "holder", "level", "member")


def _mint(context: Context) -> int:
    from clustergraph.project.prefixes import PREFIXES, compact

    args = context.args
    _check_kind(args.kind)
    given = [o for o in (*_FACT_OPTIONS, "role") if getattr(args, o) is not None]
    if args.slug is None and (given or args.kind in _FROM_FACTS):
        if args.kind not in _FROM_FACTS:
            raise InputError(
                f"a {args.kind} is minted from its name; --{given[0].replace('_', '-')} is "
                f"for {', '.join(sorted(_FROM_FACTS))}"
            )
        return _mint_from_facts(context)
    if not args.name:
        raise InputError(f"mint {args.kind} needs a NAME")
    matcher = _matcher(context)
    # The name of an entity the graph has (its name or an alias, as reconcile matches
    # it) is that entity, whatever slug the name would make.
    owner = matcher.owner(args.name, kind=args.kind)
    if owner is not None and owner[2] and args.slug is None:
        shown = compact(owner[0], PREFIXES)
        print(shown)
        note(
            f"{args.name!r} is already the name of {shown} ({owner[1]!r}): reuse it; for "
            "another entity of that name, give a slug of its own with --slug"
        )
        return ExitCode.OK
    iri, existing = mint(
        matcher,
        args.kind,
        args.name,
        slug=args.slug,
        keep_legal_form=args.keep_legal_form,
    )
    print(compact(iri, PREFIXES))
    if existing:
        note(f"{compact(iri, PREFIXES)} exists already with this name: reuse it")
    elif owner is not None and owner[0] != iri:
        shown = compact(owner[0], PREFIXES)
        if owner[2]:
            note(f"{args.name!r} is also the name of {shown}: a new IRI, as --slug asks")
        else:
            note(
                f"{args.name!r} is nearly the name {owner[1]!r} of {shown}: if it is that "
                f"entity, reuse {shown}"
            )
    return ExitCode.OK


def _mint_from_facts(context: Context) -> int:
    from clustergraph.project.prefixes import PREFIXES, compact
    from clustergraph.queries.minting import Minted, Minter

    args = context.args
    minter = Minter(context.store(), _matcher(context))
    minted: Minted
    if args.kind == "time":
        if args.name and not (args.start or args.end or args.inside or args.of):
            minted = minter.instant(args.name)
        else:
            minted = minter.interval(start=args.start, end=args.end, inside=args.inside, of=args.of)
    elif args.kind == "figure":
        if args.of is None or args.measure is None:
            raise InputError("a figure is minted from --of ENTITY and --measure MEASURE")
        minted = minter.figure(args.of, args.measure, args.as_of)
    elif args.kind == "award":
        minted = minter.award(args.name, holder=args.holder, level=args.level)
    elif args.kind == "membership":
        if args.member is None or args.of is None:
            raise InputError("a membership is minted from --member ENTITY and --of ORGANISATION")
        minted = minter.membership(args.member, args.of)
    else:
        if args.of is None or args.role is None:
            raise InputError("a post is minted from --of ORGANISATION and --role ROLE")
        minted = minter.post(args.of, args.role, args.holder)
    shown = compact(minted.iri, PREFIXES)
    print(shown)
    for line in dict.fromkeys(minter.notes):
        note(line)
    if minted.exists:
        note(f"{shown} exists already as this: reuse it")
    elif minted.taken is not None:
        note(f"{compact(minted.taken, PREFIXES)} names another node: {shown} is free")
    return ExitCode.OK


def mint(
    matcher: Matcher,
    kind: str,
    name: str,
    *,
    slug: str | None = None,
    keep_legal_form: bool = False,
) -> tuple[str, bool]:
    """Return the IRI the slug rules make for ``name``, and whether it exists already.

    Raises
    ------
    InputError
        If the slug is malformed, or already names an entity with another name.
    """
    from clustergraph.project.layout import entity_iri
    from clustergraph.project.prefixes import PREFIXES, compact
    from clustergraph.queries.reconcile import search_key, slugify

    chosen = slug or slugify(name, drop_legal_form=kind == "org" and not keep_legal_form)
    if not chosen:
        raise InputError(f"{name!r} makes no slug: give one with --slug")
    try:
        iri = entity_iri(kind, chosen)
    except Exception as exc:  # the layout says what is wrong with the slug
        raise InputError(str(exc)) from None
    if iri in matcher.names or iri in matcher.types:
        names = {search_key(t) for _p, t in matcher.names.get(iri, ())}
        if search_key(name) in names:
            return iri, True
        raise InputError(
            f"{compact(iri, PREFIXES)} already names {matcher.name(iri)!r}: if that is another "
            "entity, give a slug of your own with --slug"
        )
    return iri, False


def _vocab(context: Context) -> int:
    from clustergraph.project.prefixes import PREFIXES, compact
    from clustergraph.queries.minting import vocabulary

    cls, _prefix = VOCABULARIES[context.args.scheme]
    terms = vocabulary(context.store(), "https://w3id.org/clustergraph/ontology#" + cls)
    if not terms:
        print(f"the store holds no cg:{cls} (is data/vocab/ loaded?)")
        return ExitCode.OK
    rows = [(compact(t.iri, PREFIXES), t.label, t.definition) for t in terms]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    for iri, label, definition in rows:
        print(f"{iri.ljust(widths[0])}  {label.ljust(widths[1])}  {definition}".rstrip())
    return ExitCode.OK


def _new_source(context: Context) -> int:
    from clustergraph.project.files import write_atomic

    args = context.args
    project = context.project
    imported: Path | None = args.import_file
    suffix = imported.suffix.lower() if imported is not None else ".ttl"
    if suffix not in _IMPORTED:
        raise InputError(f"--import {imported}: give a Turtle, TriG, N-Triples or N-Quads file")
    if args.base is not None and (imported is None or suffix in (".nt", ".nq")):
        raise InputError("--base goes with --import of a Turtle or TriG file")
    if args.base is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"]*$", args.base):
        raise InputError(f"--base {args.base!r}: give an absolute IRI")
    path = project.sources_dir / f"{args.stem}{suffix}"
    if path.exists() and not args.force:
        raise InputError(f"{project.relpath(path)} exists already (--force overwrites it)")
    published = b""
    if imported is not None:
        try:
            published = imported.read_bytes()
        except OSError as exc:
            raise InputError(f"{imported}: cannot read: {exc.strerror or exc}") from None
    if args.date and not _DATE.match(args.date):
        raise InputError(f"--date {args.date!r}: write YYYY-MM-DD, YYYY-MM or YYYY")
    text = None
    if args.text is not None:
        try:
            # as the file holds it (no newline translation): the offsets count its characters
            text = args.text.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{args.text}: cannot read the article's text: {exc}") from None
    matcher = _matcher(context)
    turtle, missing = scaffold(
        matcher,
        args.stem,
        title=args.title,
        publisher=args.publisher,
        author=args.author,
        date=args.date,
        url=args.url,
        text=text,
        seed_file=args.text.name
        if args.text is not None
        else imported.name
        if imported is not None
        else None,
        language=args.language,
        source_type=SOURCE_TYPES[args.source_type],
        store=context.store() if text is not None else None,
        described=lambda iri, prefixed: described_again(context.store(), iri, prefixed),
    )
    if imported is not None:
        turtle = _with_import(turtle, imported.name, published, suffix, args.base, args.stem)
    write_atomic(path, turtle)
    print(f"wrote {project.relpath(path)}")
    for what in missing:
        note(what)
    return ExitCode.OK


_IMPORTED = (".ttl", ".trig", ".nt", ".nq")


def _with_import(
    turtle: str, name: str, published: bytes, suffix: str, base: str | None, stem: str
) -> str:
    """Return the scaffold followed by a publisher's file, unedited (see ``--import``)."""
    import hashlib

    import pyoxigraph as ox

    from clustergraph.project.layout import SOURCE_GRAPHS

    try:
        text = published.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text") from None
    digest = hashlib.sha256(published).hexdigest()
    head = turtle
    if suffix in (".nt", ".nq"):  # line formats: the scaffold as N-Triples, its text as comments
        triples = ox.parse(
            turtle.encode(), format=ox.RdfFormat.TURTLE, base_iri=SOURCE_GRAPHS + stem
        )
        lines = ox.serialize([q.triple for q in triples], format=ox.RdfFormat.N_TRIPLES) or b""
        head = "".join(f"# {line}\n" if line else "#\n" for line in turtle.splitlines())
        head += lines.decode("utf-8")
    mark = (
        f"\n# The publisher's file {name} as published (SHA-256 {digest}): nothing below is "
        "edited.\n"
    )
    if base is not None:
        mark += f"@base <{base}> .\n"
    return head + mark + text


def _lit(text: str, language: str | None = None) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"' + (f"@{language}" if language else "")


def _date_literal(date: str) -> str:
    datatype = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(date)]
    return f'"{date}"^^xsd:{datatype}'


def scaffold(
    matcher: Matcher,
    stem: str,
    *,
    title: str,
    publisher: str | None = None,
    author: str | None = None,
    date: str | None = None,
    url: str | None = None,
    text: str | None = None,
    seed_file: str | None = None,
    language: str = "en",
    source_type: str = "NewsArticle",
    store: Store | None = None,
    described: Callable[[str, str], str] | None = None,
) -> tuple[str, list[str]]:
    """Return the Turtle of a new source file, and what the curator still has to add.

    The file holds every prefix the project's data files use, the source graph node,
    the article (a ``cg:Source``), its publisher and author (reused when the graph
    names them, else minted; described either way, so the graph stands on its own),
    and as comments the entities whose names occur in ``text``; given the ``store``, the
    facts proposed from ``text`` as well (:func:`proposed_lines`).

    ``described(iri, prefixed)`` returns the Turtle describing a reused entity again
    (its classes and names, as the sources state them: :func:`described_again`).
    """
    from clustergraph.project.layout import SOURCE_GRAPHS, entity_iri
    from clustergraph.project.prefixes import (
        ENTITY_PREFIXES,
        PREFIXES,
        VOCABULARY_PREFIXES,
        compact,
    )

    entity_iri("source", stem)  # checks the stem
    missing: list[str] = []
    lines = []
    for name, ns in VOCABULARY_PREFIXES.items():
        if name not in ("graph", "id", "sh", "vann"):
            lines.append(f"@prefix {name + ':':<9}<{ns}> .")
    lines.append(f"@prefix {'graph:':<9}<{SOURCE_GRAPHS}> .")
    for name, ns in ENTITY_PREFIXES.items():
        lines.append(f"@prefix {name + ':':<9}<{ns}> .")
    lines += [
        "",
        f"# Facts from the article {title!r}.",
        "# Reuse the IRIs of entities the graph already has ('clustergraph reconcile NAME');",
        "# mint new ones with 'clustergraph mint KIND NAME'. The curator's guide in README.md",
        "# says what to write for each kind of fact.",
        "",
        f"graph:{stem} a cg:SourceGraph ;",
        f"    prov:wasDerivedFrom src:{stem} .",
        "",
        f"src:{stem} a cg:{source_type} ;",
        f"    dcterms:title {_lit(title, language)} ;",
        f"    skos:prefLabel {_lit(title, language)} ;",
        f"    dcterms:language {_lit(language)} ;",
    ]
    extra: list[str] = []

    def agent(name: str, kind: str, cls: str) -> str:
        found = matcher.match(name, kind=kind, limit=1)
        if found and found[0].match:
            prefixed = compact(found[0].iri, PREFIXES)
            if described is not None:  # described again: this graph stands on its own
                extra.append(described(found[0].iri, prefixed))
            return prefixed
        iri, _exists = _mint_free(matcher, kind, name)
        prefixed = compact(iri, PREFIXES)
        naming = f" ;\n    foaf:name {_lit(name)}" if kind == "person" else ""
        extra.append(f"{prefixed} a {cls} ;\n    skos:prefLabel {_lit(name, language)}{naming} .")
        return prefixed

    if date:
        lines.append(f"    dcterms:issued {_date_literal(date)} ;")
    else:
        missing.append("no --date: add dcterms:issued if the article gives its date")
    if publisher:
        lines.append(f"    dcterms:publisher {agent(publisher, 'org', 'org:FormalOrganization')} ;")
    else:
        missing.append("no --publisher: add dcterms:publisher if the article names one")
    if author:
        lines.append(f"    dcterms:creator {agent(author, 'person', 'foaf:Person')} ;")
    if url:
        lines.append(f"    schema:url {_lit(url)}^^xsd:anyURI ;")
    if seed_file:
        lines.append(f"    cg:seedFile {_lit(seed_file)} ;")
    else:
        missing.append("no --text: cg:seedFile (the file holding the article) is required")
        lines.append(f"    cg:seedFile {_lit(stem + '.txt')} ;")
    lines[-1] = lines[-1][:-2] + " ."
    lines.append("")
    lines.extend(f"{e}\n" for e in extra)
    if text is not None and store is not None:
        lines += proposed_lines(store, matcher, text)
    elif text is not None:
        mentioned = matcher.mentioned_in(text)
        lines.append("# Entities of the graph the article names (reuse these IRIs):")
        if not mentioned:
            lines.append("#   (none)")
        width = max((len(compact(e, PREFIXES)) for e, _n in mentioned), default=0)
        for entity, name in mentioned:
            prefixed = compact(entity, PREFIXES)
            label = matcher.name(entity)
            also = f"  (as {name!r})" if name != label else ""
            lines.append(f"#   {prefixed:<{width}}  {label}{also}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n", missing


PROPOSED_SECTIONS = {
    "entity": "Entities of the graph the article names (reuse these IRIs)",
    "date": "Dates the text writes",
    "post": "Posts (president, managing director, coordinator, director, ...)",
    "membership": "Memberships and their kind",
    "award": "Excellence label awards and their level",
    "founding": "Founding dates",
    "figure": "Figures and their measure",
}
"""The sections of proposed facts, by kind (:data:`clustergraph.queries.proposals.KINDS`)."""


def proposed_lines(store: Store, matcher: Matcher, text: str) -> list[str]:
    """Return the facts proposed from ``text`` as commented Turtle, a section per kind.

    Each proposal's lines start with ``# `` (remove it to keep the fact); its first line
    ends with ``# text[START:END]``, the character offsets of the sentence it comes from
    (a slice of the text file as it is, decoded from UTF-8). Section headings start with
    ``##``.
    """
    from clustergraph.queries.proposals import KINDS, Proposer

    proposals = Proposer(store, matcher).propose(text)
    lines = [
        "## Facts proposed from the article's text, found by rules over the graph's names and",
        "## the project's vocabularies: each is a guess until checked against its sentence",
        "## (text[START:END]: characters of the text file). Uncomment (remove '# ') what the",
        "## article states, and complete it (dates, periods, notes) as the guide says.",
        "",
    ]
    for kind in KINDS:
        found = [p for p in proposals if p.kind == kind]
        lines.append(f"## {PROPOSED_SECTIONS[kind]}:")
        if not found:
            lines.append("##   (none found)")
        for proposal in found:
            where = " ".join(f"text[{a}:{b}]" for a, b in proposal.spans[:3])
            if len(proposal.spans) > 3:
                where += f" and {len(proposal.spans) - 3} more"
            note = f"; {proposal.note}" if proposal.note else ""
            turtle = proposal.turtle.splitlines()
            turtle[0] += f"  # {where}{note}"
            lines.extend(f"# {line}" for line in turtle)
        lines.append("")
    return lines


def described_again(store: Store, iri: str, prefixed: str) -> str:
    """Return Turtle giving ``iri`` again the classes and names the source graphs give it.

    A new source that names an entity the graph has describes it again with its type and
    ``skos:prefLabel`` (one per language, as written), and a person's ``foaf:name``, so
    each source graph stands on its own.
    """
    import pyoxigraph as ox

    from clustergraph.project.layout import SOURCE_GRAPHS
    from clustergraph.project.prefixes import PREFIXES, compact
    from clustergraph.project.vocab import FOAF, SKOS
    from clustergraph.store.base import SelectResult

    answer = store.query(
        f"SELECT DISTINCT ?p ?o WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} "
        f'FILTER(STRSTARTS(STR(?g), "{SOURCE_GRAPHS}")) '
        f"VALUES ?p {{ <{RDF_TYPE}> <{SKOS.prefLabel}> <{FOAF.name}> }} }}"
    )
    types: list[str] = []
    names: dict[str, list[str]] = {}
    if isinstance(answer, SelectResult):
        for p, o in answer.rows:
            if p is None or o is None:
                continue
            if isinstance(o, ox.NamedNode) and p.value == RDF_TYPE:
                types.append(compact(o.value, PREFIXES))
            elif isinstance(o, ox.Literal):
                shown = "skos:prefLabel" if p.value == SKOS.prefLabel else "foaf:name"
                names.setdefault(shown, []).append(_lit(o.value, o.language))
    parts = [f"a {' , '.join(sorted(set(types)))}"] if types else []
    parts += [f"{p} {' , '.join(sorted(set(v)))}" for p, v in sorted(names.items())]
    if not parts:
        return f"# {prefixed}: the graph gives it no class or name to repeat here"
    return f"{prefixed} " + " ;\n    ".join(parts) + " ."


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _mint_free(matcher: Matcher, kind: str, name: str) -> tuple[str, bool]:
    """Mint an IRI for ``name``, numbering the slug when the plain one is taken."""
    from clustergraph.project.layout import entity_iri
    from clustergraph.queries.reconcile import slugify

    base = slugify(name, drop_legal_form=kind == "org")
    for n in range(1, 100):
        slug = base if n == 1 else f"{base}-{n}"
        try:
            return mint(matcher, kind, name, slug=slug)
        except InputError:
            continue
    return entity_iri(kind, base), True  # pragma: no cover
