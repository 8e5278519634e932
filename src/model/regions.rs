//! The region tree: `四川省/广元市/旺苍县` puts an article on the pages of 旺苍县, 广元市 and
//! 四川省. Each node knows its articles (its own and everything below), children and URL.

use std::collections::HashMap;

use crate::model::slugs::{assign_unique, SlugRequest};
use crate::model::urls::Urls;
use crate::text::names::{self, Spellings};
use crate::text::slug::{pinyin_sort_key, region_slug};

/// Provinces in GB/T 2260 code order, with the official romanisation of their slugs
/// (陕西 is `shaanxi`, so that it never collides with 山西 `shanxi`). Short names, then
/// traditional spellings where they differ.
const PROVINCES: &[(u32, &str, &str, &str)] = &[
    (11, "北京", "beijing", ""), (12, "天津", "tianjin", ""), (13, "河北", "hebei", ""), (14, "山西", "shanxi", ""),
    (15, "内蒙古", "neimenggu", "內蒙古"), (21, "辽宁", "liaoning", "遼寧"), (22, "吉林", "jilin", ""),
    (23, "黑龙江", "heilongjiang", "黑龍江"), (31, "上海", "shanghai", ""), (32, "江苏", "jiangsu", "江蘇"),
    (33, "浙江", "zhejiang", ""), (34, "安徽", "anhui", ""), (35, "福建", "fujian", ""), (36, "江西", "jiangxi", ""),
    (37, "山东", "shandong", "山東"), (41, "河南", "henan", ""), (42, "湖北", "hubei", ""), (43, "湖南", "hunan", ""),
    (44, "广东", "guangdong", "廣東"), (45, "广西", "guangxi", "廣西"), (46, "海南", "hainan", ""),
    (50, "重庆", "chongqing", "重慶"), (51, "四川", "sichuan", ""), (52, "贵州", "guizhou", "貴州"),
    (53, "云南", "yunnan", "雲南"), (54, "西藏", "xizang", ""), (61, "陕西", "shaanxi", "陝西"), (62, "甘肃", "gansu", "甘肅"),
    (63, "青海", "qinghai", ""), (64, "宁夏", "ningxia", "寧夏"), (65, "新疆", "xinjiang", ""), (71, "台湾", "taiwan", "臺灣"),
    (81, "香港", "hongkong", ""), (82, "澳门", "macao", "澳門"),
];

/// Code and slug of a province-level name (`四川省`, `四川`, `廣西壯族自治區`).
fn province(name: &str) -> Option<(u32, &'static str)> {
    PROVINCES
        .iter()
        .find(|(_, short, _, trad)| name.starts_with(short) || (!trad.is_empty() && name.starts_with(trad)))
        .map(|(code, _, slug, _)| (*code, *slug))
}

/// National (`全国`) and foreign (`国际/<国家>`) items: places of their own kind, never
/// provinces. See docs/regions.md.
pub const NATIONAL: &str = "全国";
/// The top-level node of foreign items; countries are its children.
pub const INTERNATIONAL: &str = "国际";

/// What a top-level region is: it decides the order of the regions index and its section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RegionKind {
    /// A province, municipality, autonomous region or SAR (or an unknown Chinese place).
    Domestic,
    /// `全国`: the whole country.
    National,
    /// `国际` and the countries below it.
    International,
}

impl RegionKind {
    /// The kind of a top-level name, with traditional spellings (`全國`, `國際`) folded.
    fn of_root(name: &str) -> RegionKind {
        match names::key(name).as_str() {
            "全国" | "全國" => RegionKind::National,
            "国际" | "國際" => RegionKind::International,
            _ => RegionKind::Domestic,
        }
    }

    /// The name a template uses to group the regions index: `domestic`, `national`, `international`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RegionKind::Domestic => "domestic",
            RegionKind::National => "national",
            RegionKind::International => "international",
        }
    }
}

/// The key that makes two spellings of a level one node. `全国`/`全國` and `国际`/`國際`
/// are one node at the top; countries below `国际` fold traditional to simplified
/// (`美國` is `美国`). Other levels keep [names::key].
fn level_key(parent_kind: Option<RegionKind>, name: &str) -> String {
    match parent_kind {
        None => match RegionKind::of_root(name) {
            RegionKind::National => NATIONAL.to_string(),
            RegionKind::International => INTERNATIONAL.to_string(),
            RegionKind::Domestic => names::key(name),
        },
        Some(RegionKind::International) => names::key(&zhconv::zhconv(name, zhconv::Variant::ZhHans)),
        Some(_) => names::key(name),
    }
}

/// The spelling a level shows: the top-level `全国` and `国际` always in simplified form.
fn shown_spelling(parent: Option<u32>, name: &str) -> &str {
    match (parent, RegionKind::of_root(name)) {
        (None, RegionKind::National) => NATIONAL,
        (None, RegionKind::International) => INTERNATIONAL,
        _ => name,
    }
}

#[derive(Debug, Clone)]
pub struct RegionNode {
    pub name: String,
    /// The kind of the node's top-level region (a country below 国际 is `International`).
    pub kind: RegionKind,
    /// The full path, `四川省/广元市/旺苍县`.
    pub path: String,
    pub slug: String,
    pub url: String,
    /// Location relative to the site root: `regions/sichuan/guangyuan/`.
    pub rel: String,
    pub parent: Option<u32>,
    pub children: Vec<u32>,
    /// Articles of this region and all below it, in site order (newest first).
    pub articles: Vec<u32>,
    /// Node ids from the top level down to this node.
    pub trail: Vec<u32>,
}

#[derive(Debug, Clone, Default)]
pub struct RegionTree {
    pub nodes: Vec<RegionNode>,
    /// Top-level nodes, in official order.
    pub roots: Vec<u32>,
}

impl RegionTree {
    /// Builds the tree from each article's region paths (articles given in site order) and
    /// [ages](crate::model::order::chronological) (larger is older), which decide
    /// spellings and which sibling keeps a plain slug.
    /// Returns the tree and, per article, each region as node ids from the top down.
    /// Levels are one node when their [keys](names::key) are equal (`Chengdu`, `chengdu`);
    /// the node shows the spelling most articles use.
    pub fn build(article_regions: &[&[Vec<String>]], ages: &[usize], urls: &Urls) -> (RegionTree, Vec<Vec<Vec<u32>>>) {
        let mut tree = RegionTree::default();
        let mut index: HashMap<(Option<u32>, String), u32> = HashMap::new();
        let mut first_seen: Vec<usize> = Vec::new();
        let mut spellings: Vec<Spellings> = Vec::new();
        let mut per_article = Vec::with_capacity(article_regions.len());
        for (art, regions) in article_regions.iter().enumerate() {
            let age = ages.get(art).copied().unwrap_or(art);
            let mut ids_per_region = Vec::with_capacity(regions.len());
            for levels in regions.iter() {
                let mut parent = None;
                let mut ids = Vec::with_capacity(levels.len());
                for name in levels {
                    let name = shown_spelling(parent, name);
                    let parent_kind = parent.map(|p| tree.nodes[p as usize].kind);
                    let id = *index.entry((parent, level_key(parent_kind, name))).or_insert_with(|| {
                        let id = tree.nodes.len() as u32;
                        tree.nodes.push(new_node(&tree, parent, name));
                        first_seen.push(age);
                        spellings.push(Spellings::default());
                        if let Some(p) = parent {
                            tree.nodes[p as usize].children.push(id);
                        }
                        id
                    });
                    let node = &mut tree.nodes[id as usize];
                    if node.articles.last() != Some(&(art as u32)) {
                        node.articles.push(art as u32);
                        spellings[id as usize].add(name, age);
                        first_seen[id as usize] = first_seen[id as usize].min(age);
                    }
                    ids.push(id);
                    parent = Some(id);
                }
                ids_per_region.push(ids);
            }
            per_article.push(ids_per_region);
        }
        tree.respell(&spellings);
        tree.assign_slugs(&first_seen, urls);
        tree.order_children();
        (tree, per_article)
    }

    /// Gives each node the spelling it shows, and each path its nodes' spellings.
    fn respell(&mut self, spellings: &[Spellings]) {
        // Nodes are created parent-first: a parent's path is final before its children's.
        for (id, spelling) in spellings.iter().enumerate() {
            let shown = spelling.shown();
            if shown.is_empty() || shown == self.nodes[id].name {
                continue;
            }
            self.nodes[id].name = shown.to_string();
            self.repath(id);
        }
    }

    /// Rebuilds the path of node `id` and of every node below it.
    fn repath(&mut self, id: usize) {
        let node = &self.nodes[id];
        let path = match node.parent {
            Some(p) => format!("{}/{}", self.nodes[p as usize].path, node.name),
            None => node.name.clone(),
        };
        self.nodes[id].path = path;
        for child in self.nodes[id].children.clone() {
            self.repath(child as usize);
        }
    }

    fn assign_slugs(&mut self, first_seen: &[usize], urls: &Urls) {
        // Siblings must differ; nodes are created parent-first, so parents are done first.
        // Region slugs are one word: a collision is numbered, never read further.
        let mut by_parent: HashMap<Option<u32>, Vec<u32>> = HashMap::new();
        for (id, node) in self.nodes.iter().enumerate() {
            by_parent.entry(node.parent).or_default().push(id as u32);
        }
        let mut slugs = vec![String::new(); self.nodes.len()];
        for siblings in by_parent.values() {
            let requests: Vec<SlugRequest<(usize, &str)>> = siblings
                .iter()
                .map(|&id| {
                    let node = &self.nodes[id as usize];
                    let wanted = match (node.parent, province(&node.name)) {
                        (None, Some((_, slug))) => slug.to_string(),
                        _ => region_slug(&node.name),
                    };
                    SlugRequest { scope: String::new(), wanted, precedence: (first_seen[id as usize], node.name.as_str()) }
                })
                .collect();
            for (&id, slug) in siblings.iter().zip(assign_unique(&requests, |_| Vec::new())) {
                slugs[id as usize] = slug;
            }
        }
        for id in 0..self.nodes.len() {
            let rel = match self.nodes[id].parent {
                Some(p) => format!("{}{}/", self.nodes[p as usize].rel, slugs[id]),
                None => format!("regions/{}/", slugs[id]),
            };
            let node = &mut self.nodes[id];
            node.url = urls.url(&rel);
            node.rel = rel;
            node.slug = std::mem::take(&mut slugs[id]);
        }
    }

    /// Top level: provinces in official code order (other Chinese places after them), then
    /// `全国`, then `国际`; children by article count, then pinyin.
    fn order_children(&mut self) {
        let keys: Vec<(usize, String)> = self.nodes.iter().map(|n| (n.articles.len(), pinyin_sort_key(&n.name))).collect();
        for node in &mut self.nodes {
            node.children.sort_by(|&a, &b| {
                let (ka, kb) = (&keys[a as usize], &keys[b as usize]);
                kb.0.cmp(&ka.0).then_with(|| ka.1.cmp(&kb.1))
            });
        }
        let mut roots: Vec<u32> = (0..self.nodes.len() as u32).filter(|&i| self.nodes[i as usize].parent.is_none()).collect();
        roots.sort_by_key(|&i| {
            let node = &self.nodes[i as usize];
            (node.kind, province(&node.name).map_or(u32::MAX, |(code, _)| code), keys[i as usize].1.clone())
        });
        self.roots = roots;
    }
}

fn new_node(tree: &RegionTree, parent: Option<u32>, name: &str) -> RegionNode {
    let (path, mut trail, kind) = match parent {
        Some(p) => {
            let pn = &tree.nodes[p as usize];
            (format!("{}/{}", pn.path, name), pn.trail.clone(), pn.kind)
        }
        None => (name.to_string(), Vec::new(), RegionKind::of_root(name)),
    };
    trail.push(tree.nodes.len() as u32);
    RegionNode {
        name: name.to_string(),
        kind,
        path,
        slug: String::new(),
        url: String::new(),
        rel: String::new(),
        parent,
        children: Vec::new(),
        articles: Vec::new(),
        trail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions(paths: &[&str]) -> Vec<Vec<String>> {
        paths.iter().map(|p| p.split('/').map(String::from).collect()).collect()
    }

    #[test]
    fn articles_roll_up_and_provinces_keep_official_order() {
        let a = regions(&["四川省/广元市/旺苍县"]);
        let b = regions(&["重庆市/北碚区", "四川省/绵阳市"]);
        let c = regions(&["陕西省/西安市", "山西省/太原市"]);
        let urls = Urls::new("https://ex.org/");
        let (tree, per) = RegionTree::build(&[&a, &b, &c], &[0, 1, 2], &urls);
        let names: Vec<&str> = tree.roots.iter().map(|&r| tree.nodes[r as usize].name.as_str()).collect();
        assert_eq!(names, ["山西省", "重庆市", "四川省", "陕西省"]);
        let sichuan = &tree.nodes[per[0][0][0] as usize];
        assert_eq!(sichuan.articles, [0, 1]);
        assert_eq!(sichuan.url, "/regions/sichuan/");
        let wangcang = &tree.nodes[per[0][0][2] as usize];
        assert_eq!(wangcang.url, "/regions/sichuan/guangyuan/wangcang/");
        assert_eq!(wangcang.path, "四川省/广元市/旺苍县");
        let slugs: Vec<&str> = tree.roots.iter().map(|&r| tree.nodes[r as usize].slug.as_str()).collect();
        assert_eq!(slugs, ["shanxi", "chongqing", "sichuan", "shaanxi"]);
    }

    #[test]
    fn levels_differing_in_case_are_one_node_shown_as_most_articles_write_it() {
        let a = regions(&["香港/Central"]);
        let b = regions(&["香港/central"]);
        let c = regions(&["香港/Central/Soho"]);
        let (tree, per) = RegionTree::build(&[&a, &b, &c], &[0, 1, 2], &Urls::new("https://ex.org/"));
        assert_eq!(per[0][0], per[1][0]);
        let central = &tree.nodes[per[1][0][1] as usize];
        assert_eq!((central.name.as_str(), central.articles.as_slice()), ("Central", &[0, 1, 2][..]));
        assert_eq!(tree.nodes[per[2][0][2] as usize].path, "香港/Central/Soho");
        assert_eq!(tree.nodes.len(), 3);
    }

    #[test]
    fn national_and_foreign_come_after_the_provinces_in_their_own_kind() {
        let a = regions(&["國際/美國"]);
        let b = regions(&["国际/美国", "全国"]);
        let c = regions(&["四川省", "全國"]);
        let (tree, per) = RegionTree::build(&[&a, &b, &c], &[0, 1, 2], &Urls::new("https://ex.org/"));
        let roots: Vec<(&str, &str, RegionKind)> =
            tree.roots.iter().map(|&r| &tree.nodes[r as usize]).map(|n| (n.name.as_str(), n.slug.as_str(), n.kind)).collect();
        assert_eq!(
            roots,
            [("四川省", "sichuan", RegionKind::Domestic), ("全国", "quanguo", RegionKind::National), ("国际", "guoji", RegionKind::International)]
        );
        assert_eq!(per[0][0], per[1][0], "traditional and simplified are one country");
        let us = &tree.nodes[per[1][0][1] as usize];
        assert_eq!((us.url.as_str(), us.kind), ("/regions/guoji/meiguo/", RegionKind::International));
    }
}
