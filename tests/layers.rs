//! The crate's layers, held by a test rather than by memory: no two files of `src/` need each
//! other (no import cycle, outside `#[cfg(test)]`), and each folder uses only itself and the
//! folders below it ([`LAYERS`]). It reads the source: every `crate::`, `super::`, `self::` and
//! child-module path outside comments, strings and test-only code is an edge from its file to
//! the file of the module it names.

// clippy.toml's size rules are for the library's path; a test formats and searches as it likes.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Each folder of `src/`, lowest first, with the folders it may use besides itself. The
/// README's Development section shows the same map.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &[]),
    ("protocol", &["base"]),
    ("engine", &["base", "protocol"]),
    ("api", &["base", "protocol", "engine"]),
    ("cli", &["base", "protocol", "engine", "api"]),
    ("wasm", &["base", "protocol", "engine", "api", "cli"]),
];

/// One source file: its module path (`engine::update`, `` for lib.rs) and its code with
/// comments, literals and test-only items blanked out.
struct File {
    path: String,
    module: String,
    code: String,
    /// Child modules declared only under `#[cfg(test)]`.
    test_children: Vec<String>,
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let (files, edges) = graph();
    let mut report = String::new();
    for group in cycles(&files, &edges) {
        report.push_str(&format!("\n{}:\n", group.join(", ")));
        for (from, tos) in &edges {
            for to in tos {
                if group.contains(&files[*from].path) && group.contains(&files[*to].path) {
                    report.push_str(&format!(
                        "  {} uses {}\n",
                        files[*from].path, files[*to].path
                    ));
                }
            }
        }
    }
    assert!(
        report.is_empty(),
        "files that reach each other through their imports:{report}"
    );
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let (files, edges) = graph();
    let mut wrong = Vec::new();
    for (from, tos) in &edges {
        let Some(layer) = layer_of(&files[*from].path) else {
            continue;
        };
        let allowed = LAYERS.iter().find(|(l, _)| *l == layer).unwrap().1;
        for to in tos {
            match layer_of(&files[*to].path) {
                Some(other) if other == layer || allowed.contains(&other) => {}
                _ => wrong.push(format!("{} uses {}", files[*from].path, files[*to].path)),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that go up a layer or out of every layer:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_source_file_is_in_a_layer() {
    let (files, _) = graph();
    let loose: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| layer_of(p).is_none() && *p != "src/lib.rs")
        .collect();
    assert!(
        loose.is_empty(),
        "files outside every layer folder: {loose:?}"
    );
}

#[test]
fn the_face_imports_js_in_one_file() {
    // As worker-sys does for workers-rs: the raw bindings apart from the code that uses them.
    let (files, _) = graph();
    let elsewhere: Vec<&str> = files
        .iter()
        .filter(|f| has_extern_block(&f.code) && f.path != "src/wasm/sys.rs")
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        elsewhere.is_empty(),
        "JS imports (extern blocks) outside src/wasm/sys.rs: {elsewhere:?}"
    );
}

#[test]
fn the_reader_finds_what_it_must() {
    // The checker itself: a cycle, a test-only import and a commented one.
    let code = clean(
        "use crate::a::b;\n// use crate::c;\nlet s = \"crate::d\";\n#[cfg(test)]\nmod tests { use crate::e; }\nfn f() { super::g::h(); crate::{i, j::k}; }",
    );
    assert!(code.contains("crate::a::b"));
    for absent in ["crate::c", "crate::d", "crate::e"] {
        assert!(!code.contains(absent), "{absent} in {code}");
    }
    let paths = paths_in(&code);
    for want in ["crate::a::b", "super::g::h"] {
        assert!(paths.iter().any(|p| p == want), "{want} not in {paths:?}");
    }
}

/// True when `code` (literals blanked, so `extern "C" {` reads `extern     {`) has an extern
/// block.
fn has_extern_block(code: &str) -> bool {
    code.match_indices("extern").any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + "extern".len()..].trim_start();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after.starts_with('{')
    })
}

/// The files of `src/` that are compiled outside tests, and for each (by index) the files it uses.
fn graph() -> (Vec<File>, BTreeMap<usize, BTreeSet<usize>>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    // Drop the files only test code declares (and what is below them).
    let mut test_only: Vec<String> = Vec::new();
    for f in &files {
        for child in &f.test_children {
            test_only.push(join(&f.module, child));
        }
    }
    files.retain(|f| {
        !test_only
            .iter()
            .any(|t| f.module == *t || f.module.starts_with(&format!("{t}::")))
    });
    let modules: BTreeMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.module.as_str(), i))
        .collect();
    let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        for path in paths_in(&f.code) {
            if let Some(module) = resolve(&f.module, &path, &modules) {
                let to = modules[module.as_str()];
                if to != i {
                    edges.entry(i).or_default().insert(to);
                }
            }
        }
    }
    (files, edges)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<File>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let module = if rel == "lib.rs" {
                String::new()
            } else {
                rel.trim_end_matches(".rs")
                    .trim_end_matches("/mod")
                    .replace('/', "::")
            };
            let text = fs::read_to_string(&path).unwrap();
            let code = clean(&text);
            let test_children = test_children(&text);
            out.push(File {
                path: format!("src/{rel}"),
                module,
                code,
                test_children,
            });
        }
    }
}

fn join(module: &str, child: &str) -> String {
    if module.is_empty() {
        child.to_string()
    } else {
        format!("{module}::{child}")
    }
}

fn layer_of(path: &str) -> Option<&'static str> {
    let folder = path.strip_prefix("src/")?.split('/').next()?;
    LAYERS.iter().map(|(l, _)| *l).find(|l| *l == folder)
}

/// The module a path names, as the longest prefix of it that is a file's module.
fn resolve(current: &str, path: &str, modules: &BTreeMap<&str, usize>) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").collect();
    // Where the path starts from.
    let mut base: Vec<&str> = if current.is_empty() {
        Vec::new()
    } else {
        current.split("::").collect()
    };
    match parts[0] {
        "crate" | "$crate" => {
            base.clear();
            parts.remove(0);
        }
        "self" => {
            parts.remove(0);
        }
        "super" => {
            while parts.first() == Some(&"super") {
                base.pop();
                parts.remove(0);
            }
        }
        first => {
            // A child module of the current one (`answer::read` in api/mod.rs)?
            let child = join(current, first);
            if !modules.contains_key(child.as_str()) {
                return None;
            }
        }
    }
    let mut best = None;
    let mut candidate = base.clone();
    for part in parts {
        candidate.push(part);
        let name = candidate.join("::");
        if modules.contains_key(name.as_str()) {
            best = Some(name);
        } else {
            break;
        }
    }
    // `super::Item` or `crate::Item`: the module itself.
    best.or_else(|| {
        let name = base.join("::");
        modules.contains_key(name.as_str()).then_some(name)
    })
}

/// Every path of two or more segments in `code`, with `use` trees expanded
/// (`use crate::{a, b::c}` gives `crate::a` and `crate::b::c`).
fn paths_in(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if is_ident_start(c) && (i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != b':') {
            // A path: identifiers joined by `::`, maybe ending in a `{` group.
            let start = i;
            let mut end = i;
            while end < bytes.len() && (is_ident(bytes[end]) || bytes[end] == b':') {
                end += 1;
            }
            let head = code[start..end].trim_end_matches(':');
            if end < bytes.len() && bytes[end] == b'{' && code[start..end].ends_with("::") {
                let close = matching(code, end);
                for inner in expand(&code[end + 1..close]) {
                    out.push(if inner == "self" {
                        head.to_string()
                    } else {
                        format!("{head}::{inner}")
                    });
                }
                i = close + 1;
                continue;
            }
            if head.contains("::") {
                out.push(head.to_string());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The paths of a `use` group's inside (`a, b::{c, d}`), each relative to the group.
fn expand(group: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    let bytes = group.as_bytes();
    for i in 0..=bytes.len() {
        let c = bytes.get(i).copied().unwrap_or(b',');
        match c {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b',' if depth == 0 => {
                let item = group[start..i].trim();
                start = i + 1;
                if item.is_empty() {
                    continue;
                }
                if let Some(open) = item.find('{') {
                    let head = item[..open].trim().trim_end_matches("::");
                    let close = matching(item, open);
                    for inner in expand(&item[open + 1..close]) {
                        out.push(if inner == "self" {
                            head.to_string()
                        } else {
                            format!("{head}::{inner}")
                        });
                    }
                } else {
                    let item = item.split(" as ").next().unwrap().trim();
                    out.push(item.to_string());
                }
            }
            _ => {}
        }
    }
    out
}

fn matching(code: &str, open: usize) -> usize {
    let (o, c) = match code.as_bytes()[open] {
        b'{' => (b'{', b'}'),
        b'(' => (b'(', b')'),
        _ => (b'[', b']'),
    };
    let mut depth = 0;
    for (i, &b) in code.as_bytes().iter().enumerate().skip(open) {
        if b == o {
            depth += 1;
        } else if b == c {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
    }
    code.len() - 1
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$'
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// The child modules a file declares under `#[cfg(test)]` (`#[cfg(test)] mod tests;`).
fn test_children(text: &str) -> Vec<String> {
    let code = strip_comments_and_literals(text);
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        rest = &rest[at + "#[cfg(test)]".len()..];
        let item = skip_attributes(rest);
        let decl = item
            .trim_start_matches("pub ")
            .trim_start_matches("pub(crate) ");
        if let Some(name) = decl.strip_prefix("mod ") {
            let name: String = name
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let after = name.len() + 4;
            if decl[after..].trim_start().starts_with(';') {
                out.push(name);
            }
        }
    }
    out
}

fn skip_attributes(s: &str) -> &str {
    let mut s = s.trim_start();
    while s.starts_with("#[") {
        let close = matching(s, 1);
        s = s[close + 1..].trim_start();
    }
    s
}

/// `text` without comments, string and char literals, and items under `#[cfg(test)]` (each
/// blanked to spaces, so what is left keeps its place).
fn clean(text: &str) -> String {
    let code = strip_comments_and_literals(text);
    let mut out = code.clone().into_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(test)]") {
        let start = from + at;
        let after = start + "#[cfg(test)]".len();
        let item = skip_attributes(&code[after..]);
        let item_start = code.len() - item.len();
        // The item ends at its `;` or at the brace that closes its body, whichever comes first.
        let semi = item.find(';');
        let brace = item.find('{');
        let end = match (semi, brace) {
            (Some(s), Some(b)) if s < b => item_start + s,
            (_, Some(b)) => matching(&code, item_start + b),
            (Some(s), None) => item_start + s,
            (None, None) => code.len() - 1,
        };
        for b in &mut out[start..=end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        from = end + 1;
    }
    String::from_utf8(out).unwrap()
}

fn strip_comments_and_literals(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, s: &[u8]| {
        out.extend(s.iter().map(|&c| if c == b'\n' { b'\n' } else { b' ' }));
    };
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            let end = b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |p| i + p);
            blank(&mut out, &b[i..end]);
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let end = text[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
            blank(&mut out, &b[i..end]);
            i = end;
        } else if b[i] == b'r'
            && (b.get(i + 1) == Some(&b'#') || b.get(i + 1) == Some(&b'"'))
            && (i == 0 || !is_ident(b[i - 1]))
        {
            // A raw string: r"..." or r#"..."#.
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            if b.get(i + 1 + hashes) != Some(&b'"') {
                out.push(b[i]);
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let body = i + 2 + hashes;
            let end = b[body..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(b.len(), |p| body + p + close.len());
            blank(&mut out, &b[i..end]);
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            blank(&mut out, &b[i..end]);
            i = end;
        } else if b[i] == b'\'' {
            // A char literal ('x', '\n', '\u{..}', '"'), not a lifetime ('a).
            let len = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..].iter().position(|&c| c == b'\'').map(|p| p + 3)
            } else {
                let ch = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + ch) == Some(&b'\'')).then_some(ch + 2)
            };
            match len {
                Some(len) => {
                    blank(&mut out, &b[i..i + len]);
                    i += len;
                }
                None => {
                    out.push(b[i]);
                    i += 1;
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The groups of files that reach each other (strongly connected, more than one file).
fn cycles(files: &[File], edges: &BTreeMap<usize, BTreeSet<usize>>) -> Vec<Vec<String>> {
    // Tarjan's algorithm, iteratively small enough to write recursively here.
    struct State<'a> {
        edges: &'a BTreeMap<usize, BTreeSet<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        let empty = BTreeSet::new();
        for &w in s.edges.get(&v).unwrap_or(&empty) {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                _ => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut group = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack[w] = false;
                group.push(w);
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                s.out.push(group);
            }
        }
    }
    let n = files.len();
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
        .into_iter()
        .map(|g| {
            let mut names: Vec<String> = g.into_iter().map(|i| files[i].path.clone()).collect();
            names.sort();
            names
        })
        .collect()
}
