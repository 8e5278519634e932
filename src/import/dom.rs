//! A page's HTML parsed by html5ever (the WHATWG parser browsers follow) into a small
//! arena tree: elements with their attributes, and text. Wrapped pages, body-only
//! fragments and unclosed `<head>` elements come out as the tree a browser builds.

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QualName, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, LocalName, Namespace};

/// Index of a node in [`Dom::nodes`].
pub type NodeId = usize;

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Document,
    /// Lower-case tag name and attributes (name, value) in source order.
    Element { name: String, attrs: Vec<(String, String)> },
    Text(String),
    /// Never shown; saved pages keep their address in one (`<!-- saved from url=… -->`).
    Comment(String),
    /// Doctypes and processing instructions.
    Other,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
}

/// A parsed page. Node 0 is the document.
#[derive(Debug, Clone)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

/// Parses a whole page the way a browser does (any text is a valid HTML document).
pub fn parse(html: &str) -> Dom {
    let sink = Sink { nodes: RefCell::new(vec![Node { kind: Kind::Document, parent: None, children: Vec::new() }]), names: RefCell::new(vec![None]) };
    html5ever::parse_document(sink, Default::default()).one(StrTendril::from(html))
}

impl Dom {
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id)
    }

    /// The tag name of an element (empty for other nodes).
    pub fn name(&self, id: NodeId) -> &str {
        match self.node(id).map(|n| &n.kind) {
            Some(Kind::Element { name, .. }) => name,
            _ => "",
        }
    }

    pub fn attr(&self, id: NodeId, wanted: &str) -> Option<&str> {
        match self.node(id).map(|n| &n.kind) {
            Some(Kind::Element { attrs, .. }) => attrs.iter().find(|(name, _)| name == wanted).map(|(_, value)| value.as_str()),
            _ => None,
        }
    }

    pub fn children(&self, id: NodeId) -> &[NodeId] {
        self.node(id).map_or(&[], |n| n.children.as_slice())
    }

    /// Every node below `id` in document order (`id` first).
    pub fn descendants(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(next) = stack.pop() {
            out.push(next);
            stack.extend(self.children(next).iter().rev());
        }
        out
    }

    /// Elements with this tag name, in document order.
    pub fn elements(&self, name: &str) -> Vec<NodeId> {
        self.descendants(0).into_iter().filter(|&id| self.name(id) == name).collect()
    }

    /// The text under a node with whitespace collapsed, as a browser shows it on one line.
    pub fn text(&self, id: NodeId) -> String {
        let mut out = String::new();
        for node in self.descendants(id) {
            if let Some(Kind::Text(text)) = self.node(node).map(|n| &n.kind) {
                if !self.hidden_ancestor(node, id) {
                    out.push_str(text);
                    out.push(' ');
                }
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Whether a node between `node` and `top` is never shown (script, style …).
    fn hidden_ancestor(&self, node: NodeId, top: NodeId) -> bool {
        let mut at = self.node(node).and_then(|n| n.parent);
        while let Some(id) = at {
            if NEVER_SHOWN.contains(&self.name(id)) {
                return true;
            }
            if id == top {
                break;
            }
            at = self.node(id).and_then(|n| n.parent);
        }
        false
    }

    /// The elements above a node, nearest first.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.node(id).and_then(|n| n.parent), move |&p| self.node(p).and_then(|n| n.parent))
    }

    /// Whether `id` is `ancestor` or below it.
    pub fn is_within(&self, id: NodeId, ancestor: NodeId) -> bool {
        let mut at = Some(id);
        while let Some(current) = at {
            if current == ancestor {
                return true;
            }
            at = self.node(current).and_then(|n| n.parent);
        }
        false
    }
}

/// Elements whose content a browser never shows as text.
pub const NEVER_SHOWN: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "head", "title", "select", "textarea", "object"];

/// The tree builder's view of the arena. html5ever asks for element names by reference
/// while the arena is behind a RefCell, so names are kept (by node) in a second list
/// that only grows.
struct Sink {
    nodes: RefCell<Vec<Node>>,
    /// By node id: the element's qualified name (None for other nodes).
    names: RefCell<Vec<Option<QualName>>>,
}

/// An element's qualified name, owned (atoms are cheap to clone).
#[derive(Debug)]
pub struct Name(QualName);

impl ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Sink {
    fn push(&self, kind: Kind) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node { kind, parent: None, children: Vec::new() });
        self.names.borrow_mut().push(None);
        nodes.len() - 1
    }

    fn detach(&self, child: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(parent) = nodes.get(child).and_then(|n| n.parent) {
            if let Some(p) = nodes.get_mut(parent) {
                p.children.retain(|&c| c != child);
            }
        }
        if let Some(c) = nodes.get_mut(child) {
            c.parent = None;
        }
    }

    /// Inserts a node or text as a child of `parent` at `position` (None: at the end),
    /// merging text with a text sibling right before it.
    fn insert(&self, parent: NodeId, position: Option<usize>, child: NodeOrText<NodeId>) {
        let child = match child {
            NodeOrText::AppendNode(node) => {
                self.detach(node);
                node
            }
            NodeOrText::AppendText(text) => {
                let mut nodes = self.nodes.borrow_mut();
                let siblings = nodes.get(parent).map(|p| p.children.clone()).unwrap_or_default();
                let before = match position {
                    Some(0) => None,
                    Some(at) => siblings.get(at - 1).copied(),
                    None => siblings.last().copied(),
                };
                if let Some(Node { kind: Kind::Text(existing), .. }) = before.and_then(|b| nodes.get_mut(b)) {
                    existing.push_str(&text);
                    return;
                }
                drop(nodes);
                self.push(Kind::Text(text.to_string()))
            }
        };
        let mut nodes = self.nodes.borrow_mut();
        if let Some(p) = nodes.get_mut(parent) {
            match position {
                Some(at) if at <= p.children.len() => p.children.insert(at, child),
                _ => p.children.push(child),
            }
        }
        if let Some(c) = nodes.get_mut(child) {
            c.parent = Some(parent);
        }
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Dom;
    type ElemName<'a> = Name;

    fn finish(self) -> Dom {
        Dom { nodes: self.nodes.into_inner() }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Name {
        let found = self.names.borrow().get(*target).cloned().flatten();
        Name(found.unwrap_or_else(|| QualName::new(None, html5ever::ns!(html), LocalName::from(""))))
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _flags: ElementFlags) -> NodeId {
        let attrs = attrs.into_iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect();
        let id = self.push(Kind::Element { name: name.local.to_string(), attrs });
        if let Some(slot) = self.names.borrow_mut().get_mut(id) {
            *slot = Some(name);
        }
        id
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.push(Kind::Comment(text.to_string()))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(Kind::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.insert(*parent, None, child);
    }

    fn append_based_on_parent_node(&self, element: &NodeId, prev_element: &NodeId, child: NodeOrText<NodeId>) {
        let has_parent = self.nodes.borrow().get(*element).is_some_and(|n| n.parent.is_some());
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // Template contents are never shown: the template element itself holds them.
        *target
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let (parent, index) = {
            let nodes = self.nodes.borrow();
            let Some(parent) = nodes.get(*sibling).and_then(|n| n.parent) else { return };
            let index = nodes.get(parent).and_then(|p| p.children.iter().position(|c| c == sibling)).unwrap_or(0);
            (parent, index)
        };
        if let NodeOrText::AppendNode(node) = &new_node {
            // Detaching first may shift the sibling's index when the node was before it.
            self.detach(*node);
            let index = self.nodes.borrow().get(parent).and_then(|p| p.children.iter().position(|c| c == sibling)).unwrap_or(index);
            self.insert(parent, Some(index), new_node);
            return;
        }
        self.insert(parent, Some(index), new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(Node { kind: Kind::Element { attrs: existing, .. }, .. }) = nodes.get_mut(*target) {
            for attr in attrs {
                let name = attr.name.local.to_string();
                if !existing.iter().any(|(n, _)| *n == name) {
                    existing.push((name, attr.value.to_string()));
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let children = std::mem::take(&mut self.nodes.borrow_mut().get_mut(*node).map(|n| std::mem::take(&mut n.children)).unwrap_or_default());
        let mut nodes = self.nodes.borrow_mut();
        for child in children {
            if let Some(c) = nodes.get_mut(child) {
                c.parent = Some(*new_parent);
            }
            if let Some(p) = nodes.get_mut(*new_parent) {
                p.children.push(child);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_only_fragment_gets_html_head_and_body() {
        let dom = parse("<div id=\"header\"><h1 class=\"title\">四川确定新一年科技创新任务书</h1></div><p>力争全年高新技术企业达1.8万家。</p>");
        assert_eq!(dom.elements("body").len(), 1);
        let h1 = dom.elements("h1")[0];
        assert_eq!(dom.text(h1), "四川确定新一年科技创新任务书");
        assert_eq!(dom.attr(dom.elements("div")[0], "id"), Some("header"));
    }

    #[test]
    fn an_unclosed_head_does_not_swallow_the_page() {
        let dom = parse("<html><head><title>标题</title><meta charset=utf-8>\n<div><p>正文第一段，内容不会消失。</p></div>");
        let body = dom.elements("body")[0];
        assert_eq!(dom.text(body), "正文第一段，内容不会消失。");
    }

    #[test]
    fn script_and_style_are_not_text_and_misnested_tags_are_repaired() {
        let dom = parse("<body><p>一<b>二<i>三</b>四</i></p><script>var a='<p>不是</p>';</script><style>p{}</style></body>");
        let body = dom.elements("body")[0];
        assert_eq!(dom.text(body).replace(' ', ""), "一二三四");
    }
}
