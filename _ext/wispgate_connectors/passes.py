"""Five of the passes Sphinx and docutils make over every page it reads, without the work that
cannot change the page.

Each replaces its original in the registry and does what it does, or calls it:

- the source workaround dumps every definition-list term as XML for a debug message, at every
  level of logging (0.7 s for the 22,000 terms of 1,000 guides); here the dump is made only
  when debug messages are shown;
- the translation totaliser counts the nodes a catalog translated, with a walk over every node;
  a page for which Sphinx found no catalog has none to count;
- the dangling-reference check walks every node with a visitor, to act on references; here
  one plain search finds them, and the visitor acts on each;
- the footnote pass and the removal of translatable inlines test each node with a Python
  matcher; a search by node type visits the same nodes in the same order at a third of the cost.

Five more, each a search of the whole page for a node pages seldom hold (substitutions,
doctest blocks, glossaries, citations and their references), run only on a page that holds one.
The source workaround, the first pass over every node, notes the node types on its way; no pass
between it and theirs makes such a node (a test lists them), unless a catalog translated the
page, which then gets every pass.

Measured by timing each transform over a full build at N = 1,000 (bench/README.md).
"""

from __future__ import annotations

import functools
import logging
import weakref
from gettext import NullTranslations
from typing import Any

from docutils import nodes
from docutils.transforms.references import DanglingReferencesVisitor
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex.transforms import FootnoteDocnameUpdater
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.locale import translators
from sphinx.transforms import ApplySourceWorkaround
from sphinx.transforms.i18n import RemoveTranslatableInline, TranslationProgressTotaliser
from sphinx.transforms.references import SphinxDanglingReferences
from sphinx.util.i18n import docname_to_domain
from sphinx.util.logging import NAMESPACE
from sphinx.util.nodes import apply_source_workaround

from .components import only_where, qualified

#: the node types of the nodes the source workaround looks at
_WORKAROUND_TYPES = (nodes.TextElement, nodes.image, nodes.topic)
#: the node types Sphinx's ``apply_source_workaround`` does more for than set a raw source
_TREATED_APART = (
    nodes.classifier,
    nodes.image,
    nodes.title,
    nodes.term,
    nodes.topic,
    nodes.literal_block,
    nodes.rubric,
    nodes.line,
    nodes.field_name,
)
#: the class names the dangling-reference visitor acts on (it dispatches by name)
_REFERENCES = frozenset({"reference", "footnote_reference", "citation_reference"})
#: read passes that act only on nodes of one type, each a search of the whole page
RARE_READ_PASSES: dict[str, type[nodes.Node]] = {
    "sphinx.transforms.DefaultSubstitutions": nodes.substitution_reference,
    "sphinx.transforms.DoctestTransform": nodes.doctest_block,
    "sphinx.transforms.GlossarySorter": addnodes.glossary,
    "sphinx.domains.citation.CitationDefinitionTransform": nodes.citation,
    "sphinx.domains.citation.CitationReferenceTransform": nodes.citation_reference,
}
#: the read passes between the census and the last pass it gates, none of which makes a node of
#: those types: they translate (then nothing is gated), number, sort and move what a page holds,
#: or resolve its targets (a test lists them, so a new one is looked at)
BETWEEN_READ = frozenset(
    {
        "sphinx.transforms.ExtraTranslatableNodes",
        "sphinx.transforms.i18n.PreserveTranslatableMessages",
        "sphinx.transforms.i18n.Locale",
        "wispgate_connectors.passes.TranslationProgress",
        "sphinx.transforms.compact_bullet_list.RefOnlyBulletListTransform",
        "sphinx.transforms.AutoIndexUpgrader",
        "sphinx.transforms.AutoNumbering",
        "sphinx.transforms.HandleCodeBlocks",
        "sphinx.transforms.MoveModuleTargets",
        "docutils.transforms.references.Substitutions",
        "sphinx.transforms.ReorderConsecutiveTargetAndIndexNodes",
        "docutils.transforms.references.PropagateTargets",
        "sphinx.transforms.SortIds",
        "myst_parser.mdit_to_docutils.transforms.PrioritiseExplicitIds",
        "myst_parser.mdit_to_docutils.transforms.ResolveSectionRefs",
        "docutils.transforms.frontmatter.DocTitle",
        "docutils.transforms.frontmatter.DocInfo",
        "docutils.transforms.frontmatter.SectionSubTitle",
        "docutils.transforms.universal.StripClassesAndElements",
        "docutils.transforms.references.AnonymousHyperlinks",
        "docutils.transforms.references.IndirectHyperlinks",
        "myst_parser.mdit_to_docutils.transforms.SortFootnotes",
    }
)
#: per page being read: the node types the source workaround met (not kept in the doctree)
_READ_TYPES: weakref.WeakKeyDictionary[nodes.document, frozenset[type[nodes.Node]]] = weakref.WeakKeyDictionary()


def _debug_shown() -> bool:
    return any(handler.level <= logging.DEBUG for handler in logging.getLogger(NAMESPACE).handlers)


class SourceWorkaround(ApplySourceWorkaround):
    """Sphinx's source workaround. For a text element of none of the types it treats apart,
    and for a term with no classifier near it, all it does is give the node its text as raw
    source when it has none, and log a term as XML: that is done here without the call, and
    without the XML when debug messages are not shown."""

    def apply(self, **kwargs: Any) -> None:
        if _debug_shown():
            super().apply(**kwargs)
            return
        types = set()
        for node in self.document.findall(nodes.Element):
            types.add(type(node))
            if type(node) is nodes.term:
                if node.parent is not None and not any(node.parent.findall(nodes.classifier)):
                    if not node.rawsource:
                        node.rawsource = node.astext()
                    continue
            elif isinstance(node, nodes.TextElement) and not isinstance(node, _TREATED_APART):
                if not node.rawsource:
                    node.rawsource = node.astext()
                continue
            if isinstance(node, _WORKAROUND_TYPES):
                apply_source_workaround(node)
        _READ_TYPES[self.document] = frozenset(types)  # none of these passes makes a node


def _untranslated(env: BuildEnvironment, config: Config) -> bool:
    """The ``Locale`` pass (priority 20) found no catalog for the page being read, so it changed
    nothing (and this is no build of catalogs)."""
    from sphinx.builders.gettext import MessageCatalogBuilder  # as Sphinx does: a cycle at import

    domain = docname_to_domain(env.current_document.docname, config.gettext_compact)
    # Sphinx records a catalog it looked for and did not find as an empty translator
    untranslated = type(translators.get(("general", domain))) is NullTranslations
    return untranslated and not issubclass(env._builder_cls, MessageCatalogBuilder)


class TranslationProgress(TranslationProgressTotaliser):
    """Sphinx's translation totaliser; a page for which the ``Locale`` pass found no catalog
    has no translated node, and no node marked as not translated."""

    def apply(self, **kwargs: Any) -> None:
        if _untranslated(self.env, self.config):
            self.document["translation_progress"] = {"total": 0, "translated": 0}
        else:
            super().apply(**kwargs)


def _holds(document: nodes.document, wanted: type[nodes.Node]) -> bool:
    types = _READ_TYPES.get(document)
    env = document.settings.env
    if types is None or not _untranslated(env, env.config):
        return True  # no census (debug messages shown), or translated: the pass runs
    return any(issubclass(t, wanted) for t in types)


class DanglingReferences(SphinxDanglingReferences):
    """Sphinx's dangling-reference check; the visitor acts on the references one search
    finds, in page order, instead of walking every node."""

    def apply(self, **kwargs: Any) -> None:
        if self.document.reporter.debug_flag:  # each step of a walk is a debug message then
            super().apply(**kwargs)
            return
        references: list[nodes.Element] = []
        targets: list[nodes.target] = []
        for node in self.document.findall(nodes.Element):
            if type(node).__name__ in _REFERENCES:
                references.append(node)
            if isinstance(node, nodes.target):
                targets.append(node)
        reporter = self.document.reporter
        report_level = reporter.report_level
        try:
            reporter.report_level = max(reporter.WARNING_LEVEL, reporter.report_level)  # as the original
            visitor = DanglingReferencesVisitor(self.document, self.document.transformer.unknown_reference_resolvers)
            for node in references:
                visitor.dispatch_visit(node)
            self.unreferenced(targets)
        finally:
            reporter.report_level = report_level

    def unreferenced(self, targets: list[nodes.target]) -> None:
        for target in targets:
            if target.referenced or target.get("anonymous"):
                continue
            naming = target["names"][0] if target["names"] else target["ids"][0] if target["ids"] else target["refid"]
            self.document.reporter.info(f'Hyperlink target "{naming}" is not referenced.', base_node=target)


class FootnoteDocnames(FootnoteDocnameUpdater):
    """Sphinx's footnote pass: each footnote and footnote reference notes its page."""

    def apply(self, **kwargs: Any) -> None:
        docname = self.env.current_document.docname
        for node in self.document.findall(nodes.Element):
            if isinstance(node, self.TARGET_NODES):
                node["docname"] = docname


class TranslatableInlines(RemoveTranslatableInline):
    """Sphinx's removal of the inline nodes kept for translators (their children take their
    place); a search by type, lazy as the original's, so it meets the same nodes as the page
    changes under it."""

    def apply(self, **kwargs: Any) -> None:
        from sphinx.builders.gettext import MessageCatalogBuilder

        if issubclass(self.env._builder_cls, MessageCatalogBuilder):
            return
        for inline in self.document.findall(nodes.inline):
            if "translatable" in inline:  # what Sphinx's matcher tests for an attribute of any value
                inline.parent.remove(inline)
                inline.parent += inline.children


#: the passes replaced, by the qualified name of the original
REPLACED = {
    qualified(ApplySourceWorkaround): SourceWorkaround,
    qualified(TranslationProgressTotaliser): TranslationProgress,
    qualified(SphinxDanglingReferences): DanglingReferences,
    qualified(FootnoteDocnameUpdater): FootnoteDocnames,
    qualified(RemoveTranslatableInline): TranslatableInlines,
}


def replace_passes(app: Sphinx) -> list[str]:
    """Put each replacement in its original's place; the names replaced (a test checks all
    are, so a Sphinx that renames one is noticed)."""
    replaced = []
    transforms = app.registry.transforms
    for i, transform in enumerate(transforms):
        name = qualified(transform)
        if name in REPLACED:
            transforms[i] = REPLACED[name]
            replaced.append(name)
    return replaced


def gate_rare_read_passes(app: Sphinx) -> list[str]:
    """Run the read passes for rare nodes only on the pages that hold one; the names of the
    passes gated (a test checks all are, so a Sphinx that renames one is noticed)."""
    gated = []
    transforms = app.registry.transforms
    for i, transform in enumerate(transforms):
        name = qualified(transform)
        if name in RARE_READ_PASSES:
            transforms[i] = only_where(transform, functools.partial(_holds, wanted=RARE_READ_PASSES[name]))
            gated.append(name)
    return gated


def setup_passes(app: Sphinx) -> None:
    replace_passes(app)
    gate_rare_read_passes(app)
